//! The configuration of the authorizer under test: one pool, one app client, the routes.

/// The user pool the authorizer trusts.
pub const POOL_ID: &str = "us-east-1_FuzzPool1";
/// The only app client allowed (`CLIENT_IDS`).
pub const CLIENT_ID: &str = "fuzzclient1";
/// `kid` of the key served in the JWKS.
pub const KID: &str = "fuzz-key-1";
/// The route every token-path decision is for.
pub const METHOD_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/echo";
/// `ROUTE_SCOPES` of the authorizer under test.
pub const ROUTE_SCOPES: &str = r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write", "DELETE /items/{id}": {"anyGroups": ["admins"]}, "ANY /ops/{proxy+}": {"allGroups": ["ops"]}}"#;
/// In an event input, replaced by a valid token (the `user-read` one) before parsing, so event
/// seeds and regressions can carry a token without carrying a signature.
pub const PLACEHOLDER: &str = "<ACCESS_TOKEN>";
/// Unknown-`kid` cooldown of the authorizer (the default, `JWKS_UNKNOWN_KID_COOLDOWN_SECS`).
pub(crate) const COOLDOWN_SECS: u64 = 10;

/// The settings the authorizer under test reads, with the JWKS endpoint at `endpoint`; every
/// other setting keeps its default.
pub fn settings(endpoint: &str) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        match name {
            "USER_POOL_ID" => Some(POOL_ID),
            "CLIENT_IDS" => Some(CLIENT_ID),
            "ROUTE_SCOPES" => Some(ROUTE_SCOPES),
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(endpoint),
            _ => None,
        }
        .map(str::to_owned)
    }
}
