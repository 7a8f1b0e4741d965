//! Why the offline stack cannot start: every message names the file, setting or construct at fault.

use std::path::PathBuf;

/// A start-up failure. Request handling never produces one: it answers with an HTTP error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The template uses something the offline stack does not understand or cannot emulate.
    #[error("{file}: {at}: {problem}")]
    Template {
        file: PathBuf,
        /// Where in the template, e.g. `Resources.AuthorizerFunction.Properties.Environment`.
        at: String,
        problem: String,
    },
    /// The authorizer refused the configuration the template gives it.
    #[error("{file}: the authorizer's environment: {source}")]
    Authorizer {
        file: PathBuf,
        source: authorizer::ConfigError,
    },
    /// The pool id the stack uses is not a user pool id.
    #[error("{file}: the user pool: {source}")]
    Pool {
        file: PathBuf,
        source: authorizer::PoolError,
    },
    /// A command-line option or an override file is wrong.
    #[error("{option}: {problem}")]
    Option { option: String, problem: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The saved state (key, pool id, client secrets) cannot be read or written.
    #[error("{path}: {problem} (delete the folder or run with --fresh to start over)")]
    State { path: PathBuf, problem: String },
}

impl Error {
    pub(crate) fn option(option: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Option {
            option: option.into(),
            problem: problem.into(),
        }
    }
}
