//! The echo's settings, read once at start. The only module that knows their names: a bad value
//! stops the function at init with `SETTING: problem`.

use crate::cors::{Cors, NotAnOrigin};

/// The `service` of the log lines when `SERVICE_NAME` is unset.
pub const DEFAULT_SERVICE_NAME: &str = "echo-handler";

/// Everything the echo needs, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `SERVICE_NAME`: the `service` of every JSON log line, [`DEFAULT_SERVICE_NAME`] when unset
    /// (1-255 letters, digits and `_.:/-`).
    pub service_name: String,
    /// `CORS_ALLOW_ORIGIN`: the one browser origin the echo's answers name; unset, no CORS
    /// headers.
    pub cors: Cors,
}

/// A setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("SERVICE_NAME: `{0}` is not 1-255 letters, digits and `_.:/-`")]
    ServiceName(String),
    #[error("CORS_ALLOW_ORIGIN: {0}")]
    AllowOrigin(#[from] NotAnOrigin),
}

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    /// [`ConfigError`] naming the setting at fault.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or the template's in the offline stack).
    /// Empty values (after trimming) count as unset.
    ///
    /// # Errors
    /// [`ConfigError`] naming the setting at fault.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let service_name = match get("SERVICE_NAME") {
            None => DEFAULT_SERVICE_NAME.to_owned(),
            Some(name) if lambda_log::is_service_name(&name) => name,
            Some(bad) => return Err(ConfigError::ServiceName(bad.escape_debug().to_string())),
        };
        let cors = match get("CORS_ALLOW_ORIGIN") {
            None => Cors::disabled(),
            Some(origin) => Cors::for_origin(&origin)?,
        };
        Ok(Self { service_name, cors })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_and_values() {
        let c = config(&[]).unwrap();
        assert_eq!(c.service_name, DEFAULT_SERVICE_NAME);
        assert_eq!(c.cors, Cors::disabled());
        let c = config(&[
            ("SERVICE_NAME", "echo"),
            ("CORS_ALLOW_ORIGIN", " http://localhost:3001 "),
        ])
        .unwrap();
        assert_eq!(c.service_name, "echo");
        assert_eq!(c.cors.allow_origin(), Some("http://localhost:3001"));
        assert_eq!(
            config(&[("CORS_ALLOW_ORIGIN", "  ")]).unwrap().cors,
            Cors::disabled()
        );
    }

    #[test]
    fn every_bad_value_names_its_setting_on_one_line() {
        for (pairs, setting) in [
            (vec![("SERVICE_NAME", "a b")], "SERVICE_NAME"),
            (vec![("SERVICE_NAME", "a\nb")], "SERVICE_NAME"),
            (vec![("CORS_ALLOW_ORIGIN", "*")], "CORS_ALLOW_ORIGIN"),
            (vec![("CORS_ALLOW_ORIGIN", "null")], "CORS_ALLOW_ORIGIN"),
            (
                vec![(
                    "CORS_ALLOW_ORIGIN",
                    "https://a.example.com,https://b.example.com",
                )],
                "CORS_ALLOW_ORIGIN",
            ),
        ] {
            let e = config(&pairs).expect_err(setting).to_string();
            assert!(e.starts_with(&format!("{setting}: ")), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
