//! The code behind `cargo xtask`: the only place in the project that writes
//! generated files. `codegen` in [`Mode::Check`] is also run by a plain
//! `#[test]`, so `cargo test` alone fails on a stale client.

pub mod cli;
pub mod drift;
pub mod json;
pub mod methods;
pub mod overlay;
pub mod spec_add;
pub mod verify;

use atlas_codegen::{RuntimeDependency, Settings};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The spec the workspace client is generated from, relative to the root.
pub const SPEC: &str = "spec/atlas-admin.yaml";
/// The workspace client crate, relative to the root.
pub const CLIENT: &str = "generated-client";
/// Where generated Rust lives inside a client crate; everything below it is
/// owned by codegen (files that codegen no longer produces are removed).
pub const GENERATED_DIR: &str = "src/generated";
/// The hand-written runtime crate every generated crate depends on.
pub const RUNTIME: &str = "runtime";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

#[derive(Debug, Clone)]
pub enum Target {
    /// `generated-client/` from `spec/atlas-admin.yaml`.
    Workspace,
    /// A complete crate at `out` from `spec`.
    Standalone {
        spec: PathBuf,
        out: PathBuf,
        crate_name: Option<String>,
        /// Depend on this published version of `atlas-admin-runtime`
        /// instead of this workspace's `runtime/` by path.
        runtime_version: Option<String>,
    },
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Generates, then writes (or, in check mode, compares). Returns a one-line
/// report, or an error that names every stale file.
pub fn codegen(root: &Path, target: &Target, mode: Mode) -> Result<String, String> {
    codegen_with(root, target, mode, &[]).map(|(report, _)| report)
}

/// [`codegen`] with OpenAPI Overlays applied first, in order; also returns
/// the warnings (overlay actions that select nothing, watchers that get no
/// waiter).
pub fn codegen_with(
    root: &Path,
    target: &Target,
    mode: Mode,
    overlays: &[PathBuf],
) -> Result<(String, Vec<String>), String> {
    let (spec_path, out_dir, settings) = match target {
        Target::Workspace => (
            root.join(SPEC),
            root.join(CLIENT),
            Settings::default().with_spec_label(SPEC),
        ),
        Target::Standalone {
            spec,
            out,
            crate_name,
            runtime_version,
        } => {
            let mut settings = Settings::default().with_spec_label(spec.display().to_string());
            if let Some(name) = crate_name {
                settings = settings.with_crate_name(name);
            }
            let runtime = match runtime_version {
                Some(v) => RuntimeDependency::Version(v.clone()),
                None => RuntimeDependency::Path(relative_path(out, &root.join(RUNTIME))?),
            };
            (spec.clone(), out.clone(), settings.with_runtime(runtime))
        }
    };
    let mut text = fs::read_to_string(&spec_path).map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let mut warnings = Vec::new();
    if !overlays.is_empty() {
        let mut spec: serde_json::Value =
            serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", spec_path.display()))?;
        for path in overlays {
            let overlay = json::load(path)?;
            warnings.extend(overlay::apply(&mut spec, &overlay, &path.display().to_string())?);
        }
        text = serde_yaml::to_string(&spec).map_err(|e| format!("cannot write the overlaid spec: {e}"))?;
    }
    let api = atlas_codegen::parse(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let (files, generator_warnings) =
        atlas_codegen::generate_with_warnings(&api, &settings).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    warnings.extend(
        generator_warnings
            .iter()
            .map(|w| format!("{} at {}: {}", spec_path.display(), w.pointer, w.message)),
    );
    let count = files.len();
    match mode {
        Mode::Write => {
            let changed = write_all(&out_dir, &files)?;
            Ok((
                format!("{count} files generated in {}, {changed} changed", out_dir.display()),
                warnings,
            ))
        }
        Mode::Check => {
            let stale = stale_files(&out_dir, &files);
            if stale.is_empty() {
                return Ok((
                    format!("{count} generated files in {} are up to date", out_dir.display()),
                    warnings,
                ));
            }
            let mut msg = String::from("generated code is stale; run `cargo xtask codegen` and commit the result:\n");
            for s in stale {
                let _ = writeln!(msg, "  {s}");
            }
            Err(msg)
        }
    }
}

/// Times `parse` and `generate` on `spec`, `runs` times each, in process
/// (no file writes), and reports medians with the size of the output.
pub fn bench_codegen(spec: &Path, runs: usize) -> Result<String, String> {
    use std::time::{Duration, Instant};
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let settings = Settings::default();
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (mut parse, mut generate) = (Vec::new(), Vec::new());
    let mut files = BTreeMap::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let api = atlas_codegen::parse(&text).map_err(|e| e.to_string())?;
        parse.push(t.elapsed());
        let t = Instant::now();
        files = atlas_codegen::generate(&api, &settings).map_err(|e| e.to_string())?;
        generate.push(t.elapsed());
    }
    let total: Vec<Duration> = parse.iter().zip(&generate).map(|(a, b)| *a + *b).collect();
    let lines: usize = files.values().map(|f| f.lines().count()).sum();
    let bytes: usize = files.values().map(String::len).sum();
    Ok(format!(
        "spec {}: {} runs; median parse {:.1} ms, generate {:.1} ms, total {:.1} ms (min {:.1}, max {:.1}); \
         {} files, {lines} lines, {:.1} MiB",
        spec.display(),
        runs.max(1),
        median(parse).as_secs_f64() * 1e3,
        median(generate).as_secs_f64() * 1e3,
        median(total.clone()).as_secs_f64() * 1e3,
        total.iter().min().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        total.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        files.len(),
        bytes as f64 / (1024.0 * 1024.0),
    ))
}

/// `to` as a path relative to the folder `from` (which is created if it
/// does not exist), with `/` separators, for a `path = ".."` dependency.
fn relative_path(from: &Path, to: &Path) -> Result<String, String> {
    fs::create_dir_all(from).map_err(|e| format!("cannot create {}: {e}", from.display()))?;
    let from = fs::canonicalize(from).map_err(|e| format!("cannot resolve {}: {e}", from.display()))?;
    let to = fs::canonicalize(to).map_err(|e| format!("cannot resolve {}: {e}", to.display()))?;
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = from.components().skip(common).map(|_| "..".to_string()).collect();
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Files under the generated directory that codegen did not produce.
/// Links are never followed: a symbolic link inside the folder is itself an
/// entry (an orphan, if codegen does not produce its name), and what it
/// points to is never looked at.
fn orphans(out_dir: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => walk(&p, out),
                Ok(_) => out.push(p),
                Err(_) => {}
            }
        }
    }
    let mut found = Vec::new();
    let generated = out_dir.join(GENERATED_DIR);
    if fs::symlink_metadata(&generated).is_ok_and(|m| m.is_dir()) {
        walk(&generated, &mut found);
    }
    let mut orphans: Vec<PathBuf> = found
        .into_iter()
        .filter_map(|p| p.strip_prefix(out_dir).ok().map(Path::to_path_buf))
        .filter(|rel| !files.contains_key(rel))
        .collect();
    orphans.sort();
    orphans
}

/// Refuses a path below `out_dir` that passes through a symbolic link (or
/// is one): writing there would land outside the output folder.
fn no_links_below(out_dir: &Path, rel: &Path) -> Result<(), String> {
    let mut at = out_dir.to_path_buf();
    for part in rel.components() {
        match part {
            std::path::Component::Normal(p) => at.push(p),
            _ => {
                return Err(format!(
                    "refusing the path {}: it leaves the output folder",
                    rel.display()
                ))
            }
        }
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "refusing to write through the symbolic link {}; remove it and run again",
                at.display()
            ));
        }
    }
    Ok(())
}

fn stale_files(out_dir: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut stale = Vec::new();
    for (rel, want) in files {
        match fs::read_to_string(out_dir.join(rel)) {
            Ok(have) if normalize(&have) == *want => {}
            Ok(_) => stale.push(format!("{} (differs)", rel.display())),
            Err(_) => stale.push(format!("{} (missing)", rel.display())),
        }
    }
    for orphan in orphans(out_dir, files) {
        stale.push(format!("{} (no longer generated)", orphan.display()));
    }
    stale
}

/// Writes only files whose contents changed; removes orphans. Returns how
/// many files changed.
fn write_all(out_dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<usize, String> {
    let mut changed = 0;
    for rel in files.keys() {
        no_links_below(out_dir, rel)?;
    }
    for (rel, text) in files {
        let path = out_dir.join(rel);
        if fs::read_to_string(&path).is_ok_and(|have| normalize(&have) == *text) {
            continue;
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        changed += 1;
    }
    for orphan in orphans(out_dir, files) {
        // Only the entry itself: a link is removed, never what it points to.
        let parent = orphan.parent().unwrap_or(Path::new(""));
        no_links_below(out_dir, parent)?;
        fs::remove_file(out_dir.join(&orphan)).map_err(|e| format!("cannot remove {}: {e}", orphan.display()))?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when someone edits the spec (or the generator) and
    /// forgets to regenerate.
    #[test]
    fn generated_client_is_fresh() {
        if let Err(stale) = codegen(&project_root(), &Target::Workspace, Mode::Check) {
            panic!("{stale}");
        }
    }

    #[test]
    fn check_names_stale_and_orphaned_files() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("src/generated/a.rs"), "a\n".to_string());
        files.insert(PathBuf::from("src/generated/b.rs"), "b\n".to_string());
        write_all(&dir, &files).unwrap();
        assert!(stale_files(&dir, &files).is_empty());
        fs::write(dir.join("src/generated/a.rs"), "edited\n").unwrap();
        fs::write(dir.join("src/generated/old.rs"), "x\n").unwrap();
        fs::remove_file(dir.join("src/generated/b.rs")).unwrap();
        let stale = stale_files(&dir, &files);
        assert_eq!(
            stale,
            [
                "src/generated/a.rs (differs)",
                "src/generated/b.rs (missing)",
                "src/generated/old.rs (no longer generated)"
            ]
        );
        assert_eq!(write_all(&dir, &files).unwrap(), 3);
        assert!(stale_files(&dir, &files).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A symbolic link inside `src/generated/` made `codegen --out` delete
    /// files outside the output folder (issue #8, item 9).
    #[cfg(unix)]
    #[test]
    fn links_are_never_followed_nor_written_through() {
        let base = std::env::temp_dir().join(format!("xtask-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let outside = base.join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("victim.rs"), "keep me\n").unwrap();
        let out = base.join("out");
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("src/generated/a.rs"), "a\n".to_string());
        write_all(&out, &files).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("src/generated/evil")).unwrap();
        write_all(&out, &files).unwrap();
        assert!(
            outside.join("victim.rs").exists(),
            "nothing outside the output is deleted"
        );
        assert!(
            fs::symlink_metadata(out.join("src/generated/evil")).is_err(),
            "the link itself is gone"
        );

        // A generated file that is a link to a file outside: refused, untouched.
        fs::remove_file(out.join("src/generated/a.rs")).unwrap();
        std::os::unix::fs::symlink(outside.join("victim.rs"), out.join("src/generated/a.rs")).unwrap();
        let err = write_all(&out, &files).unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        assert_eq!(fs::read_to_string(outside.join("victim.rs")).unwrap(), "keep me\n");

        // A linked folder on the way: refused too.
        fs::remove_file(out.join("src/generated/a.rs")).unwrap();
        fs::remove_dir_all(out.join("src/generated")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("src/generated")).unwrap();
        assert!(write_all(&out, &files).unwrap_err().contains("symbolic link"));
        assert!(outside.join("victim.rs").exists());
        fs::remove_dir_all(&base).unwrap();
    }
}
