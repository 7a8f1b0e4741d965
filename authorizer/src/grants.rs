//! What a verified token grants: scopes, groups, client, user.

/// The verified identity and permissions of an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    /// `sub`: the user's id, or the app client's id for client-credentials tokens.
    pub sub: String,
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
}

impl Grants {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The scopes joined by spaces, as in the token's `scope` claim.
    pub fn scope_string(&self) -> String {
        auth_context::scope::join(&self.scopes)
    }
}
