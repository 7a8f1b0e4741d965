//! The pool's people as they are stored: users (without their passwords: a slow hash and an SRP
//! verifier), their group memberships, and sign-ins (with the hash of their refresh token and
//! their revocation).

use std::collections::BTreeMap;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// A user's account status (`UserStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum UserStatus {
    /// Signs in with their password.
    Confirmed,
    /// Has a temporary password set by an administrator: sign-in asks for a new one
    /// (`NEW_PASSWORD_REQUIRED`).
    ForceChangePassword,
}

impl UserStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

impl ToSql for UserStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for UserStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "CONFIRMED" => Ok(Self::Confirmed),
            "FORCE_CHANGE_PASSWORD" => Ok(Self::ForceChangePassword),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// A user, without the password: a PBKDF2 hash of it and an SRP verifier.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredUser {
    pub(crate) username: String,
    pub(crate) sub: String,
    /// Standard attributes other than `sub` (`email`, `email_verified`, ...).
    pub(crate) attributes: BTreeMap<String, String>,
    /// `pbkdf2-sha256$...` (see `issuer::password`).
    pub(crate) password_hash: String,
    /// Hex.
    pub(crate) srp_salt: String,
    /// Hex.
    pub(crate) srp_verifier: String,
    pub(crate) status: UserStatus,
    /// Unix seconds after which a temporary password no longer signs in.
    #[serde(default)]
    pub(crate) temporary_password_expires: Option<u64>,
    pub(crate) enabled: bool,
    /// Group names, in the order they were added.
    pub(crate) groups: Vec<String>,
    pub(crate) created: u64,
    pub(crate) modified: u64,
}

/// One sign-in: what its refresh token may renew, and whether it was revoked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredSignIn {
    pub(crate) sub: String,
    pub(crate) client_id: String,
    pub(crate) auth_time: u64,
    pub(crate) event_id: String,
    /// The scopes of its access tokens.
    pub(crate) scopes: Vec<String>,
    /// Whether it came from the hosted UI (its tokens carry `version` and `at_hash`).
    pub(crate) hosted: bool,
    /// SHA-256 of the refresh token, hex.
    pub(crate) refresh_hash: String,
    pub(crate) refresh_expires: u64,
    /// When the last token it issued expires (it is forgotten after this and `refresh_expires`).
    pub(crate) tokens_expire: u64,
    pub(crate) revoked: bool,
}
