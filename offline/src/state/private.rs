//! Files only their owner reads: the state folder is 0700 (made so, or fixed when it holds
//! nothing but the state), the database and the stacks' lock files in it 0600 (SQLite gives its
//! `-wal` and `-shm` files the database's mode).

use std::path::Path;

/// Names of what the stack keeps in its folder: the database and its companions, the lock files,
/// and the former state file (`state.json`, its copy after migration, its temporary files).
pub(crate) fn is_state_file(name: &str) -> bool {
    matches!(
        name,
        "state.db"
            | "state.db-wal"
            | "state.db-shm"
            | "state.db-journal"
            | "state.lock"
            | "state.json"
            | "state.json.migrated"
    ) || name.starts_with("stack-") && name.ends_with(".lock")
        || name.starts_with(".state.json.") && name.ends_with(".tmp")
}

/// Makes `dir` ready: created (0700, with its parents) when missing; an existing one 0700 when it
/// holds nothing but the state (a folder an earlier run made, or an empty one). A folder holding
/// anything else is someone's own (`--state-dir ~`) and keeps its mode.
pub(crate) fn prepare_folder(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        secure_folder(dir)
    } else {
        create_dir(dir)
    }
}

/// Creates `path` empty, mode 0600, if it does not exist (a link planted there is not followed);
/// an existing one is made 0600.
#[cfg(unix)]
pub(crate) fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?,
        other => other?,
    };
    if file.metadata()?.permissions().mode() & 0o777 != 0o600 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(not(unix))]
pub(crate) fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
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

#[cfg(unix)]
fn secure_folder(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o777 == 0o700 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if !name.to_str().is_some_and(is_state_file) {
            return Ok(());
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn secure_folder(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_files_are_known_by_name() {
        for name in [
            "state.db",
            "state.db-wal",
            "state.db-shm",
            "state.lock",
            "stack-123-0.lock",
            "state.json",
            "state.json.migrated",
            ".state.json.77-0.tmp",
        ] {
            assert!(is_state_file(name), "{name}");
        }
        for name in ["notes.txt", "state.db.bak", ".state.json.bak", "stack.lock"] {
            assert!(!is_state_file(name), "{name}");
        }
    }
}
