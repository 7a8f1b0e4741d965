//! Configuration from the environment, read and validated once at start. The only module that
//! knows the settings' names: every other constructor returns an error naming no setting, and
//! this one adds it.

use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::ConfigError;
use crate::keys::{CacheSettings, FetchSettings};
use crate::pool::UserPool;
use crate::requirement::Requirement;
use crate::routes::RouteTable;
use crate::rules::{ANSWER_BUDGET, PolicyScope, RouteRules, Rules};
use crate::verifier::VerifierSettings;

/// Everything the authorizer needs, validated: the settings of the Lambda (the repository's
/// `docs/configuration.md` lists them), read once at start. Plain data: build one from the
/// environment ([`Config::from_env`]), from any lookup ([`Config::from_lookup`]), or by hand.
#[derive(Debug, Clone)]
pub struct Config {
    /// The pools whose tokens are trusted (`USER_POOL_ID`, `USER_POOL_ARN`), at least one.
    pub pools: Vec<UserPool>,
    /// The token checks (`TOKEN_LEEWAY_SECS`, `MAX_TOKEN_BYTES`, `CLIENT_IDS`, the `JWKS_*` cache
    /// settings, `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`), with the claims the rules name.
    pub verifier: VerifierSettings,
    /// The JWKS fetch's timeouts and size cap (`JWKS_*`).
    pub fetch: FetchSettings,
    /// `ROUTE_SCOPES` (or the file `ROUTE_SCOPES_FILE` names) as a route table whose policies
    /// cover `POLICY_SCOPE`, else `REQUIRED_SCOPES` (or only a valid token) on every route.
    pub rules: Rules,
    /// What is allowed but worth saying at start, one line each, `SETTING: what`: the route
    /// table's conflicts, and answers larger than API Gateway's budget.
    pub warnings: Vec<String>,
    /// CloudWatch namespace of the decision metrics (`METRICS_NAMESPACE`).
    pub metrics_namespace: String,
    /// `SERVICE_NAME`: the `service` of every JSON log line and the `service` dimension of the
    /// metrics, [`DEFAULT_SERVICE_NAME`] when unset (1-255 letters, digits and `_.:/-`).
    pub service_name: String,
}

/// The `service` when `SERVICE_NAME` is unset: the template's `ServiceName` default, which its
/// alarms read.
pub const DEFAULT_SERVICE_NAME: &str = "echo-api-authorizer";

/// Reads settings by name; empty (after trimming) counts as unset.
struct Settings<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Settings<'_> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests), and the file a setting
    /// names from the file system. Empty values count as unset.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_sources(get, &|path| std::fs::read_to_string(path))
    }

    /// [`Config::from_lookup`], reading files through `read` (the offline stack maps Lambda's
    /// `/opt` to the template's layers). A relative path is resolved against `LAMBDA_TASK_ROOT`
    /// (the function's code on Lambda) when set, else the working directory.
    pub fn from_sources(
        get: impl Fn(&str) -> Option<String>,
        read: &dyn Fn(&Path) -> std::io::Result<String>,
    ) -> Result<Self, ConfigError> {
        let settings = Settings(&get);
        let (rules, warnings) = rules(&settings, read)?;
        let claims = match &rules {
            Rules::Routes(routes) => routes.claim_names().to_vec(),
            Rules::WholeApi(_) => Vec::new(),
        };
        let verifier = VerifierSettings {
            claims,
            client_ids: client_ids(&settings)?,
            endpoint_override: endpoint_override(&settings)?,
            cache: cache_settings(&settings)?,
            ..verifier_settings(&settings)?
        };
        Ok(Self {
            pools: pools(&settings)?,
            verifier,
            fetch: fetch_settings(&settings)?,
            rules,
            warnings,
            metrics_namespace: metrics_namespace(&settings)?,
            service_name: service_name(&settings)?,
        })
    }
}

/// `SERVICE_NAME`, else [`DEFAULT_SERVICE_NAME`].
fn service_name(s: &Settings<'_>) -> Result<String, ConfigError> {
    let Some(name) = s.get("SERVICE_NAME") else {
        return Ok(DEFAULT_SERVICE_NAME.to_owned());
    };
    if lambda_log::is_service_name(&name) {
        Ok(name)
    } else {
        Err(ConfigError::new(
            "SERVICE_NAME",
            format!(
                "`{}` is not 1-{} letters, digits and `_.:/-`",
                name.escape_debug(),
                lambda_log::MAX_SERVICE_NAME
            ),
        ))
    }
}

/// `METRICS_NAMESPACE`, else `CognitoAuthorizer`: CloudWatch's rules for a namespace (1-255 of
/// letters, digits and `.-_/#:`, not starting with `AWS/`, which is AWS's own).
fn metrics_namespace(s: &Settings<'_>) -> Result<String, ConfigError> {
    let Some(namespace) = s.get("METRICS_NAMESPACE") else {
        return Ok("CognitoAuthorizer".to_owned());
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || ".-_/#:".contains(c);
    if namespace.len() <= 255 && namespace.chars().all(allowed) && !namespace.starts_with("AWS/") {
        Ok(namespace)
    } else {
        Err(ConfigError::new(
            "METRICS_NAMESPACE",
            format!(
                "`{}` is not a CloudWatch namespace (1-255 letters, digits and `.-_/#:`, not `AWS/...`)",
                namespace.escape_debug()
            ),
        ))
    }
}

/// `USER_POOL_ID` and `USER_POOL_ARN`, deduplicated; at least one pool.
fn pools(s: &Settings<'_>) -> Result<Vec<UserPool>, ConfigError> {
    let mut pools = Vec::new();
    for id in list(s.get("USER_POOL_ID")) {
        pools.push(
            UserPool::from_id(&id).map_err(|e| ConfigError::new("USER_POOL_ID", e.to_string()))?,
        );
    }
    for arn in list(s.get("USER_POOL_ARN")) {
        let pool = UserPool::from_arn(&arn)
            .map_err(|e| ConfigError::new("USER_POOL_ARN", e.to_string()))?;
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
    Ok(pools)
}

/// `CLIENT_IDS`: unset allows any client; set, it must name at least one.
fn client_ids(s: &Settings<'_>) -> Result<HashSet<String>, ConfigError> {
    let Some(raw) = s.get("CLIENT_IDS") else {
        return Ok(HashSet::new());
    };
    let ids: HashSet<String> = list(Some(raw)).collect();
    if ids.is_empty() {
        return Err(ConfigError::new(
            "CLIENT_IDS",
            "lists no app client id (unset it to allow any client)",
        ));
    }
    if let Some(bad) = ids
        .iter()
        .find(|c| !c.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(ConfigError::new(
            "CLIENT_IDS",
            format!("`{}` is not an app client id", bad.escape_debug()),
        ));
    }
    Ok(ids)
}

/// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, else `AWS_ENDPOINT_URL`.
fn endpoint_override(s: &Settings<'_>) -> Result<Option<String>, ConfigError> {
    let found = [
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
        "AWS_ENDPOINT_URL",
    ]
    .into_iter()
    .find_map(|name| s.get(name).map(|url| (name, url)));
    let Some((name, url)) = found else {
        return Ok(None);
    };
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(Some(url))
    } else {
        Err(ConfigError::new(
            name,
            format!("`{}` is not an http(s) URL", url.escape_debug()),
        ))
    }
}

/// `TOKEN_LEEWAY_SECS` and `MAX_TOKEN_BYTES`; the other verifier settings have their own readers.
fn verifier_settings(s: &Settings<'_>) -> Result<VerifierSettings, ConfigError> {
    let defaults = VerifierSettings::default();
    Ok(VerifierSettings {
        leeway: s.secs("TOKEN_LEEWAY_SECS", defaults.leeway, 0..=300)?,
        max_token_bytes: s.number(
            "MAX_TOKEN_BYTES",
            defaults.max_token_bytes as u64,
            1024..=65_536,
        )? as usize,
        ..defaults
    })
}

/// The `JWKS_*` cache settings; the stale bound may not be under the TTL.
fn cache_settings(s: &Settings<'_>) -> Result<CacheSettings, ConfigError> {
    let d = CacheSettings::default();
    let cache = CacheSettings {
        ttl: s.secs("JWKS_TTL_SECS", d.ttl, 1..=7 * 86_400)?,
        max_stale: s.secs("JWKS_MAX_STALE_SECS", d.max_stale, 1..=30 * 86_400)?,
        unknown_kid_cooldown: s.secs(
            "JWKS_UNKNOWN_KID_COOLDOWN_SECS",
            d.unknown_kid_cooldown,
            0..=3600,
        )?,
        retry_after_error: s.millis(
            "JWKS_RETRY_AFTER_ERROR_MS",
            d.retry_after_error,
            0..=600_000,
        )?,
    };
    if cache.max_stale < cache.ttl {
        return Err(ConfigError::new(
            "JWKS_MAX_STALE_SECS",
            "must not be less than JWKS_TTL_SECS",
        ));
    }
    Ok(cache)
}

/// The JWKS fetch timeouts and size cap.
fn fetch_settings(s: &Settings<'_>) -> Result<FetchSettings, ConfigError> {
    let d = FetchSettings::default();
    Ok(FetchSettings {
        connect_timeout: s.millis("JWKS_CONNECT_TIMEOUT_MS", d.connect_timeout, 10..=30_000)?,
        total_timeout: s.millis("JWKS_TIMEOUT_MS", d.total_timeout, 10..=30_000)?,
        max_bytes: s.number("JWKS_MAX_BYTES", d.max_bytes as u64, 1024..=10_000_000)? as usize,
    })
}

/// The largest rules file read (a 300-route table is about 26 KB).
const MAX_RULES_FILE_BYTES: u64 = 1 << 20;

/// `ROUTE_SCOPES`, the file `ROUTE_SCOPES_FILE` names, or `REQUIRED_SCOPES`: one at most (any other
/// would be silently ignored); `POLICY_SCOPE` for a route table. With the warnings to log.
fn rules(
    s: &Settings<'_>,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<(Rules, Vec<String>), ConfigError> {
    let scope = policy_scope(s)?;
    let given = [
        ("ROUTE_SCOPES", s.get("ROUTE_SCOPES")),
        ("ROUTE_SCOPES_FILE", s.get("ROUTE_SCOPES_FILE")),
        ("REQUIRED_SCOPES", s.get("REQUIRED_SCOPES")),
    ];
    let mut set = given
        .iter()
        .filter_map(|(name, v)| v.as_ref().map(|v| (*name, v)));
    let first = set.next();
    if let (Some((one, _)), Some((other, _))) = (first, set.next()) {
        let problem =
            format!("cannot be used with {one} (one would be ignored); give the rules once");
        return Err(ConfigError::new(other, problem));
    }
    let table = match first {
        Some(("ROUTE_SCOPES", json)) => ("ROUTE_SCOPES", json.clone()),
        Some(("ROUTE_SCOPES_FILE", path)) => ("ROUTE_SCOPES_FILE", rules_file(s, path, read)?),
        Some((_, scopes)) if scope == PolicyScope::Api => {
            return Requirement::from_scope_string(scopes)
                .map(|r| (Rules::WholeApi(r), Vec::new()))
                .map_err(|e| ConfigError::new("REQUIRED_SCOPES", e.to_string()));
        }
        None if scope == PolicyScope::Api => return Ok((Rules::default(), Vec::new())),
        _ => {
            let problem = "`route` needs a route table (ROUTE_SCOPES or ROUTE_SCOPES_FILE)";
            return Err(ConfigError::new("POLICY_SCOPE", problem));
        }
    };
    let (setting, json) = table;
    let table = RouteTable::parse(&json).map_err(|e| ConfigError::new(setting, e.to_string()))?;
    let rules = RouteRules::new(table, scope);
    let warnings = rule_warnings(setting, &rules);
    Ok((Rules::Routes(rules), warnings))
}

/// `POLICY_SCOPE`: `api` (the default) or `route`.
fn policy_scope(s: &Settings<'_>) -> Result<PolicyScope, ConfigError> {
    match s.get("POLICY_SCOPE").as_deref() {
        None | Some("api") => Ok(PolicyScope::Api),
        Some("route") => Ok(PolicyScope::Route),
        Some(other) => Err(ConfigError::new(
            "POLICY_SCOPE",
            format!("`{}`: expected `api` or `route`", other.escape_debug()),
        )),
    }
}

/// The file `ROUTE_SCOPES_FILE` names, read whole (at most [`MAX_RULES_FILE_BYTES`]).
fn rules_file(
    s: &Settings<'_>,
    path: &str,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<String, ConfigError> {
    let mut full = PathBuf::from(path);
    if let Some(root) = s.get("LAMBDA_TASK_ROOT").filter(|_| full.is_relative()) {
        full = Path::new(&root).join(full);
    }
    let shown = full.display().to_string().escape_debug().to_string();
    let text = read(&full)
        .map_err(|e| ConfigError::new("ROUTE_SCOPES_FILE", format!("`{shown}`: {e}")))?;
    if text.len() as u64 > MAX_RULES_FILE_BYTES {
        let problem = format!("`{shown}` is over {MAX_RULES_FILE_BYTES} bytes");
        return Err(ConfigError::new("ROUTE_SCOPES_FILE", problem));
    }
    Ok(text)
}

/// One line per conflict of the table, and one when some token's whole-API answer would be
/// larger than API Gateway's budget.
fn rule_warnings(setting: &str, rules: &RouteRules) -> Vec<String> {
    let mut warnings: Vec<String> = rules
        .conflicts()
        .iter()
        .map(|c| format!("{setting}: conflict: {c}"))
        .collect();
    let largest = (rules.scope() == PolicyScope::Api)
        .then(|| rules.largest_answer())
        .flatten();
    if let Some((bytes, token)) = largest.filter(|(b, _)| *b > ANSWER_BUDGET) {
        warnings.push(format!(
            "{setting}: the answer for {token} is {bytes} bytes, over the {ANSWER_BUDGET}-byte \
             budget for an authorizer's answer (an exact policy lists every route a token may \
             call): cache per route instead (POLICY_SCOPE=route, see docs/policy.md)"
        ));
    }
    warnings
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

impl Settings<'_> {
    /// A whole number in `range`, else `default` when unset.
    fn number(
        &self,
        name: &'static str,
        default: u64,
        range: RangeInclusive<u64>,
    ) -> Result<u64, ConfigError> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        let value: u64 = raw.parse().map_err(|_| {
            let raw = raw.escape_debug();
            ConfigError::new(name, format!("`{raw}` is not a whole number"))
        })?;
        if !range.contains(&value) {
            let (min, max) = (range.start(), range.end());
            return Err(ConfigError::new(
                name,
                format!("{value} is outside {min}..={max}"),
            ));
        }
        Ok(value)
    }

    /// Seconds in `range`.
    fn secs(
        &self,
        name: &'static str,
        default: Duration,
        range: RangeInclusive<u64>,
    ) -> Result<Duration, ConfigError> {
        self.number(name, default.as_secs(), range)
            .map(Duration::from_secs)
    }

    /// Milliseconds in `range`.
    fn millis(
        &self,
        name: &'static str,
        default: Duration,
        range: RangeInclusive<u64>,
    ) -> Result<Duration, ConfigError> {
        let default = u64::try_from(default.as_millis()).unwrap_or(u64::MAX);
        self.number(name, default, range).map(Duration::from_millis)
    }
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
        assert_eq!(c.rules, Rules::default());
        assert!(c.verifier.client_ids.is_empty());
        assert_eq!(c.verifier.endpoint_override, None);
        assert_eq!(c.metrics_namespace, "CognitoAuthorizer");
        assert_eq!(c.service_name, "echo-api-authorizer");
        let named = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("SERVICE_NAME", " team/authorizer:v2 "),
        ])
        .unwrap();
        assert_eq!(named.service_name, "team/authorizer:v2");
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
    fn a_rules_file_is_read_beside_the_code() {
        let dir = std::env::temp_dir().join(format!("rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("rules.json"), r#"{"GET /a": "s/read"}"#).unwrap();
        let root = dir.to_string_lossy().into_owned();
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("ROUTE_SCOPES_FILE", "rules.json"),
            ("LAMBDA_TASK_ROOT", &root),
            ("POLICY_SCOPE", "route"),
        ])
        .unwrap();
        let Rules::Routes(rules) = &c.rules else {
            panic!("a route table")
        };
        assert_eq!(rules.table().routes().len(), 1);
        assert_eq!(rules.scope(), PolicyScope::Route);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn conflicts_and_large_answers_are_warnings_naming_the_setting() {
        let conflicting = r#"{"GET /v1/{proxy+}": "r", "GET /v1/admin/{id}": "a", "GET /v1/admin/{id}/public": "r"}"#;
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("ROUTE_SCOPES", conflicting),
        ])
        .unwrap();
        assert!(!c.warnings.is_empty());
        assert!(
            c.warnings
                .iter()
                .all(|w| w.starts_with("ROUTE_SCOPES: conflict: ")),
            "{:?}",
            c.warnings
        );
        let many: Vec<String> = (0..120)
            .map(|i| format!(r#""GET /v1/resource-number-{i}/items": "s/read""#))
            .collect();
        let large = format!("{{{}}}", many.join(","));
        let c = config(&[("USER_POOL_ID", "us-east-1_Abc"), ("ROUTE_SCOPES", &large)]).unwrap();
        assert!(
            c.warnings
                .iter()
                .any(|w| w.starts_with("ROUTE_SCOPES: the answer for a token")
                    && w.contains("POLICY_SCOPE=route")),
            "{:?}",
            c.warnings
        );
        let c = config(&[
            ("USER_POOL_ID", "us-east-1_Abc"),
            ("ROUTE_SCOPES", &large),
            ("POLICY_SCOPE", "route"),
        ])
        .unwrap();
        assert!(
            c.warnings.is_empty(),
            "per route, answers stay small: {:?}",
            c.warnings
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
                vec![pool, ("ROUTE_SCOPES", r#"{"GET /admin": []}"#)],
                "ROUTE_SCOPES",
                "`GET /admin`: empty list of alternatives",
            ),
            (
                vec![pool, ("ROUTE_SCOPES", r#"{"GET /admin": [[]]}"#)],
                "ROUTE_SCOPES",
                "`GET /admin`: an alternative must be a scope name or a rule object",
            ),
            (
                vec![
                    pool,
                    ("ROUTE_SCOPES", r#"{"GET /admin": "a", "GET /admin": "b"}"#),
                ],
                "ROUTE_SCOPES",
                "key `GET /admin` appears twice",
            ),
            (
                vec![
                    pool,
                    (
                        "ROUTE_SCOPES",
                        r#"{"GET /admin": {"anyScopes": ["a"], "anyScopes": []}}"#,
                    ),
                ],
                "ROUTE_SCOPES",
                "key `anyScopes` appears twice",
            ),
            (
                vec![
                    pool,
                    ("ROUTE_SCOPES", r#"{"GET /x": "a"}"#),
                    ("REQUIRED_SCOPES", "b"),
                ],
                "REQUIRED_SCOPES",
                "cannot be used with ROUTE_SCOPES",
            ),
            (
                vec![pool, ("CLIENT_IDS", " , ")],
                "CLIENT_IDS",
                "lists no app client id",
            ),
            (
                vec![pool, ("REQUIRED_SCOPES", "a\u{a0}b")],
                "REQUIRED_SCOPES",
                "invalid scope name",
            ),
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
                vec![pool, ("METRICS_NAMESPACE", "AWS/Lambda")],
                "METRICS_NAMESPACE",
                "not a CloudWatch namespace",
            ),
            (
                vec![pool, ("METRICS_NAMESPACE", "a b")],
                "METRICS_NAMESPACE",
                "not a CloudWatch namespace",
            ),
            (
                vec![pool, ("CLIENT_IDS", "abc,x\ny")],
                "CLIENT_IDS",
                "`x\\ny` is not an app client id",
            ),
            (
                vec![pool, ("MAX_TOKEN_BYTES", "-1")],
                "MAX_TOKEN_BYTES",
                "not a whole number",
            ),
            (
                vec![pool, ("SERVICE_NAME", "my service")],
                "SERVICE_NAME",
                "`my service` is not 1-255 letters, digits and `_.:/-`",
            ),
            (
                vec![pool, ("SERVICE_NAME", "a\nb")],
                "SERVICE_NAME",
                "`a\\nb` is not",
            ),
            (
                vec![
                    pool,
                    ("ROUTE_SCOPES", "{}"),
                    ("ROUTE_SCOPES_FILE", "rules.json"),
                ],
                "ROUTE_SCOPES_FILE",
                "cannot be used with ROUTE_SCOPES",
            ),
            (
                vec![pool, ("ROUTE_SCOPES_FILE", "/nonexistent/rules.json")],
                "ROUTE_SCOPES_FILE",
                "`/nonexistent/rules.json`: No such file",
            ),
            (
                vec![pool, ("POLICY_SCOPE", "routes")],
                "POLICY_SCOPE",
                "`routes`: expected `api` or `route`",
            ),
            (
                vec![pool, ("POLICY_SCOPE", "route"), ("REQUIRED_SCOPES", "a")],
                "POLICY_SCOPE",
                "needs a route table",
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
