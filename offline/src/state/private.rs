//! Files only their owner reads: the state file is written whole to a new file (mode 0600) in
//! its folder, then renamed over the old one, so neither a reader nor a crash ever finds half a
//! file; its folder is 0700 (made so, or fixed when it holds nothing but the state).

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files written so far by this process, to name the next one.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// `.NAME.PID-N.tmp`, beside `NAME`.
fn temporary_name(file_name: &str) -> String {
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    format!(".{file_name}.{}-{n}.tmp", std::process::id())
}

/// Whether `name` is the state file `file_name` or one of its temporary files.
fn is_state_file(name: &str, file_name: &str) -> bool {
    name == file_name
        || name
            .strip_prefix(&format!(".{file_name}."))
            .is_some_and(|rest| rest.ends_with(".tmp"))
}

/// Replaces `path` with `bytes`, readable by its owner only, creating its folder (0700) when
/// missing. On failure the old file is left as it was and no temporary file stays.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        create_dir(dir)?;
    }
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let temporary = dir.join(temporary_name(file_name));
    let written = write_new(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Writes a file that must not exist yet (a link planted there is not followed), mode 0600, and
/// flushes it to disk before it is renamed.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = new_private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Creates `dir` (and parents) readable by its owner only.
#[cfg(unix)]
fn create_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Makes an existing `dir` 0700 when it holds nothing but the state file `file_name` (and its
/// temporary files): a folder an earlier run made, or an empty one. A folder holding anything
/// else is someone's own (`--state-dir ~`) and keeps its mode.
#[cfg(unix)]
pub(crate) fn secure_folder(dir: &Path, file_name: &str) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o777 == 0o700 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if !name.to_str().is_some_and(|n| is_state_file(n, file_name)) {
            return Ok(());
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
pub(crate) fn secure_folder(_dir: &Path, _file_name: &str) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_named_beside_the_state() {
        let name = temporary_name("state.json");
        assert!(is_state_file(&name, "state.json"), "{name}");
        assert!(is_state_file("state.json", "state.json"));
        assert!(!is_state_file("notes.txt", "state.json"));
        assert!(!is_state_file(".state.json.bak", "state.json"));
        assert_ne!(temporary_name("state.json"), name);
    }
}
