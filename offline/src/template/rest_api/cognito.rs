//! A REST API's `COGNITO_USER_POOLS` authorizer: an `Auth.Authorizers` entry with `UserPoolArn`
//! (SAM's `CognitoAuthorizer`): the pool or pools, `Identity.Header` (where the token is),
//! `Identity.ValidationExpression` (matched against the token's `aud`), `Identity.ReauthorizeEvery`
//! (checked; API Gateway documents no effect of it on this authorizer that the offline stack
//! could show), and the authorizer's `AuthorizationScopes`.

use serde_json::Value;

use super::authorizers::{DEFAULT_TTL_SECONDS, token};
use crate::template::api::{AuthorizerKind, BuiltinAuthorizer, CognitoAuthorizer};
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, string_list};
use crate::template::lambda_authorizer::ttl_seconds;

/// Keys of a Cognito authorizer entry.
const KEYS: &[&str] = &["UserPoolArn", "Identity", "AuthorizationScopes"];
/// Keys of its `Identity`.
const IDENTITY: &[&str] = &["Header", "ValidationExpression", "ReauthorizeEvery"];

/// The entry `spec` (at `at`) as a Cognito authorizer; `None` when it has no `UserPoolArn` (a
/// Lambda authorizer).
pub(crate) fn cognito_authorizer(
    spec: &Value,
    at: &str,
) -> Option<Result<BuiltinAuthorizer, Located>> {
    spec.get("UserPoolArn")?;
    Some(read(spec, at).map(BuiltinAuthorizer::Cognito))
}

fn read(spec: &Value, at: &str) -> Result<CognitoAuthorizer, Located> {
    only_known(spec, KEYS, at)?;
    let identity = spec.get("Identity").unwrap_or(&Value::Null);
    let identity_at = format!("{at}.Identity");
    only_known(identity, IDENTITY, &identity_at)?;
    ttl_seconds(identity, Some(DEFAULT_TTL_SECONDS), &identity_at)?;
    let AuthorizerKind::Token { header, validation } = token(identity, &identity_at)? else {
        return Err(Problem::Missing.at(identity_at));
    };
    Ok(CognitoAuthorizer {
        trust_at: format!("{at}.UserPoolArn"),
        user_pool_arns: user_pool_arns(spec, at)?,
        header,
        validation,
        scopes: string_list(spec, "AuthorizationScopes", at)?,
    })
}

/// `UserPoolArn`: one ARN, or a list of at least one.
fn user_pool_arns(spec: &Value, at: &str) -> Result<Vec<String>, Located> {
    let arns = match spec.get("UserPoolArn") {
        Some(Value::String(arn)) => vec![arn.clone()],
        _ => string_list(spec, "UserPoolArn", at)?,
    };
    if arns.is_empty() {
        return Err(Problem::Missing.at(format!("{at}.UserPoolArn")));
    }
    Ok(arns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(spec: Value) -> Result<CognitoAuthorizer, Located> {
        match cognito_authorizer(&spec, "A") {
            Some(Ok(BuiltinAuthorizer::Cognito(cognito))) => Ok(cognito),
            Some(Err(e)) => Err(e),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sams_cognito_authorizer_is_read() {
        let cognito = read(json!({"UserPoolArn": "arn:pool",
            "Identity": {"Header": "X-Token", "ValidationExpression": "client-.*", "ReauthorizeEvery": 0},
            "AuthorizationScopes": ["orders/read"]}))
        .unwrap();
        assert_eq!(cognito.user_pool_arns, ["arn:pool"]);
        assert_eq!(cognito.header, "X-Token");
        let validation = cognito.validation.unwrap();
        assert!(validation.is_match("client-1") && !validation.is_match("other-client-1"));
        assert_eq!(cognito.scopes, ["orders/read"]);
        let bare = read(json!({"UserPoolArn": ["arn:a", "arn:b"]})).unwrap();
        assert_eq!(bare.header, "Authorization");
        assert_eq!((bare.user_pool_arns.len(), bare.scopes.len()), (2, 0));
        assert!(bare.validation.is_none());
        assert!(cognito_authorizer(&json!({"FunctionArn": "arn:f"}), "A").is_none());
    }

    #[test]
    fn what_sam_or_api_gateway_refuses_is_refused_by_path() {
        for (spec, path) in [
            (json!({"UserPoolArn": []}), "A.UserPoolArn"),
            (json!({"UserPoolArn": 5}), "A.UserPoolArn"),
            (
                json!({"UserPoolArn": "arn", "FunctionArn": "f"}),
                "A.FunctionArn",
            ),
            (
                json!({"UserPoolArn": "arn", "Identity": {"Headers": ["x"]}}),
                "A.Identity.Headers",
            ),
            (
                json!({"UserPoolArn": "arn", "Identity": {"ReauthorizeEvery": 3601}}),
                "A.Identity.ReauthorizeEvery",
            ),
            (
                json!({"UserPoolArn": "arn", "Identity": {"ValidationExpression": "("}}),
                "A.Identity.ValidationExpression",
            ),
            (
                json!({"UserPoolArn": "arn", "AuthorizationScopes": "a"}),
                "A.AuthorizationScopes",
            ),
        ] {
            assert_eq!(read(spec.clone()).unwrap_err().path, path, "{spec}");
        }
    }
}
