//! The pool's people: users (without their passwords: a slow hash and an SRP verifier), their
//! group memberships, and sign-ins (with the hash of their refresh token and their revocation).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Users and sign-ins of the local pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct People {
    /// By `sub`.
    #[serde(default)]
    pub users: BTreeMap<String, StoredUser>,
    /// By `origin_jti`: one per sign-in, shared by the tokens it issued.
    #[serde(default)]
    pub sign_ins: BTreeMap<String, StoredSignIn>,
}

/// A user's account status (`UserStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Signs in with their password.
    Confirmed,
    /// Has a temporary password set by an administrator: sign-in asks for a new one
    /// (`NEW_PASSWORD_REQUIRED`).
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A user, without the password: a PBKDF2 hash of it and an SRP verifier.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StoredUser {
    pub username: String,
    pub sub: String,
    /// Standard attributes other than `sub` (`email`, `email_verified`, ...).
    pub attributes: BTreeMap<String, String>,
    /// `pbkdf2-sha256$...` (see `issuer::password`).
    pub password_hash: String,
    /// Hex.
    pub srp_salt: String,
    /// Hex.
    pub srp_verifier: String,
    pub status: UserStatus,
    /// Unix seconds after which a temporary password no longer signs in.
    #[serde(default)]
    pub temporary_password_expires: Option<u64>,
    pub enabled: bool,
    /// Group names, in the order they were added.
    pub groups: Vec<String>,
    pub created: u64,
    pub modified: u64,
}

/// One sign-in: what its refresh token may renew, and whether it was revoked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StoredSignIn {
    pub sub: String,
    pub client_id: String,
    pub auth_time: u64,
    pub event_id: String,
    /// The scopes of its access tokens.
    pub scopes: Vec<String>,
    /// Whether it came from the hosted UI (its tokens carry `version` and `at_hash`).
    pub hosted: bool,
    /// SHA-256 of the refresh token, hex.
    pub refresh_hash: String,
    pub refresh_expires: u64,
    /// When the last token it issued expires (it is forgotten after this and `refresh_expires`).
    pub tokens_expire: u64,
    pub revoked: bool,
}
