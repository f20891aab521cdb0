//! The shape of the code, checked from its text: imports (no cycles, none
//! that runs up to a module file), function length, exhaustive matches over
//! the generator's types, generated files, and ARCHITECTURE.md's paths.

mod architecture;
mod dependencies;
mod functions;
mod generated;
mod imports;
mod matches;

use std::path::{Path, PathBuf};

/// The hand-written crates' source folders, relative to the project root.
const HAND_WRITTEN: [&str; 4] = ["runtime/src", "generator/src", "xtask/src", "recordings/src"];

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
