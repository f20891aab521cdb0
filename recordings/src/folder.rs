//! The recordings below folders: every `.snaphost` and `.json` file,
//! symbolic links not followed, in sorted order of their paths.

use crate::cli_name::EXTENSION;
use crate::recording::{read, Recording};
use std::path::{Path, PathBuf};

/// Every recording file below `dir`, sorted.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a folder of recordings", dir.display()));
    }
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(EXTENSION) || name.ends_with(".json") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Every recording below each of `dirs`, in sorted order of their paths
/// (each file once). A file that cannot be read in its format is an error
/// naming it.
pub fn read_all(dirs: &[PathBuf]) -> Result<Vec<Recording>, String> {
    let mut all = Vec::new();
    for dir in dirs {
        all.extend(files(dir)?);
    }
    all.sort();
    all.dedup();
    all.iter().map(|f| read(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_below_a_folder_in_order() {
        let dir = std::env::temp_dir().join(format!("atlas-recordings-folder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b")).unwrap();
        std::fs::write(dir.join("b/GET_x_1.snaphost"), "HTTP/2.0 204 No Content\n\n").unwrap();
        std::fs::write(dir.join("a.txt"), "not a recording").unwrap();
        let ours =
            r#"{"format":"atlas-admin-recording/1","request":{"method":"GET","path":"/x"},"response":{"status":200}}"#;
        std::fs::write(dir.join("00001-x.json"), ours).unwrap();
        let found = read_all(&[dir.clone(), dir.join("b")]).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|r| r.file.strip_prefix(&dir).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [PathBuf::from("00001-x.json"), PathBuf::from("b/GET_x_1.snaphost")]
        );
        std::fs::write(dir.join("00002-y.json"), "{}").unwrap();
        let err = read_all(std::slice::from_ref(&dir)).unwrap_err();
        assert!(err.contains("00002-y.json") && err.contains("not a recording"), "{err}");
        assert!(files(&dir.join("a.txt")).unwrap_err().contains("not a folder"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
