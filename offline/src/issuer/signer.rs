//! The local user pool's signing key: the JWKS it publishes and the access tokens it signs, with
//! Cognito's claim sets.

use authorizer::UserPool;
use authorizer::mint::{self, SigningKey};
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Scope Cognito puts in a signed-in user's access token when no custom scope was asked for.
pub(crate) const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// A signed-in user's access token to sign.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserClaims<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) username: &'a str,
    /// `cognito:groups`; empty: the claim is absent, as Cognito does.
    pub(crate) groups: &'a [&'a str],
    /// Empty: `aws.cognito.signin.user.admin`.
    pub(crate) scopes: &'a [&'a str],
    /// Claims added as strings, none of them a protected one.
    pub(crate) extra: &'a [(String, String)],
}

/// Signs tokens for the local pool.
#[derive(Debug)]
pub struct Signer {
    pool: UserPool,
    key: SigningKey,
    jwks: Value,
    /// The key's public half, to check tokens handed back (`GetUser`, `/oauth2/userInfo`).
    public: RsaPublicKeyComponents<Vec<u8>>,
}

impl Signer {
    /// The signer of pool `pool_id`.
    pub(crate) fn new(pool_id: &str, key: SigningKey) -> Result<Self, authorizer::PoolError> {
        let jwk = key.jwk();
        let part = |name: &str| {
            jwk[name]
                .as_str()
                .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
                .unwrap_or_default()
        };
        let public = RsaPublicKeyComponents {
            n: part("n"),
            e: part("e"),
        };
        Ok(Self {
            pool: UserPool::from_id(pool_id)?,
            jwks: mint::jwks([&key]),
            key,
            public,
        })
    }

    /// `claims` signed RS256 with the pool's key (`kid` in the header). ID and access tokens share
    /// this one key offline; Cognito signs them with two.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        self.key.sign(claims)
    }

    /// The claims of `token` if it is a compact JWS signed by this pool's key with RS256, `None`
    /// otherwise. Checks nothing else: the caller checks `iss`, `exp` and `token_use`.
    pub(crate) fn verified_claims(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header["alg"] != "RS256" || header["kid"] != self.key.kid() {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let (signed, _) = token.rsplit_once('.')?;
        self.public
            .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
            .ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    pub(crate) fn pool(&self) -> &UserPool {
        &self.pool
    }

    /// The pool id.
    pub(crate) fn pool_id(&self) -> &str {
        self.pool.id()
    }

    /// `iss` of the pool's tokens, in the real Cognito form.
    pub fn issuer(&self) -> String {
        let [cognito_idp, _] = self.pool.issuers();
        cognito_idp
    }

    pub(crate) fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// The claims of a client-credentials access token for `client_id` with `scopes`, valid
    /// `ttl` seconds from `now`.
    pub(crate) fn client_credentials_claims(
        &self,
        client_id: &str,
        scopes: &[&str],
        now: u64,
        ttl: u64,
    ) -> serde_json::Map<String, Value> {
        match mint::client_credentials_claims(&self.pool, client_id, scopes, now, ttl) {
            Value::Object(claims) => claims,
            _ => serde_json::Map::new(),
        }
    }

    /// A signed-in user's access token, valid `ttl` seconds from `now`.
    pub(crate) fn user(&self, user: &UserClaims<'_>, now: u64, ttl: u64) -> String {
        let scopes = if user.scopes.is_empty() {
            &[USER_ADMIN_SCOPE][..]
        } else {
            user.scopes
        };
        let mut claims = mint::user_claims(
            &self.pool,
            user.client_id,
            user.username,
            user.groups,
            scopes,
            now,
            ttl,
        );
        if let Some(map) = claims.as_object_mut() {
            for (name, value) in user.extra {
                map.insert(name.clone(), Value::String(value.clone()));
            }
        }
        self.key.sign(&claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn it_verifies_its_own_tokens_only() {
        let signer = Signer::new("us-east-1_Abc", SigningKey::generate("k1").unwrap()).unwrap();
        let other = Signer::new("us-east-1_Abc", SigningKey::generate("k1").unwrap()).unwrap();
        let token = signer.sign(&json!({"a": 1}));
        assert_eq!(signer.verified_claims(&token), Some(json!({"a": 1})));
        assert_eq!(other.verified_claims(&token), None, "same kid, other key");
        let tampered = token.replacen('.', ".e30.", 1);
        assert_eq!(signer.verified_claims(&tampered), None);
        let mut bad_sig = token.clone();
        bad_sig.pop();
        assert_eq!(signer.verified_claims(&bad_sig), None);
        assert_eq!(signer.verified_claims("a.b"), None);
        assert_eq!(signer.verified_claims(""), None);
    }
}
