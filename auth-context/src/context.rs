//! The authorizer context: the keys and values API Gateway hands the backend.

use serde::{Deserialize, Serialize};

/// What the authorizer tells the backend about the caller. Every value is a string, so API
/// Gateway never rejects the context (it refuses nested values).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthContext {
    /// `sub`: the user's id, or the app client's id for client-credentials tokens.
    pub sub: String,
    /// `client_id`: the app client the token was issued to.
    pub client_id: String,
    /// `scope`: space-separated, as in the token (see [`crate::scope`]).
    pub scope: String,
    /// `token_use`: always `access` (the authorizer accepts nothing else).
    pub token_use: String,
    /// `username`: present for signed-in users, absent for machine (client-credentials) tokens.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub username: Option<String>,
    /// `cognito:groups` encoded by [`crate::groups::encode`] (`[]` when none).
    pub groups: String,
    /// The user pool that issued the token.
    pub pool_id: String,
    /// The claims the route rules name, encoded by [`crate::claims::encode`]: present only when
    /// the rules name some (`{"custom:tenant_id":"acme"}`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub claims: Option<String>,
}
