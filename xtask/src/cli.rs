//! `cargo xtask`'s command line, declared once: every command, flag and
//! line of help is here (xflags builds the parser and the help from it);
//! `main.rs` only runs what was asked.

use std::path::PathBuf;
use std::str::FromStr;

xflags::xflags! {
    /// The project's own tooling. Usage errors exit with status 2.
    cmd xtask {
        /// Print this help (also: no command, --help, -h).
        cmd help {}

        /// Regenerate generated-client/ from spec/atlas-admin.yaml, or with
        /// --spec and --out write a complete client crate for FILE at DIR
        /// (it depends on this workspace's runtime/ by relative path, or on
        /// the published atlas-admin-runtime VERSION).
        cmd codegen {
            /// Fail, naming each stale file, if the output is not current.
            optional --check
            /// Apply this OpenAPI Overlay first (repeatable, in order).
            repeated --overlay file: PathBuf
            /// Fail on warnings (overlay actions that select nothing,
            /// watchers that get no waiter).
            optional --deny-warnings
            /// The spec of a standalone crate (with --out).
            optional --spec file: PathBuf
            /// The folder of a standalone crate (with --spec).
            optional --out dir: PathBuf
            /// The standalone crate's name.
            optional --crate-name name: String
            /// Depend on this published atlas-admin-runtime version.
            optional --runtime-version version: String
        }

        /// Our spec against MongoDB's published one, or against evidence.
        cmd spec {
            /// Compare our spec with MongoDB's published spec: exit 0 with no
            /// breaking drift, 1 with some (--strict: any), 2 on unreadable
            /// input.
            cmd drift {
                /// The published spec.
                required --upstream file: PathBuf
                /// Our spec (default: spec/atlas-admin.yaml).
                optional --spec file: PathBuf
                /// Findings as JSON.
                optional --json
                /// Informational findings fail too.
                optional --strict
                /// Report sunsets within this many days (default 90).
                optional --sunset-within days: i64
            }

            /// Hold the spec against recorded answers (the Atlas CLI's
            /// .snaphost files, or ours): exit 0 with no contradiction, 1
            /// with some, 2 on unreadable input.
            cmd verify {
                /// A folder of recordings (repeatable; more folders may
                /// follow it: --recordings A B).
                repeated --recordings dir: PathBuf
                /// Further folders, after --recordings.
                repeated more: PathBuf
                /// The spec (default: spec/atlas-admin.yaml).
                optional --spec file: PathBuf
                /// Findings as JSON.
                optional --json
            }

            /// Import operations (every version, parameter, response and
            /// schema they need) from the published spec into ours.
            cmd add {
                /// The published spec.
                required --upstream file: PathBuf
                /// Our spec (default: spec/atlas-admin.yaml).
                optional --spec file: PathBuf
                /// Overwrite an operation of ours that differs.
                optional --replace
                /// Import versions whose sunset has passed as well (left
                /// out by default: Atlas answers them 410).
                optional --with-sunset
                /// The operationIds to import.
                repeated ids: String
            }
        }

        /// Time parsing and generation in process (median of N runs); run
        /// it as `cargo run --release -p xtask -- bench codegen`.
        cmd bench {
            /// What to time: codegen.
            required target: BenchTarget
            /// The spec (default: spec/atlas-admin.yaml).
            optional --spec file: PathBuf
            /// How many runs (default 7).
            optional --runs n: usize
        }
    }
}

/// What `bench` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchTarget {
    Codegen,
}

impl FromStr for BenchTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "codegen" => Ok(BenchTarget::Codegen),
            other => Err(format!("bench takes a target: codegen (not {other:?})")),
        }
    }
}

/// The command line, parsed and checked (flags that only go together).
/// `--help` comes back as an error whose text is the help
/// ([`xflags::Error::is_help`]); no command at all is `help`.
pub fn parse(args: Vec<std::ffi::OsString>) -> xflags::Result<Xtask> {
    let flags = if args.is_empty() {
        Xtask {
            subcommand: XtaskCmd::Help(Help),
        }
    } else {
        Xtask::from_vec(args)?
    };
    check(&flags).map_err(xflags::Error::new)?;
    Ok(flags)
}

/// The help text.
pub fn help() -> String {
    match Xtask::from_vec(vec!["--help".into()]) {
        Err(help) => help.to_string(),
        Ok(_) => String::new(),
    }
}

fn check(flags: &Xtask) -> Result<(), String> {
    match &flags.subcommand {
        XtaskCmd::Codegen(c) => {
            if c.spec.is_some() != c.out.is_some() {
                return Err("codegen: --spec and --out go together".into());
            }
            if c.spec.is_none() && (c.crate_name.is_some() || c.runtime_version.is_some()) {
                return Err("codegen: --crate-name and --runtime-version go with --spec and --out".into());
            }
            Ok(())
        }
        XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Verify(v),
        }) if v.recordings.is_empty() => Err("spec verify needs --recordings DIR...".into()),
        XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Add(a),
        }) if a.ids.is_empty() => Err("spec add needs at least one operationId".into()),
        XtaskCmd::Help(_) | XtaskCmd::Spec(_) | XtaskCmd::Bench(_) => Ok(()),
    }
}

impl Verify {
    /// Every folder named, in order.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.recordings.iter().chain(&self.more).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Result<Xtask, String> {
        parse(line.split_whitespace().map(Into::into).collect()).map_err(|e| e.to_string())
    }

    /// Every invocation the README, the benches and CI use still parses,
    /// to what it said.
    #[test]
    fn every_documented_invocation_parses() {
        let XtaskCmd::Codegen(c) = parsed("codegen --check --overlay a.yaml --overlay b.yaml --deny-warnings")
            .unwrap()
            .subcommand
        else {
            panic!("not codegen")
        };
        assert!(c.check && c.deny_warnings);
        assert_eq!(c.overlay, [PathBuf::from("a.yaml"), PathBuf::from("b.yaml")]);
        let XtaskCmd::Codegen(c) = parsed("codegen --spec s.yaml --out /tmp/c --crate-name n --runtime-version 0.1.0")
            .unwrap()
            .subcommand
        else {
            panic!("not codegen")
        };
        assert_eq!((c.spec.unwrap(), c.out.unwrap()), ("s.yaml".into(), "/tmp/c".into()));
        assert_eq!(
            (c.crate_name.unwrap(), c.runtime_version.unwrap()),
            ("n".into(), "0.1.0".into())
        );
        let XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Drift(d),
        }) = parsed("spec drift --upstream u.yaml --json --sunset-within 30 --strict")
            .unwrap()
            .subcommand
        else {
            panic!("not spec drift")
        };
        assert_eq!(
            (d.upstream, d.json, d.strict, d.sunset_within),
            ("u.yaml".into(), true, true, Some(30))
        );
        let XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Verify(v),
        }) = parsed("spec verify --recordings a b --spec s.yaml --json")
            .unwrap()
            .subcommand
        else {
            panic!("not spec verify")
        };
        assert_eq!(v.folders(), [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!((v.spec, v.json), (Some("s.yaml".into()), true));
        let XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Add(a),
        }) = parsed("spec add --upstream u.yaml getGroupCluster listGroupClusters --replace")
            .unwrap()
            .subcommand
        else {
            panic!("not spec add")
        };
        assert_eq!(a.ids, ["getGroupCluster", "listGroupClusters"]);
        assert!(a.replace);
        assert!(!a.with_sunset);
        let XtaskCmd::Spec(Spec {
            subcommand: SpecCmd::Add(a),
        }) = parsed("spec add --upstream u.yaml --with-sunset getFederationSettingIdentityProvider")
            .unwrap()
            .subcommand
        else {
            panic!("not spec add")
        };
        assert!(a.with_sunset && !a.replace);
        let XtaskCmd::Bench(b) = parsed("bench codegen --spec s.yaml --runs 9").unwrap().subcommand else {
            panic!("not bench")
        };
        assert_eq!((b.target, b.runs), (BenchTarget::Codegen, Some(9)));
        assert!(matches!(parsed("").unwrap().subcommand, XtaskCmd::Help(_)));
        assert!(matches!(parsed("help").unwrap().subcommand, XtaskCmd::Help(_)));
    }

    #[test]
    fn unknown_and_missing_arguments_are_clear_errors() {
        let err = |line: &str| parsed(line).unwrap_err();
        assert!(err("codegen --chek").contains("--chek"), "{}", err("codegen --chek"));
        assert!(err("spec drift --upstream u --bogus").contains("--bogus"));
        assert!(err("spec drift").contains("--upstream"), "{}", err("spec drift"));
        assert!(err("frobnicate").contains("frobnicate"));
        assert!(err("bench peers").contains("bench takes a target: codegen"));
        assert!(err("codegen --spec s.yaml").contains("--spec and --out go together"));
        assert!(err("codegen --crate-name n").contains("go with --spec and --out"));
        assert!(err("spec verify --json").contains("needs --recordings"));
        assert!(err("spec verify a").contains("needs --recordings"));
        assert!(err("spec add --upstream u").contains("at least one operationId"));
        assert!(err("spec drift --upstream u --sunset-within soon").contains("--sunset-within"));
    }

    #[test]
    fn help_names_every_command() {
        let help = help();
        for command in [
            "codegen",
            "spec drift",
            "spec verify",
            "spec add",
            "bench",
            "--overlay",
            "--recordings",
        ] {
            assert!(help.contains(command), "{command} missing from:\n{help}");
        }
        assert!(parse(vec!["codegen".into(), "--help".into()]).unwrap_err().is_help());
    }
}
