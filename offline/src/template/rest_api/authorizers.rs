//! The REST API's Lambda authorizers (`Auth.Authorizers` entries without `UserPoolArn`, which are
//! `cognito`'s): `TOKEN` and `REQUEST` authorizers running the authorizer binary.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

use crate::template::api::{AuthorizerKind, LambdaAuthorizer};
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, only_known};
use crate::template::lambda_authorizer::{
    IDENTITY_SOURCE_KEYS, authorizer_function, check_cache_key, has_invoke_role, identity_sources,
    ttl_seconds,
};
use crate::template::resources::function::Function;

/// SAM's REST authorizers' TTL when `ReauthorizeEvery` is absent.
pub(crate) const DEFAULT_TTL_SECONDS: u64 = 300;

/// Keys of a Lambda authorizer entry. With `DisableFunctionDefaultPermissions: true`, a
/// `FunctionInvokeRole` must let API Gateway invoke the function (the role itself is not read).
const KEYS: &[&str] = &[
    "FunctionArn",
    "FunctionPayloadType",
    "Identity",
    "FunctionInvokeRole",
    "DisableFunctionDefaultPermissions",
];
const TOKEN_IDENTITY: &[&str] = &["Header", "ValidationExpression", "ReauthorizeEvery"];

/// One Lambda authorizer entry (at `at`).
pub(crate) fn lambda_authorizer(
    spec: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
) -> Result<LambdaAuthorizer, Located> {
    only_known(spec, KEYS, at)?;
    let function = authorizer_function(spec, functions, at)?;
    let disabled = boolean(spec, "DisableFunctionDefaultPermissions", false, at)?;
    if disabled && !has_invoke_role(spec) {
        let problem = Problem::NoInvokePermission("DisableFunctionDefaultPermissions: false");
        return Err(problem.at(format!("{at}.DisableFunctionDefaultPermissions")));
    }
    let identity = spec.get("Identity").unwrap_or(&Value::Null);
    let identity_at = format!("{at}.Identity");
    let ttl_seconds = ttl_seconds(identity, Some(DEFAULT_TTL_SECONDS), &identity_at)?;
    let payload = spec
        .get("FunctionPayloadType")
        .and_then(Value::as_str)
        .unwrap_or("TOKEN");
    let kind = match payload {
        "TOKEN" => {
            only_known(identity, TOKEN_IDENTITY, &identity_at)?;
            token(identity, &identity_at)?
        }
        "REQUEST" => {
            only_known(identity, IDENTITY_SOURCE_KEYS, &identity_at)?;
            let identity = identity_sources(identity, false, &identity_at)?;
            check_cache_key(&identity, ttl_seconds, &identity_at)?;
            AuthorizerKind::Request { identity }
        }
        other => {
            return Err(Problem::UnsupportedPayload(other.to_owned())
                .at(format!("{at}.FunctionPayloadType")));
        }
    };
    Ok(LambdaAuthorizer {
        function: function.logical_id.clone(),
        ttl_seconds,
        kind,
    })
}

/// A `TOKEN` authorizer's header and validation expression.
pub(crate) fn token(identity: &Value, at: &str) -> Result<AuthorizerKind, Located> {
    let header = identity
        .get("Header")
        .and_then(Value::as_str)
        .unwrap_or("Authorization")
        .to_owned();
    let validation = match identity.get("ValidationExpression").and_then(Value::as_str) {
        Some(expr) => Some(Regex::new(&format!("^(?:{expr})$")).map_err(|e| {
            Problem::BadValidationExpression(e.to_string()).at(format!("{at}.ValidationExpression"))
        })?),
        None => None,
    };
    Ok(AuthorizerKind::Token { header, validation })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::api::IdentitySource;
    use serde_json::json;

    fn functions() -> BTreeMap<String, Function> {
        let function = Function::test("Auth", "arn:auth", "authorizer");
        BTreeMap::from([("Auth".to_owned(), function)])
    }

    fn read(spec: Value) -> Result<LambdaAuthorizer, Located> {
        lambda_authorizer(&spec, &functions(), "A")
    }

    #[test]
    fn request_authorizers_read_every_identity_source() {
        let authorizer = read(
            json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST",
            "Identity": {"Headers": ["Authorization"], "QueryStrings": ["tenant"],
                "StageVariables": ["realm"], "Context": ["httpMethod"], "ReauthorizeEvery": 0}}),
        )
        .unwrap();
        assert_eq!(authorizer.ttl_seconds, 0);
        assert_eq!(authorizer.identity().len(), 4);
        assert_eq!(
            authorizer.identity()[0],
            IdentitySource::Header("Authorization".into())
        );
        let token = read(json!({"FunctionArn": "arn:auth"})).unwrap();
        assert_eq!(
            (token.kind_name(), token.ttl_seconds),
            ("TOKEN", DEFAULT_TTL_SECONDS)
        );
    }

    #[test]
    fn what_api_gateway_or_sam_refuses_is_refused() {
        for (spec, path) in [
            (
                json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST"}),
                "A.Identity",
            ),
            (
                json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST",
                    "Identity": {"ReauthorizeEvery": 60}}),
                "A.Identity",
            ),
            (
                json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST",
                    "Identity": {"Header": "Authorization", "ReauthorizeEvery": 0}}),
                "A.Identity.Header",
            ),
            (
                json!({"FunctionArn": "arn:auth", "Identity": {"Headers": ["x"]}}),
                "A.Identity.Headers",
            ),
            (
                json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "COGNITO"}),
                "A.FunctionPayloadType",
            ),
            (json!({"FunctionArn": "arn:auth", "Other": 1}), "A.Other"),
            (
                json!({"FunctionArn": "arn:auth", "DisableFunctionDefaultPermissions": true}),
                "A.DisableFunctionDefaultPermissions",
            ),
        ] {
            assert_eq!(read(spec.clone()).unwrap_err().path, path, "{spec}");
        }
        let missing = read(json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST"}));
        assert_eq!(missing.unwrap_err().problem, Problem::CacheWithoutIdentity);
        // Without caching, no identity source is needed: every request calls the authorizer.
        let uncached = read(
            json!({"FunctionArn": "arn:auth", "FunctionPayloadType": "REQUEST",
            "Identity": {"ReauthorizeEvery": 0}}),
        );
        assert!(uncached.unwrap().identity().is_empty());
    }
}
