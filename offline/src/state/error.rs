//! Why the saved state cannot be opened, or a key cannot be made (at start: [`StateError`]); why a
//! read or a change of the people failed while serving ([`StoreError`]).

use std::path::PathBuf;

use authorizer::mint::KeyError;

/// The saved state cannot be opened, read or written, or a key cannot be made.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}{}", path.display(), problem.advice())]
pub struct StateError {
    pub(crate) path: PathBuf,
    pub(crate) problem: StateProblem,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum StateProblem {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
    #[error("written by a newer offline stack (schema version {found}; this one reads {reads})")]
    NewerSchema { found: i64, reads: i64 },
    /// `state.json` (the former state file, migrated once) cannot be read.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("unknown version {0}")]
    Version(u32),
    #[error("privateKey: {0}")]
    PrivateKeyEncoding(#[from] base64::DecodeError),
    #[error("privateKey: {0}")]
    PrivateKey(KeyError),
    /// The key cannot be generated or encoded.
    #[error(transparent)]
    Key(KeyError),
    /// `--fresh` while other stacks use the folder.
    #[error(
        "in use by {}: --fresh would replace the key and the users under it; stop it first, or start over in another folder (--state-dir)",
        processes(.0)
    )]
    InUse(Vec<u32>),
}

/// `process 12 and process 34`.
fn processes(pids: &[u32]) -> String {
    let named: Vec<String> = pids.iter().map(|p| format!("process {p}")).collect();
    named.join(" and ")
}

impl StateProblem {
    /// This problem, with the file or folder it concerns.
    pub(crate) fn at(self, path: impl Into<PathBuf>) -> StateError {
        StateError {
            path: path.into(),
            problem: self,
        }
    }

    /// What to do, after the problem: starting over, except when other stacks are running.
    fn advice(&self) -> &'static str {
        match self {
            Self::InUse(_) => "",
            _ => " (delete the folder or run with --fresh to start over)",
        }
    }
}

/// A read or change of the stored people failed (the request is answered
/// `InternalErrorException`; nothing was changed).
#[derive(Debug, thiserror::Error)]
#[error("the state database: {0}")]
pub(crate) struct StoreError(#[from] pub(crate) rusqlite::Error);

impl StoreError {
    /// Whether another program held the database's write lock longer than the stack waits.
    pub(crate) fn is_busy(&self) -> bool {
        self.0.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_path_and_what_to_do() {
        let damaged = StateProblem::Version(7).at("/x/state.json").to_string();
        assert_eq!(
            damaged,
            "/x/state.json: unknown version 7 (delete the folder or run with --fresh to start over)"
        );
        let in_use = StateProblem::InUse(vec![12, 34]).at("/x").to_string();
        assert_eq!(
            in_use,
            "/x: in use by process 12 and process 34: --fresh would replace the key and the users under it; stop it first, or start over in another folder (--state-dir)"
        );
    }
}
