//! Walking a folder's tree, for a layer's files and a crate's sources: every entry below it, `.`
//! folders and `target` left out (build output, version control).

use std::fs::Metadata;
use std::path::Path;

/// Calls `visit` with each file and folder below `dir` (not `dir` itself) and its metadata,
/// following no symbolic link; unreadable entries are skipped.
pub(crate) fn walk(dir: &Path, visit: &mut impl FnMut(&Path, &Metadata)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if meta.is_dir() && (name.starts_with('.') || name == "target") {
            continue;
        }
        visit(&path, &meta);
        if meta.is_dir() {
            walk(&path, visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_and_hidden_folders_are_left_out() {
        let dir =
            std::env::temp_dir().join(format!("offline-tree-{}", authorizer::mint::random_id()));
        for sub in ["src/a", "target/debug", ".git"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("src/a/lib.rs"), "").unwrap();
        std::fs::write(dir.join("target/debug/x"), "").unwrap();
        let mut seen = Vec::new();
        walk(&dir, &mut |path, _| {
            seen.push(path.strip_prefix(&dir).unwrap().to_owned())
        });
        seen.sort();
        assert_eq!(
            seen,
            [
                Path::new("src"),
                Path::new("src/a"),
                Path::new("src/a/lib.rs")
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
