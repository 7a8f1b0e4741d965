//! Configuration from the environment, read and validated once at start.

use std::collections::HashSet;
use std::time::Duration;

use crate::error::ConfigError;
use crate::grants::Requirement;
use crate::keys::{CacheSettings, FetchSettings};
use crate::pool::UserPool;
use crate::routes::RouteTable;
use crate::verifier::VerifierSettings;

/// Everything the authorizer needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub pools: Vec<UserPool>,
    pub verifier: VerifierSettings,
    pub fetch: FetchSettings,
    /// `ROUTE_SCOPES`; `None` when unset (every route needs only a valid token and `required`).
    pub routes: Option<RouteTable>,
    /// `REQUIRED_SCOPES`: needed on every route when `ROUTE_SCOPES` is unset.
    pub required: Requirement,
    /// CloudWatch namespace of the decision metrics (`METRICS_NAMESPACE`).
    pub metrics_namespace: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests). Empty values count as unset.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let mut pools = Vec::new();
        for id in list(get("USER_POOL_ID")) {
            pools.push(UserPool::from_id(&id, "USER_POOL_ID")?);
        }
        for arn in list(get("USER_POOL_ARN")) {
            let pool = UserPool::from_arn(&arn, "USER_POOL_ARN")?;
            if !pools.contains(&pool) {
                pools.push(pool);
            }
        }
        if pools.is_empty() {
            return Err(ConfigError::new(
                "USER_POOL_ID",
                "set USER_POOL_ID (comma-separated pool ids) or USER_POOL_ARN",
            ));
        }

        let client_ids: HashSet<String> = list(get("CLIENT_IDS")).collect();
        if let Some(bad) = client_ids
            .iter()
            .find(|c| !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(ConfigError::new(
                "CLIENT_IDS",
                format!("`{bad}` is not an app client id"),
            ));
        }

        let endpoint_override = get("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
            .map(|url| ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", url))
            .or_else(|| get("AWS_ENDPOINT_URL").map(|url| ("AWS_ENDPOINT_URL", url)))
            .map(|(setting, url)| {
                if url.starts_with("http://") || url.starts_with("https://") {
                    Ok(url)
                } else {
                    Err(ConfigError::new(
                        setting,
                        format!("`{url}` is not an http(s) URL"),
                    ))
                }
            })
            .transpose()?;

        let cache_defaults = CacheSettings::default();
        let fetch_defaults = FetchSettings::default();
        let verifier_defaults = VerifierSettings::default();
        let verifier = VerifierSettings {
            leeway: secs(&get, "TOKEN_LEEWAY_SECS", verifier_defaults.leeway, 0, 300)?,
            max_token_bytes: number(
                &get,
                "MAX_TOKEN_BYTES",
                verifier_defaults.max_token_bytes as u64,
                1024,
                65_536,
            )? as usize,
            client_ids,
            endpoint_override,
            cache: CacheSettings {
                ttl: secs(&get, "JWKS_TTL_SECS", cache_defaults.ttl, 1, 7 * 86_400)?,
                max_stale: secs(
                    &get,
                    "JWKS_MAX_STALE_SECS",
                    cache_defaults.max_stale,
                    1,
                    30 * 86_400,
                )?,
                unknown_kid_cooldown: secs(
                    &get,
                    "JWKS_UNKNOWN_KID_COOLDOWN_SECS",
                    cache_defaults.unknown_kid_cooldown,
                    0,
                    3600,
                )?,
                retry_after_error: millis(
                    &get,
                    "JWKS_RETRY_AFTER_ERROR_MS",
                    cache_defaults.retry_after_error,
                    0,
                    600_000,
                )?,
            },
        };
        if verifier.cache.max_stale < verifier.cache.ttl {
            return Err(ConfigError::new(
                "JWKS_MAX_STALE_SECS",
                "must not be less than JWKS_TTL_SECS",
            ));
        }
        let fetch = FetchSettings {
            connect_timeout: millis(
                &get,
                "JWKS_CONNECT_TIMEOUT_MS",
                fetch_defaults.connect_timeout,
                10,
                30_000,
            )?,
            total_timeout: millis(
                &get,
                "JWKS_TIMEOUT_MS",
                fetch_defaults.total_timeout,
                10,
                30_000,
            )?,
            max_bytes: number(
                &get,
                "JWKS_MAX_BYTES",
                fetch_defaults.max_bytes as u64,
                1024,
                10_000_000,
            )? as usize,
        };

        let routes = get("ROUTE_SCOPES")
            .map(|json| RouteTable::parse(&json))
            .transpose()?;
        let required = match get("REQUIRED_SCOPES") {
            Some(scopes) => crate::routes::parse_scope_string(&scopes, "REQUIRED_SCOPES")?,
            None => Requirement::default(),
        };
        let metrics_namespace =
            get("METRICS_NAMESPACE").unwrap_or_else(|| "CognitoAuthorizer".to_owned());

        Ok(Self {
            pools,
            verifier,
            fetch,
            routes,
            required,
            metrics_namespace,
        })
    }
}

fn list(value: Option<String>) -> impl Iterator<Item = String> {
    value
        .into_iter()
        .flat_map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
}

fn number(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    let Some(raw) = get(name) else {
        return Ok(default);
    };
    let value: u64 = raw
        .parse()
        .map_err(|_| ConfigError::new(name, format!("`{raw}` is not a whole number")))?;
    if !(min..=max).contains(&value) {
        return Err(ConfigError::new(
            name,
            format!("{value} is outside {min}..={max}"),
        ));
    }
    Ok(value)
}

fn secs(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Duration,
    min: u64,
    max: u64,
) -> Result<Duration, ConfigError> {
    number(get, name, default.as_secs(), min, max).map(Duration::from_secs)
}

fn millis(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Duration,
    min: u64,
    max: u64,
) -> Result<Duration, ConfigError> {
    number(get, name, default.as_millis() as u64, min, max).map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_documented_values() {
        let c = config(&[("USER_POOL_ID", "us-east-1_Abc")]).unwrap();
        assert_eq!(c.pools.len(), 1);
        assert_eq!(c.verifier.leeway, Duration::from_secs(5));
        assert_eq!(c.verifier.max_token_bytes, 8192);
        assert_eq!(c.verifier.cache.ttl, Duration::from_secs(3600));
        assert_eq!(c.verifier.cache.max_stale, Duration::from_secs(86_400));
        assert_eq!(
            c.verifier.cache.unknown_kid_cooldown,
            Duration::from_secs(10)
        );
        assert_eq!(
            c.verifier.cache.retry_after_error,
            Duration::from_millis(1000)
        );
        assert_eq!(c.fetch.connect_timeout, Duration::from_millis(1000));
        assert_eq!(c.fetch.total_timeout, Duration::from_millis(2000));
        assert_eq!(c.fetch.max_bytes, 150_000);
        assert!(c.routes.is_none());
        assert!(c.required.is_empty());
        assert!(c.verifier.client_ids.is_empty());
        assert_eq!(c.verifier.endpoint_override, None);
        assert_eq!(c.metrics_namespace, "CognitoAuthorizer");
    }

    #[test]
    fn pools_from_ids_and_arns_deduplicated() {
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc, eu-west-1_Def"),
            (
                "USER_POOL_ARN",
                "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc",
            ),
        ])
        .unwrap();
        let ids: Vec<&str> = c.pools.iter().map(UserPool::id).collect();
        assert_eq!(ids, ["us-east-1_Abc", "eu-west-1_Def"]);
        let only_arn = config(&[(
            "USER_POOL_ARN",
            "arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Abc",
        )])
        .unwrap();
        assert_eq!(only_arn.pools[0].partition(), "aws-us-gov");
    }

    #[test]
    fn endpoint_override_prefers_the_service_specific_variable() {
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            (
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                "http://127.0.0.1:2",
            ),
        ])
        .unwrap();
        assert_eq!(
            c.verifier.endpoint_override.as_deref(),
            Some("http://127.0.0.1:2")
        );
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ])
        .unwrap();
        assert_eq!(
            c.verifier.endpoint_override.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn every_bad_value_names_its_setting() {
        let pool = ("USER_POOL_ID", "us-east-1_Abc");
        for (vars, setting, fragment) in [
            (vec![], "USER_POOL_ID", "set USER_POOL_ID"),
            (
                vec![("USER_POOL_ID", "not-a-pool")],
                "USER_POOL_ID",
                "not a user pool id",
            ),
            (
                vec![("USER_POOL_ARN", "arn:aws:s3:::bucket")],
                "USER_POOL_ARN",
                "not a user pool ARN",
            ),
            (
                vec![pool, ("CLIENT_IDS", "abc,d-e")],
                "CLIENT_IDS",
                "`d-e` is not an app client id",
            ),
            (
                vec![pool, ("ROUTE_SCOPES", "{not json")],
                "ROUTE_SCOPES",
                "not valid JSON",
            ),
            (
                vec![pool, ("ROUTE_SCOPES", r#"{"FETCH /x": "a"}"#)],
                "ROUTE_SCOPES",
                "unknown method `FETCH`",
            ),
            (
                vec![pool, ("ROUTE_SCOPES", r#"{"GET /x": ""}"#)],
                "ROUTE_SCOPES",
                "empty scope",
            ),
            (vec![pool, ("REQUIRED_SCOPES", "   ")], "", ""),
            (
                vec![pool, ("TOKEN_LEEWAY_SECS", "five")],
                "TOKEN_LEEWAY_SECS",
                "not a whole number",
            ),
            (
                vec![pool, ("TOKEN_LEEWAY_SECS", "301")],
                "TOKEN_LEEWAY_SECS",
                "outside 0..=300",
            ),
            (
                vec![pool, ("JWKS_TIMEOUT_MS", "0")],
                "JWKS_TIMEOUT_MS",
                "outside",
            ),
            (
                vec![
                    pool,
                    ("JWKS_TTL_SECS", "7200"),
                    ("JWKS_MAX_STALE_SECS", "60"),
                ],
                "JWKS_MAX_STALE_SECS",
                "less than JWKS_TTL_SECS",
            ),
            (
                vec![pool, ("AWS_ENDPOINT_URL", "127.0.0.1:9229")],
                "AWS_ENDPOINT_URL",
                "not an http(s) URL",
            ),
            (
                vec![pool, ("MAX_TOKEN_BYTES", "-1")],
                "MAX_TOKEN_BYTES",
                "not a whole number",
            ),
        ] {
            match config(&vars) {
                Ok(_) => assert!(setting.is_empty(), "{vars:?} should fail"),
                Err(e) => {
                    assert_eq!(e.setting, setting, "{vars:?}: {e}");
                    assert!(e.to_string().starts_with(&format!("{setting}: ")), "{e}");
                    assert!(e.to_string().contains(fragment), "{e}");
                    assert!(!e.to_string().contains('\n'), "one line: {e}");
                }
            }
        }
    }
}
