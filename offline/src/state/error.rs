//! Why the saved state cannot be read or written, or a key cannot be made.

use std::path::PathBuf;

use authorizer::mint::KeyError;

/// The saved state cannot be read or written, or a key cannot be made.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem} (delete the folder or run with --fresh to start over)", path.display())]
pub struct StateError {
    pub(crate) path: PathBuf,
    pub(crate) problem: StateProblem,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum StateProblem {
    #[error(transparent)]
    Io(#[from] std::io::Error),
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
}

impl StateProblem {
    /// This problem, with the file or folder it concerns.
    pub(crate) fn at(self, path: impl Into<PathBuf>) -> StateError {
        StateError {
            path: path.into(),
            problem: self,
        }
    }
}
