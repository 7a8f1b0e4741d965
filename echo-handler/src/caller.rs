//! The caller, as the Lambda authorizer described it in its context.

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The authenticated caller, from the authorizer context keys `sub`, `client_id`, `scope`
/// (space-separated, RFC 6749), `token_use`, `username` (absent for client-credentials tokens) and
/// `groups` (a JSON array of names, see `auth_context::groups`). Both are read with the
/// authorizer's own `auth_context` crate, so they cannot be split differently here. `principalId` is REST's `requestContext.authorizer.principalId`
/// or, when that is absent (HTTP API), `sub`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    /// The policy principal (REST) or `sub` (HTTP API).
    pub principal_id: String,
    /// The app client id (`client_id`), if the context has it.
    pub client_id: Option<String>,
    /// The token's scopes (`scope` split as RFC 6749 says); empty when absent or malformed.
    pub scopes: Vec<String>,
    /// The user name; `None` for client-credentials (machine) tokens.
    pub username: Option<String>,
    /// The Cognito groups (`groups` decoded); empty when absent or malformed.
    pub groups: Vec<String>,
    /// `token_use` (`access` for the tokens this API accepts), if present.
    pub token_use: Option<String>,
}

/// A context value as text. Authorizer context values are strings, numbers or booleans (API
/// Gateway rejects anything nested); null and nested values count as absent.
fn text(context: &HashMap<String, Value>, key: &str) -> Option<String> {
    match context.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn owned(items: Vec<&str>) -> Vec<String> {
    items.into_iter().map(str::to_owned).collect()
}

impl Caller {
    /// Reads the caller from an authorizer context map (REST: `requestContext.authorizer`;
    /// HTTP API: `requestContext.authorizer.lambda`).
    ///
    /// Returns `None` when there is no principal (neither a non-empty `principalId` nor `sub`):
    /// the request did not come through the authorizer.
    #[must_use]
    pub fn from_context(context: &HashMap<String, Value>) -> Option<Self> {
        let principal_id = text(context, "principalId")
            .filter(|p| !p.is_empty())
            .or_else(|| text(context, "sub").filter(|s| !s.is_empty()))?;
        let scopes = text(context, "scope")
            .and_then(|s| auth_context::scope::parse(&s).ok().map(owned))
            .unwrap_or_default();
        let groups = text(context, "groups")
            .and_then(|g| auth_context::groups::decode(&g).ok())
            .unwrap_or_default();
        Some(Self {
            principal_id,
            client_id: text(context, "client_id"),
            scopes,
            username: text(context, "username").filter(|u| !u.is_empty()),
            groups,
            token_use: text(context, "token_use"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx(value: Value) -> HashMap<String, Value> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn machine_client_context() {
        let c = Caller::from_context(&ctx(json!({
            "principalId": "7abc",
            "sub": "7abc",
            "client_id": "7abc",
            "scope": "echo-api/read echo-api/write",
            "token_use": "access",
            "groups": "[]",
            "integrationLatency": 12
        })))
        .unwrap();
        assert_eq!(c.principal_id, "7abc");
        assert_eq!(c.client_id.as_deref(), Some("7abc"));
        assert_eq!(c.scopes, ["echo-api/read", "echo-api/write"]);
        assert_eq!(c.username, None);
        assert!(c.groups.is_empty());
        assert_eq!(c.token_use.as_deref(), Some("access"));
    }

    #[test]
    fn user_context_with_groups_and_sub_as_principal() {
        let c = Caller::from_context(&ctx(json!({
            "sub": "u-1",
            "client_id": "app",
            "scope": "aws.cognito.signin.user.admin",
            "token_use": "access",
            "username": "alice",
            "groups": r#"["admins","a,readers"]"#
        })))
        .unwrap();
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
        let c = Caller::from_context(&ctx(json!({
            "sub": "u-1",
            "scope": "a\u{a0}b c",
            "groups": "admins,readers"
        })))
        .unwrap();
        assert!(
            c.scopes.is_empty(),
            "a no-break space is not a scope separator"
        );
        assert!(c.groups.is_empty(), "a comma list is not a groups value");
    }

    #[test]
    fn non_string_values_become_text_and_nested_are_ignored() {
        let c = Caller::from_context(&ctx(json!({
            "sub": 42, "token_use": true, "client_id": {"x": 1}, "scope": null
        })))
        .unwrap();
        assert_eq!(c.principal_id, "42");
        assert_eq!(c.token_use.as_deref(), Some("true"));
        assert_eq!(c.client_id, None);
        assert!(c.scopes.is_empty());
    }

    #[test]
    fn no_principal_means_no_caller() {
        assert_eq!(Caller::from_context(&HashMap::new()), None);
        assert_eq!(
            Caller::from_context(&ctx(json!({"integrationLatency": 0}))),
            None
        );
        assert_eq!(
            Caller::from_context(&ctx(json!({"principalId": "", "sub": ""}))),
            None
        );
    }
}
