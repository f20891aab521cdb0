//! `cargo xtask <command>`: the project's own tooling. See `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{project_root, Mode, Target};

/// mimalloc: generation is allocation-bound (see Cargo.toml).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
cargo xtask codegen                      regenerate generated-client/ from spec/atlas-admin.yaml
cargo xtask codegen --check              fail, naming each stale file, if generated-client/ is not current
cargo xtask codegen ... [--overlay FILE]... [--deny-warnings]
                                         apply OpenAPI Overlays first; print warnings (overlay actions
                                         that select nothing, watchers that get no waiter); fail on them
cargo xtask codegen --spec FILE --out DIR [--crate-name NAME] [--runtime-version VERSION]
                                         write a complete client crate for FILE at DIR; it depends on
                                         this workspace's runtime/ by relative path, or on the published
                                         atlas-admin-runtime VERSION
cargo xtask spec drift --upstream FILE [--spec FILE] [--json] [--strict] [--sunset-within DAYS]
                                         compare spec/atlas-admin.yaml with MongoDB's published spec:
                                         exit 0 with no breaking drift, 1 with some (--strict: any), 2 on
                                         unreadable input
cargo xtask spec verify --recordings DIR... [--spec FILE] [--json]
                                         hold the spec against recorded answers (the Atlas CLI's
                                         .snaphost files, or ours): exit 0 with no contradiction, 1 with
                                         some, 2 on unreadable input
cargo xtask spec add --upstream FILE [--spec FILE] [--replace] OPERATION_ID...
                                         import operations (every version, parameter, response and
                                         schema they need) from the published spec into ours
cargo run --release -p xtask -- bench codegen [--spec FILE] [--runs N]
                                         time parsing and generation in process (median of N runs)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("spec") {
        return match spec(&args[1..]) {
            Ok(code) => ExitCode::from(code),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        println!("{HELP}");
        return Ok(());
    };
    match command.as_str() {
        "codegen" => {
            let mut check = false;
            let mut spec = None;
            let mut out = None;
            let mut crate_name = None;
            let mut runtime_version = None;
            let mut overlays = Vec::new();
            let mut deny_warnings = false;
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
                match arg.as_str() {
                    "--check" => check = true,
                    "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
                    "--out" => out = Some(PathBuf::from(value("--out")?)),
                    "--crate-name" => crate_name = Some(value("--crate-name")?),
                    "--runtime-version" => runtime_version = Some(value("--runtime-version")?),
                    "--overlay" => overlays.push(PathBuf::from(value("--overlay")?)),
                    "--deny-warnings" => deny_warnings = true,
                    other => return Err(format!("unknown argument {other:?}\n\n{HELP}")),
                }
            }
            let target = match (spec, out) {
                (None, None) => Target::Workspace,
                (Some(spec), Some(out)) => Target::Standalone {
                    spec,
                    out,
                    crate_name,
                    runtime_version,
                },
                _ => return Err(format!("--spec and --out go together\n\n{HELP}")),
            };
            let mode = if check { Mode::Check } else { Mode::Write };
            let (report, warnings) = xtask::codegen_with(&project_root(), &target, mode, &overlays)?;
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            println!("{report}");
            if deny_warnings && !warnings.is_empty() {
                return Err(format!("{} warnings, denied by --deny-warnings", warnings.len()));
            }
            Ok(())
        }
        "bench" => {
            let mut spec = project_root().join(xtask::SPEC);
            let mut runs = 7;
            let mut it = rest.iter();
            match it.next().map(String::as_str) {
                Some("codegen") => {}
                _ => return Err(format!("bench takes a target: codegen\n\n{HELP}")),
            }
            while let Some(arg) = it.next() {
                let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
                match arg.as_str() {
                    "--spec" => spec = PathBuf::from(value("--spec")?),
                    "--runs" => runs = value("--runs")?.parse().map_err(|e| format!("--runs: {e}"))?,
                    other => return Err(format!("unknown argument {other:?}\n\n{HELP}")),
                }
            }
            println!("{}", xtask::bench_codegen(&spec, runs)?);
            Ok(())
        }
        "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n\n{HELP}")),
    }
}

/// `cargo xtask spec drift ...`: returns the exit status.
fn spec(args: &[String]) -> Result<u8, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("spec takes a command: drift, verify, add\n\n{HELP}"));
    };
    match command.as_str() {
        "drift" => spec_drift(rest),
        "verify" => spec_verify(rest),
        "add" => spec_add(rest),
        other => Err(format!("unknown spec command {other:?}\n\n{HELP}")),
    }
}

/// `spec drift --upstream FILE [--spec FILE] [--json] [--strict] [--sunset-within DAYS]`.
fn spec_drift(rest: &[String]) -> Result<u8, String> {
    let mut ours = project_root().join(xtask::SPEC);
    let mut upstream = None;
    let (mut json, mut strict, mut within) = (false, false, 90i64);
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--upstream" => upstream = Some(PathBuf::from(value("--upstream")?)),
            "--spec" => ours = PathBuf::from(value("--spec")?),
            "--json" => json = true,
            "--strict" => strict = true,
            "--sunset-within" => {
                within = value("--sunset-within")?
                    .parse()
                    .map_err(|e| format!("--sunset-within takes a number of days: {e}"))?
            }
            other => return Err(format!("unknown argument {other:?}\n\n{HELP}")),
        }
    }
    let upstream = upstream.ok_or_else(|| format!("spec drift needs --upstream FILE\n\n{HELP}"))?;
    let (code, report) = xtask::drift::run(&ours, &upstream, json, strict, within);
    if code == 2 {
        eprint!("{report}");
    } else {
        print!("{report}");
    }
    Ok(code)
}

/// `spec verify --recordings DIR... [--spec FILE] [--json]`.
fn spec_verify(rest: &[String]) -> Result<u8, String> {
    let mut ours = project_root().join(xtask::SPEC);
    let (mut dirs, mut json) = (Vec::new(), false);
    let mut it = rest.iter().peekable();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--spec" => ours = PathBuf::from(it.next().ok_or("--spec needs a value")?),
            "--json" => json = true,
            "--recordings" => {
                while let Some(dir) = it.next_if(|a| !a.starts_with("--")) {
                    dirs.push(PathBuf::from(dir));
                }
            }
            other => return Err(format!("unknown argument {other:?}\n\n{HELP}")),
        }
    }
    if dirs.is_empty() {
        return Err(format!("spec verify needs --recordings DIR...\n\n{HELP}"));
    }
    let (code, report) = xtask::verify::run(&ours, &dirs, json);
    if code == 2 {
        eprint!("{report}");
    } else {
        print!("{report}");
    }
    Ok(code)
}

/// `spec add --upstream FILE [--spec FILE] [--replace] ID...`.
fn spec_add(rest: &[String]) -> Result<u8, String> {
    let mut ours = project_root().join(xtask::SPEC);
    let (mut upstream, mut replace, mut ids) = (None, false, Vec::new());
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--upstream" => upstream = Some(PathBuf::from(value("--upstream")?)),
            "--spec" => ours = PathBuf::from(value("--spec")?),
            "--replace" => replace = true,
            flag if flag.starts_with("--") => return Err(format!("unknown argument {flag:?}\n\n{HELP}")),
            id => ids.push(id.to_string()),
        }
    }
    let upstream = upstream.ok_or_else(|| format!("spec add needs --upstream FILE\n\n{HELP}"))?;
    if ids.is_empty() {
        return Err(format!("spec add needs at least one operationId\n\n{HELP}"));
    }
    let up = xtask::drift::load(&upstream)?;
    let text = std::fs::read_to_string(&ours).map_err(|e| format!("cannot read {}: {e}", ours.display()))?;
    let (new_text, report) = xtask::spec_add::add(&text, &up, &ids, replace)?;
    for line in &report.added {
        println!("added {line}");
    }
    for line in &report.unchanged {
        println!("unchanged {line}");
    }
    for line in &report.reused {
        println!("reused {line}");
    }
    for line in &report.new_components {
        println!("new {line}");
    }
    if new_text != text {
        std::fs::write(&ours, new_text).map_err(|e| format!("cannot write {}: {e}", ours.display()))?;
        println!("wrote {}; now run `cargo xtask codegen`", ours.display());
    }
    Ok(0)
}
