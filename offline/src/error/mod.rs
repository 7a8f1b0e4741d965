//! Why the offline stack cannot start: every message names the file, setting or construct at fault.

pub(crate) mod run;

use std::path::PathBuf;

pub(crate) use self::run::RunError;
use crate::state::StateError;
use crate::template::env_vars::EnvVarsError;
use crate::template::overrides::OverrideError;
use crate::template::samconfig::SamConfigError;
use crate::template::{LoadError, TemplateError};

/// A start-up failure. Request handling never produces one: it answers with an HTTP error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The template cannot be read, or uses something the offline stack does not understand or
    /// cannot emulate.
    #[error(transparent)]
    Template(#[from] LoadError),
    /// The authorizer refused the configuration the template gives it.
    #[error("{}: the authorizer's environment: {source}", file.display())]
    Authorizer {
        file: PathBuf,
        source: authorizer::ConfigError,
    },
    /// The echo function refuses its environment at init.
    #[error("{}: the function {function}'s environment: {source}", file.display())]
    Echo {
        file: PathBuf,
        function: String,
        source: echo_handler::ConfigError,
    },
    /// A function of the template cannot be built or run.
    #[error("{}: Resources.{function}: {source}", file.display())]
    Function {
        file: PathBuf,
        function: String,
        source: RunError,
    },
    /// The stack's pool id is not a user pool id.
    #[error("{}: the user pool: {source}", file.display())]
    Pool {
        file: PathBuf,
        source: authorizer::PoolError,
    },
    #[error(transparent)]
    SamConfig(#[from] SamConfigError),
    #[error(transparent)]
    EnvVars(#[from] EnvVarsError),
    #[error("--parameter-overrides: {0}")]
    ParameterOverrides(#[from] OverrideError),
    /// `user-token` without `--client-id` for a template without app clients.
    #[error("--client-id: the template has no app client")]
    NoAppClient,
    /// The listener cannot be bound.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The saved state (key, pool id, client secrets) cannot be read or written.
    #[error(transparent)]
    State(#[from] StateError),
}

impl From<TemplateError> for Error {
    fn from(e: TemplateError) -> Self {
        Self::Template(e.into())
    }
}
