//! The caller as API Gateway hands it to the backend, whichever authorizer let the request in:
//!
//! - a Lambda authorizer: its context (REST `requestContext.authorizer`, HTTP API
//!   `requestContext.authorizer.lambda`), with the keys of [`crate::AuthContext`];
//! - a REST API `COGNITO_USER_POOLS` authorizer: the token's claims in
//!   `requestContext.authorizer.claims`, every value a string, lists joined with commas;
//! - an HTTP API JWT authorizer: the token's claims in `requestContext.authorizer.jwt.claims`,
//!   every value a string, lists in brackets (see [`crate::claim_lists`]), and the scopes in
//!   `requestContext.authorizer.jwt.scopes`.
//!
//! The built-in authorizers pass ID tokens' claims as well as access tokens': the client is then
//! `aud` and the user name `cognito:username`.

use std::collections::HashMap;
use std::hash::BuildHasher;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::claim_lists;

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    /// REST's `principalId` of a Lambda authorizer, else `sub`.
    pub principal_id: String,
    /// The app client: `client_id`, or an ID token's `aud`.
    pub client_id: Option<String>,
    /// The token's scopes (`scope` split as RFC 6749 says); empty when absent or malformed.
    pub scopes: Vec<String>,
    /// The user name (`username`, or an ID token's `cognito:username`); `None` for
    /// client-credentials (machine) tokens.
    pub username: Option<String>,
    /// The Cognito groups; empty when absent or malformed.
    pub groups: Vec<String>,
    /// `token_use`, if present.
    pub token_use: Option<String>,
}

/// Where a caller's values are read from: a map of JSON values or of strings.
trait Fields {
    /// The value of `key` as text: strings as they are, numbers and booleans written out; null
    /// and nested values count as absent.
    fn text(&self, key: &str) -> Option<String>;

    /// [`Fields::text`], unless empty.
    fn non_empty(&self, key: &str) -> Option<String> {
        self.text(key).filter(|v| !v.is_empty())
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

impl<S: BuildHasher> Fields for HashMap<String, Value, S> {
    fn text(&self, key: &str) -> Option<String> {
        value_text(self.get(key)?)
    }
}

impl Fields for Map<String, Value> {
    fn text(&self, key: &str) -> Option<String> {
        value_text(self.get(key)?)
    }
}

impl<S: BuildHasher> Fields for HashMap<String, String, S> {
    fn text(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

/// `scope` split as RFC 6749 says; nothing when malformed.
fn scopes(scope: Option<String>) -> Vec<String> {
    scope
        .and_then(|s| {
            crate::scope::parse(&s)
                .ok()
                .map(|t| t.into_iter().map(str::to_owned).collect())
        })
        .unwrap_or_default()
}

impl Caller {
    /// From a Lambda authorizer's context. `None` when there is no principal (neither a
    /// non-empty `principalId` nor `sub`): the request did not come through the authorizer.
    #[must_use]
    pub fn from_lambda_context<S: BuildHasher>(
        context: &HashMap<String, Value, S>,
    ) -> Option<Self> {
        let principal_id = context
            .non_empty("principalId")
            .or_else(|| context.non_empty("sub"))?;
        Some(Self {
            principal_id,
            client_id: context.text("client_id"),
            scopes: scopes(context.text("scope")),
            username: context.non_empty("username"),
            groups: context
                .text("groups")
                .and_then(|g| crate::groups::decode(&g).ok())
                .unwrap_or_default(),
            token_use: context.text("token_use"),
        })
    }

    /// From a REST API `COGNITO_USER_POOLS` authorizer's `claims`. `None` without a `sub`.
    #[must_use]
    pub fn from_cognito_claims(claims: &Map<String, Value>) -> Option<Self> {
        let groups = claims.text("cognito:groups").unwrap_or_default();
        Self::from_claims(claims, claim_lists::rest_split(&groups))
    }

    /// From an HTTP API JWT authorizer's `claims` and `scopes` (the scopes are read from the
    /// `scope` claim, else from `scopes`). `None` without a `sub`.
    #[must_use]
    pub fn from_jwt_claims<S: BuildHasher>(
        claims: &HashMap<String, String, S>,
        scopes: Option<&[String]>,
    ) -> Option<Self> {
        let groups = claims.text("cognito:groups").unwrap_or_default();
        let mut caller = Self::from_claims(claims, claim_lists::http_split(&groups))?;
        if claims.text("scope").is_none() {
            caller.scopes = scopes.unwrap_or_default().to_vec();
        }
        Some(caller)
    }

    /// The caller a token's claims describe, with its `groups` already read.
    fn from_claims(claims: &impl Fields, groups: Vec<String>) -> Option<Self> {
        Some(Self {
            principal_id: claims.non_empty("sub")?,
            client_id: claims
                .non_empty("client_id")
                .or_else(|| claims.non_empty("aud")),
            scopes: scopes(claims.text("scope")),
            username: claims
                .non_empty("username")
                .or_else(|| claims.non_empty("cognito:username")),
            groups,
            token_use: claims.text("token_use"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        serde_json::from_value(value).unwrap_or_default()
    }

    fn context(value: Value) -> HashMap<String, Value> {
        serde_json::from_value(value).unwrap_or_default()
    }

    #[test]
    fn machine_client_context() {
        let c = Caller::from_lambda_context(&context(json!({
            "principalId": "7abc", "sub": "7abc", "client_id": "7abc",
            "scope": "echo-api/read echo-api/write", "token_use": "access", "groups": "[]",
            "integrationLatency": 12
        })));
        let c = c.unwrap();
        assert_eq!(c.principal_id, "7abc");
        assert_eq!(c.client_id.as_deref(), Some("7abc"));
        assert_eq!(c.scopes, ["echo-api/read", "echo-api/write"]);
        assert_eq!((c.username, c.groups.len()), (None, 0));
        assert_eq!(c.token_use.as_deref(), Some("access"));
    }

    #[test]
    fn user_context_with_groups_and_sub_as_principal() {
        let c = Caller::from_lambda_context(&context(json!({
            "sub": "u-1", "client_id": "app", "scope": "aws.cognito.signin.user.admin",
            "token_use": "access", "username": "alice", "groups": r#"["admins","a,readers"]"#
        })));
        let c = c.unwrap();
        assert_eq!(c.principal_id, "u-1");
        assert_eq!(c.username.as_deref(), Some("alice"));
        assert_eq!(
            c.groups,
            ["admins", "a,readers"],
            "a comma inside a name stays"
        );
    }

    #[test]
    fn scope_and_groups_are_read_as_the_authorizer_writes_them() {
        let c = Caller::from_lambda_context(&context(json!({
            "sub": "u-1", "scope": "a\u{a0}b c", "groups": "admins,readers"
        })));
        let c = c.unwrap();
        assert!(
            c.scopes.is_empty(),
            "a no-break space is not a scope separator"
        );
        assert!(c.groups.is_empty(), "a comma list is not a groups value");
    }

    #[test]
    fn non_string_context_values_become_text_and_nested_are_ignored() {
        let c = Caller::from_lambda_context(&context(json!({
            "sub": 42, "token_use": true, "client_id": {"x": 1}, "scope": null
        })));
        let c = c.unwrap();
        assert_eq!(c.principal_id, "42");
        assert_eq!(c.token_use.as_deref(), Some("true"));
        assert_eq!(c.client_id, None);
        assert!(c.scopes.is_empty());
    }

    #[test]
    fn no_principal_means_no_caller() {
        assert_eq!(Caller::from_lambda_context(&HashMap::new()), None);
        let latency = context(json!({"integrationLatency": 0}));
        assert_eq!(Caller::from_lambda_context(&latency), None);
        let blank = context(json!({"principalId": "", "sub": ""}));
        assert_eq!(Caller::from_lambda_context(&blank), None);
        assert_eq!(Caller::from_cognito_claims(&map(json!({"aud": "c"}))), None);
        assert_eq!(
            Caller::from_jwt_claims(&HashMap::<String, String>::new(), None),
            None
        );
    }

    #[test]
    fn a_rest_cognito_authorizers_id_token_claims() {
        let c = Caller::from_cognito_claims(&map(json!({
            "sub": "u-1", "aud": "people-client", "token_use": "id",
            "cognito:username": "alice", "cognito:groups": "admins,readers",
            "email_verified": "true", "exp": "Tue Apr 04 18:39:39 UTC 2023"
        })));
        let c = c.unwrap();
        assert_eq!(c.client_id.as_deref(), Some("people-client"));
        assert_eq!(c.username.as_deref(), Some("alice"));
        assert_eq!(c.groups, ["admins", "readers"]);
        assert!(c.scopes.is_empty());
        assert_eq!(c.token_use.as_deref(), Some("id"));
    }

    #[test]
    fn a_rest_cognito_authorizers_access_token_claims() {
        let c = Caller::from_cognito_claims(&map(json!({
            "sub": "m-1", "client_id": "machine", "token_use": "access",
            "scope": "orders/write orders/read"
        })));
        let c = c.unwrap();
        assert_eq!(c.client_id.as_deref(), Some("machine"));
        assert_eq!(c.scopes, ["orders/write", "orders/read"]);
        assert_eq!((c.username, c.groups.len()), (None, 0));
    }

    #[test]
    fn an_http_jwt_authorizers_claims_and_scopes() {
        let claims: HashMap<String, String> = [
            ("sub", "u-1"),
            ("client_id", "people-client"),
            ("username", "alice"),
            ("token_use", "access"),
            ("scope", "orders/read"),
            ("cognito:groups", "[admins readers]"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let c = Caller::from_jwt_claims(&claims, Some(&["other/scope".to_owned()]));
        let c = c.unwrap();
        assert_eq!(c.groups, ["admins", "readers"]);
        assert_eq!(
            c.scopes,
            ["orders/read"],
            "the scope claim is the token's own"
        );
        let mut id = claims.clone();
        id.remove("scope");
        let c = Caller::from_jwt_claims(&id, Some(&["orders/read".to_owned()]));
        assert_eq!(c.map(|c| c.scopes), Some(vec!["orders/read".to_owned()]));
    }
}
