//! The regression inputs in `fuzz/regressions/TARGET/`, for the replay test. A file's name says
//! what the input must get, before the first `-` (`EXPECTATION-label`); `fuzz/README.md` lists
//! the expectations of each target.

use std::path::PathBuf;

/// One regression input.
#[derive(Debug)]
pub struct Regression {
    /// The file name, for messages.
    pub name: String,
    /// The part of the name before the first `-`: what the input must get.
    pub expected: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// The directory of `target`'s regression inputs: `fuzz/regressions/{target}`.
fn dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target)
}

/// Every input of `fuzz/regressions/{target}`, sorted by name.
///
/// # Panics
///
/// When the directory cannot be read, is empty, or holds a file whose name has no `-`: a replay
/// that reads nothing, or cannot tell what an input must get, would pass without checking.
pub fn read(target: &str) -> Vec<Regression> {
    let dir = dir(target);
    let mut files: Vec<Regression> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let expected = name
                .split_once('-')
                .unwrap_or_else(|| panic!("{name}: expected EXPECTATION-label"))
                .0
                .to_owned();
            Regression {
                name,
                expected,
                bytes,
            }
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
}
