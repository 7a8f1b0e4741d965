//! The local user pool's signing key: the JWKS it publishes and the access tokens it signs, with
//! Cognito's claim sets.

use authorizer::UserPool;
use authorizer::mint::{self, SigningKey};
use serde_json::Value;

/// Scope Cognito puts in a signed-in user's access token when no custom scope was asked for.
pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// A signed-in user's access token to sign.
#[derive(Debug, Clone, Copy)]
pub struct UserClaims<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    /// `cognito:groups`; empty: the claim is absent, as Cognito does.
    pub groups: &'a [&'a str],
    /// Empty: `aws.cognito.signin.user.admin`.
    pub scopes: &'a [&'a str],
}

/// Signs tokens for the local pool.
#[derive(Debug)]
pub struct Signer {
    pool: UserPool,
    key: SigningKey,
    jwks: Value,
}

impl Signer {
    /// The signer of pool `pool_id`.
    pub fn new(pool_id: &str, key: SigningKey) -> Result<Self, authorizer::PoolError> {
        Ok(Self {
            pool: UserPool::from_id(pool_id)?,
            jwks: mint::jwks([&key]),
            key,
        })
    }

    pub fn pool(&self) -> &UserPool {
        &self.pool
    }

    /// The pool id.
    pub fn pool_id(&self) -> &str {
        self.pool.id()
    }

    /// `iss` of the pool's tokens, in the real Cognito form.
    pub fn issuer(&self) -> String {
        let [cognito_idp, _] = self.pool.issuers();
        cognito_idp
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// A client-credentials access token for `client_id` with `scopes`, valid `ttl` seconds from
    /// `now`.
    pub fn client_credentials(
        &self,
        client_id: &str,
        scopes: &[&str],
        now: u64,
        ttl: u64,
    ) -> String {
        let claims = mint::client_credentials_claims(&self.pool, client_id, scopes, now, ttl);
        self.key.sign(&claims)
    }

    /// A signed-in user's access token, valid `ttl` seconds from `now`.
    pub fn user(&self, user: &UserClaims<'_>, now: u64, ttl: u64) -> String {
        let scopes = if user.scopes.is_empty() {
            &[USER_ADMIN_SCOPE][..]
        } else {
            user.scopes
        };
        let claims = mint::user_claims(
            &self.pool,
            user.client_id,
            user.username,
            user.groups,
            scopes,
            now,
            ttl,
        );
        self.key.sign(&claims)
    }
}
