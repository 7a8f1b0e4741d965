//! An HTTP API's JWT authorizer: an `Auth.Authorizers` entry with `JwtConfiguration` (SAM's
//! `OAuth2Authorizer`): `JwtConfiguration.issuer` and `.audience` (SAM takes the keys in any
//! case), `IdentitySource` (one header or query parameter) and the authorizer's
//! `AuthorizationScopes`.

use serde_json::{Map, Value};

use crate::template::api::{BuiltinAuthorizer, JwtAuthorizer, TokenSource};
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, str_field, string_list};

/// What makes an entry a JWT authorizer, and all it may hold.
const KEYS: &[&str] = &["JwtConfiguration", "IdentitySource", "AuthorizationScopes"];
/// Most audiences one JWT authorizer takes (API Gateway's quota).
const MAX_AUDIENCES: usize = 50;

/// The entry `spec` (at `at`) as a JWT authorizer; `None` when it has none of a JWT authorizer's
/// keys (a Lambda authorizer).
pub(crate) fn jwt_authorizer(spec: &Value, at: &str) -> Option<Result<BuiltinAuthorizer, Located>> {
    KEYS.iter().find(|k| spec.get(**k).is_some())?;
    Some(read(spec, at).map(BuiltinAuthorizer::Jwt))
}

fn read(spec: &Value, at: &str) -> Result<JwtAuthorizer, Located> {
    only_known(spec, KEYS, at)?;
    let (issuer, audience) = configuration(
        spec.get("JwtConfiguration"),
        &format!("{at}.JwtConfiguration"),
    )?;
    let source_at = format!("{at}.IdentitySource");
    Ok(JwtAuthorizer {
        trust_at: format!("{at}.JwtConfiguration.issuer"),
        issuer,
        audience,
        source: token_source(str_field(spec, "IdentitySource", at)?, &source_at)?,
        scopes: string_list(spec, "AuthorizationScopes", at)?,
    })
}

/// A JWT configuration (at `at`; its keys in any case, as SAM passes them on): its `issuer` and
/// its 1 to 50 `audience` entries.
pub(crate) fn configuration(
    config: Option<&Value>,
    at: &str,
) -> Result<(String, Vec<String>), Located> {
    let config = match config {
        Some(Value::Object(config)) => lower_case_keys(config),
        Some(_) => return Err(Problem::NotAMapping.at(at)),
        None => return Err(Problem::Missing.at(at)),
    };
    only_known(&config, &["issuer", "audience"], at)?;
    let audience = string_list(&config, "audience", at)?;
    if audience.is_empty() || audience.len() > MAX_AUDIENCES {
        let problem = Problem::OutOfRange {
            min: 1,
            max: MAX_AUDIENCES as u64,
        };
        return Err(problem.at(format!("{at}.audience")));
    }
    Ok((str_field(&config, "issuer", at)?.to_owned(), audience))
}

/// `JwtConfiguration` with its keys in lower case, as SAM passes it on.
fn lower_case_keys(config: &Map<String, Value>) -> Value {
    let lowered = config
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()));
    Value::Object(lowered.collect())
}

/// `$request.header.NAME` or `$request.querystring.NAME`: API Gateway takes one of these for a
/// JWT authorizer.
pub(crate) fn token_source(source: &str, at: &str) -> Result<TokenSource, Located> {
    let named = |prefix: &str| {
        source
            .strip_prefix(prefix)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
    };
    if let Some(header) = named("$request.header.") {
        Ok(TokenSource::Header(header))
    } else if let Some(name) = named("$request.querystring.") {
        Ok(TokenSource::QueryString(name))
    } else {
        Err(Problem::JwtIdentitySource(source.to_owned()).at(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(spec: Value) -> Result<JwtAuthorizer, Located> {
        match jwt_authorizer(&spec, "A") {
            Some(Ok(BuiltinAuthorizer::Jwt(jwt))) => Ok(jwt),
            Some(Err(e)) => Err(e),
            other => panic!("{other:?}"),
        }
    }

    fn spec() -> Value {
        json!({"JwtConfiguration": {"issuer": "https://issuer", "audience": ["c1", "c2"]},
            "IdentitySource": "$request.header.Authorization", "AuthorizationScopes": ["s/a"]})
    }

    #[test]
    fn sams_oauth2_authorizer_is_read_in_any_key_case() {
        let jwt = read(spec()).unwrap();
        assert_eq!(
            (jwt.issuer.as_str(), jwt.audience.len()),
            ("https://issuer", 2)
        );
        assert_eq!(jwt.source, TokenSource::Header("Authorization".into()));
        assert_eq!(jwt.scopes, ["s/a"]);
        let capitalised = json!({"JwtConfiguration": {"Issuer": "https://i", "Audience": ["c"]},
            "IdentitySource": "$request.querystring.access_token"});
        let jwt = read(capitalised).unwrap();
        assert_eq!(jwt.source, TokenSource::QueryString("access_token".into()));
        assert!(jwt_authorizer(&json!({"FunctionArn": "f"}), "A").is_none());
    }

    #[test]
    fn what_sam_or_api_gateway_refuses_is_refused_by_path() {
        let with = |key: &str, value: Value| {
            let mut spec = spec();
            spec[key] = value;
            spec
        };
        for (spec, path) in [
            (with("FunctionArn", json!("f")), "A.FunctionArn"),
            (
                json!({"IdentitySource": "$request.header.Authorization"}),
                "A.JwtConfiguration",
            ),
            (with("JwtConfiguration", json!("x")), "A.JwtConfiguration"),
            (
                with("JwtConfiguration", json!({"audience": ["c"]})),
                "A.JwtConfiguration.issuer",
            ),
            (
                with("JwtConfiguration", json!({"issuer": "i", "audience": []})),
                "A.JwtConfiguration.audience",
            ),
            (
                with("JwtConfiguration", json!({"issuer": "i", "audience": "c"})),
                "A.JwtConfiguration.audience",
            ),
            (
                with(
                    "JwtConfiguration",
                    json!({"issuer": "i", "audience": ["c"], "x": 1}),
                ),
                "A.JwtConfiguration.x",
            ),
            (
                with("IdentitySource", json!("$request.header.")),
                "A.IdentitySource",
            ),
            (
                with("IdentitySource", json!("$context.routeKey")),
                "A.IdentitySource",
            ),
        ] {
            assert_eq!(read(spec.clone()).unwrap_err().path, path, "{spec}");
        }
        let no_source = json!({"JwtConfiguration": {"issuer": "i", "audience": ["c"]}});
        assert_eq!(read(no_source).unwrap_err().path, "A.IdentitySource");
    }
}
