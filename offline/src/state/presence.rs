//! Which stacks use a state folder. Several may (two templates' stacks from one checkout, or
//! `offline user-token` while a stack runs): they share the database as two API stacks share one
//! user pool. Each registers itself with a lock file of its own, `stack-PID-N.lock`, locked for as
//! long as it runs (the operating system releases the lock if it dies), so that `--fresh`, which
//! replaces the key and the users, can refuse to while any other is running, and name it.
//!
//! `state.lock` orders joining against starting over: a stack joins holding it shared (it
//! registers and opens the database), `--fresh` holds it exclusively while it checks for others
//! and replaces the state, so no stack can join in between.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::private::private_file;

/// The lock file ordering joins and fresh starts.
pub(crate) const GATE_FILE: &str = "state.lock";

/// Lock files made so far by this process (two stacks of one process, in tests, each have one).
static REGISTERED: AtomicU64 = AtomicU64::new(0);

/// `state.lock`, held (shared or exclusive) while it lives (closing the file releases it).
#[derive(Debug)]
pub(crate) struct Gate {
    _file: File,
}

impl Gate {
    /// Waits for the gate: exclusively to start over, shared to join.
    pub(crate) fn enter(dir: &Path, exclusive: bool) -> std::io::Result<Self> {
        let file = private_file(&dir.join(GATE_FILE))?;
        if exclusive {
            file.lock()?;
        } else {
            file.lock_shared()?;
        }
        Ok(Self { _file: file })
    }
}

/// This stack's registration in a folder: its lock file, locked until dropped, then removed.
#[derive(Debug)]
pub(crate) struct Presence {
    path: PathBuf,
    file: File,
}

impl Presence {
    /// Registers this process in `dir` (call through the [`Gate`]).
    pub(crate) fn register(dir: &Path) -> std::io::Result<Self> {
        let n = REGISTERED.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("stack-{}-{n}.lock", std::process::id()));
        let file = private_file(&path)?;
        file.lock()?;
        Ok(Self { path, file })
    }

    /// The processes of the other stacks using `dir` now. Lock files their owners left behind
    /// (a stack that was killed) are removed.
    pub(crate) fn others(&self, dir: &Path) -> std::io::Result<Vec<u32>> {
        let mut pids = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(registered_pid) else {
                continue;
            };
            if path == self.path {
                continue;
            }
            let Ok(file) = File::open(&path) else {
                continue;
            };
            match file.try_lock() {
                Ok(()) => {
                    // Its owner is gone: the lock was free.
                    let _ = std::fs::remove_file(&path);
                }
                Err(TryLockError::WouldBlock) => pids.push(pid),
                Err(TryLockError::Error(e)) => return Err(e),
            }
        }
        pids.sort_unstable();
        pids.dedup();
        Ok(pids)
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The process id in a lock file's name `stack-PID-N.lock`.
fn registered_pid(name: &str) -> Option<u32> {
    let middle = name.strip_prefix("stack-")?.strip_suffix(".lock")?;
    let (pid, n) = middle.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{LOWER_DIGITS, random_string};

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "offline-presence-{}",
            random_string(8, LOWER_DIGITS)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn running_stacks_are_seen_and_departed_ones_forgotten() {
        let dir = temp_dir();
        let first = Presence::register(&dir).unwrap();
        assert_eq!(first.others(&dir).unwrap(), Vec::<u32>::new());
        let second = Presence::register(&dir).unwrap();
        assert_eq!(first.others(&dir).unwrap(), [std::process::id()]);
        // A stack that was killed leaves its file unlocked behind.
        std::fs::write(dir.join("stack-999999-0.lock"), "").unwrap();
        assert_eq!(second.others(&dir).unwrap(), [std::process::id()]);
        assert!(!dir.join("stack-999999-0.lock").exists(), "removed");
        drop(second);
        assert_eq!(first.others(&dir).unwrap(), Vec::<u32>::new());
        drop(first);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no file left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lock_file_names() {
        assert_eq!(registered_pid("stack-123-0.lock"), Some(123));
        for name in [
            "stack-x-0.lock",
            "stack-1.lock",
            "state.lock",
            "stack-1-0.lock.tmp",
        ] {
            assert_eq!(registered_pid(name), None, "{name}");
        }
    }
}
