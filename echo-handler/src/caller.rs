//! The caller, read from whichever authorizer let the request in (`auth_context::Caller` reads
//! each shape): a Lambda authorizer's context, a REST API `COGNITO_USER_POOLS` authorizer's
//! `requestContext.authorizer.claims`, or an HTTP API JWT authorizer's
//! `requestContext.authorizer.jwt`.

pub use auth_context::Caller;
use serde_json::Value;

use crate::request::{Incoming, PayloadVersion};

/// The caller of `incoming`; `None` when no authorizer described one (the function was invoked
/// without going through an authorizer).
///
/// A REST `authorizer.claims` object can only be a Cognito authorizer's: API Gateway refuses a
/// Lambda authorizer's context holding a nested value.
#[must_use]
pub fn caller(incoming: &Incoming) -> Option<Caller> {
    if let Some(jwt) = &incoming.jwt {
        return Caller::from_jwt_claims(&jwt.claims, jwt.scopes.as_deref());
    }
    match incoming.authorizer.get("claims") {
        Some(Value::Object(claims)) if incoming.version == PayloadVersion::V1 => {
            Caller::from_cognito_claims(claims)
        }
        _ => Caller::from_lambda_context(&incoming.authorizer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(event: Value) -> Option<Caller> {
        caller(&Incoming::from_event(event).unwrap())
    }

    #[test]
    fn each_authorizers_shape_is_read() {
        let rest = |authorizer: Value| json!({"httpMethod": "GET", "requestContext": {"httpMethod": "GET", "authorizer": authorizer}});
        let lambda = read(rest(json!({"principalId": "p", "groups": "[\"a\"]"}))).unwrap();
        assert_eq!(
            (lambda.principal_id.as_str(), lambda.groups.len()),
            ("p", 1)
        );
        let cognito = read(rest(
            json!({"claims": {"sub": "s", "cognito:groups": "a,b"}}),
        ))
        .unwrap();
        // A Lambda authorizer's own `claims` context value is a string (auth_context::claims).
        let tenant = json!({"principalId": "p", "claims": "{\"custom:tenant_id\":\"acme\"}"});
        assert_eq!(read(rest(tenant)).unwrap().principal_id, "p");
        assert_eq!(
            (cognito.principal_id.as_str(), cognito.groups.len()),
            ("s", 2)
        );
        let http = |authorizer: Value| json!({"version": "2.0", "requestContext": {"http": {"method": "GET"}, "authorizer": authorizer}});
        let jwt = read(http(
            json!({"jwt": {"claims": {"sub": "j", "cognito:groups": "[a b c]"}, "scopes": null}}),
        ));
        let jwt = jwt.unwrap();
        assert_eq!((jwt.principal_id.as_str(), jwt.groups.len()), ("j", 3));
        let v2_lambda = read(http(json!({"lambda": {"sub": "l"}}))).unwrap();
        assert_eq!(v2_lambda.principal_id, "l");
        assert_eq!(read(http(json!({"lambda": {"claims": "x"}}))), None);
    }
}
