//! `cargo xtask <command>`: the project's own tooling. The command line is
//! declared in `cli.rs`; see `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xtask::cli::{self, Bench, Codegen, Drift, SpecCmd, Verify, XtaskCmd};
use xtask::{project_root, Mode, Target};

/// mimalloc: generation is allocation-bound (see Cargo.toml).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let flags = match cli::parse(std::env::args_os().skip(1).collect()) {
        Ok(flags) => flags,
        Err(e) if e.is_help() => {
            println!("{e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\nsee `cargo xtask help`");
            return ExitCode::from(2);
        }
    };
    let done = match flags.subcommand {
        XtaskCmd::Help(_) => {
            println!("{}", cli::help());
            Ok(0)
        }
        XtaskCmd::Codegen(c) => codegen(c).map(|()| 0),
        XtaskCmd::Bench(b) => bench(b).map(|()| 0),
        XtaskCmd::Spec(s) => match s.subcommand {
            SpecCmd::Drift(d) => Ok(spec_drift(d)),
            SpecCmd::Verify(v) => Ok(spec_verify(v)),
            SpecCmd::Add(a) => Ok(spec_add(
                &a.spec.unwrap_or_else(our_spec),
                &a.upstream,
                &a.ids,
                a.replace,
                a.with_sunset,
            )
            .unwrap_or_else(|message| {
                eprintln!("error: {message}");
                2
            })),
        },
    };
    match done {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn our_spec() -> PathBuf {
    project_root().join(xtask::SPEC)
}

fn codegen(c: Codegen) -> Result<(), String> {
    let target = match (c.spec, c.out) {
        (Some(spec), Some(out)) => Target::Standalone {
            spec,
            out,
            crate_name: c.crate_name,
            runtime_version: c.runtime_version,
        },
        _ => Target::Workspace,
    };
    let mode = if c.check { Mode::Check } else { Mode::Write };
    let (report, warnings) = xtask::codegen_with(&project_root(), &target, mode, &c.overlay)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    println!("{report}");
    if c.deny_warnings && !warnings.is_empty() {
        return Err(format!("{} warnings, denied by --deny-warnings", warnings.len()));
    }
    Ok(())
}

fn bench(b: Bench) -> Result<(), String> {
    let spec = b.spec.unwrap_or_else(our_spec);
    println!("{}", xtask::bench_codegen(&spec, b.runs.unwrap_or(7))?);
    Ok(())
}

/// Prints a report of `spec drift` or `spec verify`: on stderr when the
/// input was unreadable (status 2).
fn report((code, report): (u8, String)) -> u8 {
    if code == 2 {
        eprint!("{report}");
    } else {
        print!("{report}");
    }
    code
}

fn spec_drift(d: Drift) -> u8 {
    let ours = d.spec.unwrap_or_else(our_spec);
    report(xtask::drift::run(
        &ours,
        &d.upstream,
        d.json,
        d.strict,
        d.sunset_within.unwrap_or(90),
    ))
}

fn spec_verify(v: Verify) -> u8 {
    let folders = v.folders();
    report(xtask::verify::run(&v.spec.unwrap_or_else(our_spec), &folders, v.json))
}

/// `spec add`: rewrites our spec only if something was added.
fn spec_add(ours: &Path, upstream: &Path, ids: &[String], replace: bool, with_sunset: bool) -> Result<u8, String> {
    let up = xtask::json::load(upstream)?;
    let text = std::fs::read_to_string(ours).map_err(|e| format!("cannot read {}: {e}", ours.display()))?;
    let options = xtask::spec_add::Options {
        replace,
        with_sunset,
        ..xtask::spec_add::Options::today()
    };
    let (new_text, report) = xtask::spec_add::add(&text, &up, ids, &options)?;
    let lines = [
        ("added", &report.added),
        ("unchanged", &report.unchanged),
        ("reused", &report.reused),
        ("new", &report.new_components),
        (
            "left out, past its sunset (--with-sunset imports it):",
            &report.left_out,
        ),
    ];
    for (word, list) in lines {
        for line in list {
            println!("{word} {line}");
        }
    }
    if new_text != text {
        std::fs::write(ours, new_text).map_err(|e| format!("cannot write {}: {e}", ours.display()))?;
        println!("wrote {}; now run `cargo xtask codegen`", ours.display());
    }
    Ok(0)
}
