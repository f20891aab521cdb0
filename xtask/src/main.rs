//! `cargo xtask <command>`: the project's own tooling. See `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{codegen, project_root, Mode, Target};

const HELP: &str = "\
cargo xtask codegen                      regenerate generated-client/ from spec/atlas-admin.yaml
cargo xtask codegen --check              fail, naming each stale file, if generated-client/ is not current
cargo xtask codegen --spec FILE --out DIR [--crate-name NAME] [--runtime-version VERSION]
                                         write a complete client crate for FILE at DIR; it depends on
                                         this workspace's runtime/ by relative path, or on the published
                                         atlas-admin-runtime VERSION
cargo run --release -p xtask -- bench codegen [--spec FILE] [--runs N]
                                         time parsing and generation in process (median of N runs)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
                match arg.as_str() {
                    "--check" => check = true,
                    "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
                    "--out" => out = Some(PathBuf::from(value("--out")?)),
                    "--crate-name" => crate_name = Some(value("--crate-name")?),
                    "--runtime-version" => runtime_version = Some(value("--runtime-version")?),
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
            let report = codegen(&project_root(), &target, mode)?;
            println!("{report}");
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
