//! The parts of samconfig.toml the offline stack reads: `stack_name`, `region` and
//! `parameter_overrides` of an env, from `[env.deploy.parameters]`, else
//! `[env.global.parameters]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::overrides::{OverrideError, parse_overrides};

/// Why samconfig.toml cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SamConfigError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Toml {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("{}: [{env}.deploy.parameters] parameter_overrides: {problem}", path.display())]
    Overrides {
        path: PathBuf,
        env: String,
        problem: OverridesProblem,
    },
}

/// What is wrong with a `parameter_overrides` entry.
#[derive(Debug, thiserror::Error)]
pub enum OverridesProblem {
    #[error(transparent)]
    Syntax(#[from] OverrideError),
    #[error("expected strings")]
    NotStrings,
    #[error("expected a string or an array of strings")]
    NotStringOrArray,
}

/// A samconfig.toml, or none (every value absent).
#[derive(Debug, Default)]
pub(crate) struct SamConfig {
    file: PathBuf,
    doc: toml::Table,
}

impl SamConfig {
    pub(crate) fn read(path: &Path) -> Result<Self, SamConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| SamConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let doc = text
            .parse::<toml::Table>()
            .map_err(|source| SamConfigError::Toml {
                path: path.to_owned(),
                source,
            })?;
        Ok(Self {
            file: path.to_owned(),
            doc,
        })
    }

    /// `[env.deploy.parameters].key`, else `[env.global.parameters].key`.
    fn raw(&self, env: &str, key: &str) -> Option<&toml::Value> {
        ["deploy", "global"]
            .iter()
            .find_map(|command| self.doc.get(env)?.get(command)?.get("parameters")?.get(key))
    }

    /// A string setting of `env`, e.g. `stack_name`.
    pub(crate) fn value(&self, env: &str, key: &str) -> Option<String> {
        self.raw(env, key)?.as_str().map(str::to_owned)
    }

    /// `parameter_overrides` of `env` (a string, or an array of strings), parsed.
    pub(crate) fn overrides(&self, env: &str) -> Result<BTreeMap<String, String>, SamConfigError> {
        let bad = |problem: OverridesProblem| SamConfigError::Overrides {
            path: self.file.clone(),
            env: env.to_owned(),
            problem,
        };
        let parse = |s: &str| parse_overrides(s).map_err(|e| bad(e.into()));
        match self.raw(env, "parameter_overrides") {
            None => Ok(BTreeMap::new()),
            Some(toml::Value::String(s)) => parse(s),
            Some(toml::Value::Array(items)) => {
                let mut out = BTreeMap::new();
                for item in items {
                    let s = item
                        .as_str()
                        .ok_or_else(|| bad(OverridesProblem::NotStrings))?;
                    out.extend(parse(s)?);
                }
                Ok(out)
            }
            Some(_) => Err(bad(OverridesProblem::NotStringOrArray)),
        }
    }
}
