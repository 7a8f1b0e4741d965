//! Why a function of the template cannot be run offline, found at start.

use std::path::PathBuf;

/// A function that cannot be built or prepared.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "no CodeUri: the offline stack builds a function from its Cargo project, as sam build does"
    )]
    NoCode,
    #[error("`{manifest}`: cargo metadata failed: {message}")]
    Metadata { manifest: PathBuf, message: String },
    #[error("no package of the Cargo workspace of `{manifest}` has a binary `{binary}`")]
    NoBinary { manifest: PathBuf, binary: String },
    #[error("`{command}` failed (cargo's messages are above)")]
    Build { command: String },
    #[error(
        "the layers {first} and {second} both hold `{file}`, and AWS does not document which copy a function sees: keep one"
    )]
    LayerConflict {
        file: String,
        first: String,
        second: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl RunError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
