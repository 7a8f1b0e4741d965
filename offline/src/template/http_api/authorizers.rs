//! The HTTP API's Lambda authorizers (`Auth.Authorizers` entries without a JWT authorizer's
//! keys, which are `jwt`'s): the authorizer binary with payload format 2.0 and simple responses,
//! as the authorizer answers HTTP APIs. The IAM authorizer is refused.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::template::api::{AuthorizerKind, LambdaAuthorizer};
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, only_known};
use crate::template::lambda_authorizer::{
    IDENTITY_SOURCE_KEYS, authorizer_function, check_cache_key, has_invoke_role, identity_sources,
    ttl_seconds,
};
use crate::template::resources::function::Function;

/// Keys of a Lambda authorizer entry. `EnableFunctionDefaultPermissions: true` or a
/// `FunctionInvokeRole` must let API Gateway invoke the function (the role itself is not read).
const KEYS: &[&str] = &[
    "FunctionArn",
    "AuthorizerPayloadFormatVersion",
    "EnableSimpleResponses",
    "Identity",
    "FunctionInvokeRole",
    "EnableFunctionDefaultPermissions",
];

/// One Lambda authorizer entry (at `at`).
pub(crate) fn lambda_authorizer(
    spec: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
) -> Result<LambdaAuthorizer, Located> {
    only_known(spec, KEYS, at)?;
    let function = authorizer_function(spec, functions, at)?;
    let version = spec.get("AuthorizerPayloadFormatVersion");
    let version_text = version.map_or_else(|| "missing".to_owned(), payload_version);
    if version_text != "2.0" {
        return Err(Problem::AuthorizerPayloadVersion(version_text)
            .at(format!("{at}.AuthorizerPayloadFormatVersion")));
    }
    if !boolean(spec, "EnableSimpleResponses", false, at)? {
        return Err(Problem::SimpleResponsesOnly.at(format!("{at}.EnableSimpleResponses")));
    }
    // SAM grants an HTTP API no permission to invoke its authorizer unless asked to.
    let permitted = boolean(spec, "EnableFunctionDefaultPermissions", false, at)?;
    if !permitted && !has_invoke_role(spec) {
        let problem = Problem::NoInvokePermission("EnableFunctionDefaultPermissions: true");
        return Err(problem.at(format!("{at}.EnableFunctionDefaultPermissions")));
    }
    let identity = spec.get("Identity").unwrap_or(&Value::Null);
    let identity_at = format!("{at}.Identity");
    only_known(identity, IDENTITY_SOURCE_KEYS, &identity_at)?;
    let ttl_seconds = ttl_seconds(identity, None, &identity_at)?;
    let identity = identity_sources(identity, true, &identity_at)?;
    check_cache_key(&identity, ttl_seconds, &identity_at)?;
    Ok(LambdaAuthorizer {
        function: function.logical_id.clone(),
        ttl_seconds,
        kind: AuthorizerKind::HttpV2 { identity },
    })
}

/// `2.0` written as a string or a number, as text.
fn payload_version(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.as_f64() == Some(2.0) => "2.0".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::template::api::{ContextVariable, IdentitySource};
    use serde_json::json;

    fn read(spec: Value) -> Result<LambdaAuthorizer, Located> {
        let function = Function::test("Auth", "arn:auth", "authorizer");
        let functions = BTreeMap::from([("Auth".to_owned(), function)]);
        lambda_authorizer(&spec, &functions, "A")
    }

    #[test]
    fn lambda_authorizers_with_simple_responses_are_read() {
        let authorizer = read(json!({"FunctionArn": "arn:auth",
            "AuthorizerPayloadFormatVersion": 2.0, "EnableSimpleResponses": true,
            "EnableFunctionDefaultPermissions": true,
            "Identity": {"Headers": ["Authorization"], "Context": ["routeKey"], "ReauthorizeEvery": 300}}))
        .unwrap();
        assert_header_and_route_key(&authorizer);
    }

    /// An HTTP API authorizer keyed on `Authorization` and the route key, cached 300 s (the
    /// examples' own).
    pub(crate) fn assert_header_and_route_key(authorizer: &LambdaAuthorizer) {
        assert_eq!(
            (authorizer.kind_name(), authorizer.ttl_seconds),
            ("HTTP API", 300)
        );
        assert_eq!(
            authorizer.identity(),
            [
                IdentitySource::Header("Authorization".into()),
                IdentitySource::Context(ContextVariable::RouteKey)
            ]
        );
    }

    #[test]
    fn what_is_not_emulated_is_refused_by_name() {
        let base = json!({"FunctionArn": "arn:auth", "AuthorizerPayloadFormatVersion": "2.0",
            "EnableSimpleResponses": true, "FunctionInvokeRole": "arn:role", "Identity": {"Headers": ["Authorization"], "ReauthorizeEvery": 0}});
        let with = |key: &str, value: Value| {
            let mut spec = base.clone();
            spec[key] = value;
            spec
        };
        assert!(read(base.clone()).is_ok());
        for (spec, path, problem) in [
            (
                with("AuthorizerPayloadFormatVersion", json!("1.0")),
                "A.AuthorizerPayloadFormatVersion",
                None,
            ),
            (
                with("EnableSimpleResponses", json!(false)),
                "A.EnableSimpleResponses",
                Some(Problem::SimpleResponsesOnly),
            ),
            (
                with("JwtConfiguration", json!({})),
                "A.JwtConfiguration",
                None,
            ),
            (
                with("FunctionInvokeRole", json!("NONE")),
                "A.EnableFunctionDefaultPermissions",
                Some(Problem::NoInvokePermission(
                    "EnableFunctionDefaultPermissions: true",
                )),
            ),
            (
                with("Identity", json!({"Headers": ["Authorization"]})),
                "A.Identity.ReauthorizeEvery",
                Some(Problem::NoReauthorizeEvery),
            ),
            (
                with("Identity", json!({"ReauthorizeEvery": 60})),
                "A.Identity",
                Some(Problem::CacheWithoutIdentity),
            ),
            (
                with("Identity", json!({"Header": "x", "ReauthorizeEvery": 0})),
                "A.Identity.Header",
                None,
            ),
        ] {
            let err = read(spec.clone()).unwrap_err();
            assert_eq!(err.path, path, "{spec}");
            if let Some(problem) = problem {
                assert_eq!(err.problem, problem, "{spec}");
            }
        }
    }
}
