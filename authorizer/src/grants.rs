//! What a verified token grants: scopes, groups, client, user, and the claims the rules name.

use crate::claims::ClaimValue;

/// The verified identity and permissions of an access token: what [`Verifier::verify`] returns
/// and what [`Rules`] decide on. Plain data, so tests and other verifiers can build one.
///
/// [`Verifier::verify`]: crate::Verifier::verify
/// [`Rules`]: crate::Rules
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    /// `sub`: the user's id, or the app client's id for client-credentials tokens.
    pub sub: String,
    /// `client_id`: the app client the token was issued to.
    pub client_id: String,
    /// `username`, present on user tokens only.
    pub username: Option<String>,
    /// `scope`, split as RFC 6749 says (single spaces; see `auth_context::scope`).
    pub scopes: Vec<String>,
    /// `cognito:groups`, present when the user is in a group.
    pub groups: Vec<String>,
    /// The user pool that issued the token.
    pub pool_id: String,
    /// `exp`, seconds since the epoch.
    pub expires_at: u64,
    /// `jti`, when present.
    pub jti: Option<String>,
    /// The claims the route rules name (`claims`, `pathClaims`) that the token holds, by name.
    pub claims: Vec<(String, ClaimValue)>,
}

impl Grants {
    /// Whether `scope` is one of the token's scopes (exact, case-sensitive).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Whether the user is in `group` (exact, case-sensitive).
    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The value of claim `name`, when the token holds it and the rules name it.
    pub fn claim(&self, name: &str) -> Option<&ClaimValue> {
        self.claims.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The scopes joined by spaces, as in the token's `scope` claim.
    pub fn scope_string(&self) -> String {
        auth_context::scope::join(&self.scopes)
    }
}
