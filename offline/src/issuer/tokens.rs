//! The tokens of a person's sign-in, with Cognito's claim sets: the access token (`username`,
//! `cognito:groups`, `scope`, `origin_jti`, `event_id`, `auth_time`, `client_id`), the ID token
//! (`aud`, `cognito:username`, `token_use: id`, the user's attributes, `at_hash` and `nonce` from
//! the hosted UI) and the opaque refresh token; and the check of an access token handed back.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::signer::Signer;
use crate::random::random_string;
use crate::state::{StoredSignIn, StoredUser};

/// What the tokens of one sign-in say.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grant<'a> {
    pub(crate) user: &'a StoredUser,
    pub(crate) groups: &'a [String],
    pub(crate) sign_in: &'a StoredSignIn,
    pub(crate) origin_jti: &'a str,
    /// The hosted UI's `nonce`, for the ID token.
    pub(crate) nonce: Option<&'a str>,
}

/// The access token's claims, valid `ttl` seconds from `now`.
pub(crate) fn access_claims(
    signer: &Signer,
    grant: &Grant<'_>,
    now: u64,
    ttl: u64,
) -> Map<String, Value> {
    let mut claims = common(signer, grant, now, ttl);
    claims.insert("token_use".into(), json!("access"));
    claims.insert("scope".into(), json!(grant.sign_in.scopes.join(" ")));
    claims.insert("client_id".into(), json!(grant.sign_in.client_id));
    claims.insert("username".into(), json!(grant.user.username));
    if grant.sign_in.hosted {
        // Tokens from the hosted UI carry `version`; those of the API flows do not.
        claims.insert("version".into(), json!(2));
    }
    claims
}

/// The ID token's claims (the caller adds `at_hash` from the signed access token).
pub(crate) fn id_claims(
    signer: &Signer,
    grant: &Grant<'_>,
    now: u64,
    ttl: u64,
) -> Map<String, Value> {
    let mut claims = common(signer, grant, now, ttl);
    claims.insert("token_use".into(), json!("id"));
    claims.insert("aud".into(), json!(grant.sign_in.client_id));
    claims.insert("cognito:username".into(), json!(grant.user.username));
    for (name, value) in &grant.user.attributes {
        claims.insert(name.clone(), attribute_claim(name, value));
    }
    if let Some(nonce) = grant.nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    claims
}

fn common(signer: &Signer, grant: &Grant<'_>, now: u64, ttl: u64) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(grant.user.sub));
    if !grant.groups.is_empty() {
        claims.insert("cognito:groups".into(), json!(grant.groups));
    }
    claims.insert("iss".into(), json!(signer.issuer()));
    claims.insert("origin_jti".into(), json!(grant.origin_jti));
    claims.insert("event_id".into(), json!(grant.sign_in.event_id));
    claims.insert("auth_time".into(), json!(grant.sign_in.auth_time));
    claims.insert("exp".into(), json!(now + ttl));
    claims.insert("iat".into(), json!(now));
    claims.insert("jti".into(), json!(authorizer::mint::random_id()));
    claims
}

/// `email_verified` and `phone_number_verified` are booleans in an ID token, `updated_at` a
/// number; the rest strings.
fn attribute_claim(name: &str, value: &str) -> Value {
    match name {
        "email_verified" | "phone_number_verified" => json!(value == "true"),
        "updated_at" => value
            .parse::<u64>()
            .map_or_else(|_| json!(value), |n| json!(n)),
        _ => json!(value),
    }
}

/// OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url.
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = digest::digest(&digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

/// A new refresh token: opaque, shaped as Cognito's (a JWE's five parts) but holding only
/// randomness; the state keeps its SHA-256.
pub(crate) fn new_refresh_token() -> String {
    const HEADER: &str = r#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let parts = [342, 16, 400, 22].map(|len| random_string(len, ALPHABET));
    format!("{}.{}", URL_SAFE_NO_PAD.encode(HEADER), parts.join("."))
}

/// SHA-256 of a refresh token, hex: what the state keeps.
pub(crate) fn refresh_hash(token: &str) -> String {
    super::directory::hex(digest::digest(&digest::SHA256, token.as_bytes()).as_ref())
}

/// An access token handed back, as far as its signature and claims go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccessClaims {
    pub(crate) sub: String,
    pub(crate) origin_jti: Option<String>,
    pub(crate) client_id: String,
    pub(crate) scopes: Vec<String>,
}

/// Why an access token handed back is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AccessProblem {
    /// Not one of this pool's access tokens (signature, issuer, `token_use`, claim types).
    #[error("Invalid Access Token")]
    Invalid,
    #[error("Access Token has expired")]
    Expired,
}

/// The claims of `token` if this pool signed it as an access token that has not expired at `now`.
pub(crate) fn check_access(
    signer: &Signer,
    token: &str,
    now: u64,
) -> Result<AccessClaims, AccessProblem> {
    let claims = signer
        .verified_claims(token)
        .ok_or(AccessProblem::Invalid)?;
    let text = |name: &str| claims[name].as_str().map(str::to_owned);
    if text("iss").as_deref() != Some(signer.issuer().as_str())
        || text("token_use").as_deref() != Some("access")
    {
        return Err(AccessProblem::Invalid);
    }
    let exp = claims["exp"].as_u64().ok_or(AccessProblem::Invalid)?;
    if exp <= now {
        return Err(AccessProblem::Expired);
    }
    Ok(AccessClaims {
        sub: text("sub").ok_or(AccessProblem::Invalid)?,
        origin_jti: text("origin_jti"),
        client_id: text("client_id").ok_or(AccessProblem::Invalid)?,
        scopes: text("scope")
            .unwrap_or_default()
            .split_ascii_whitespace()
            .map(str::to_owned)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_opaque_and_distinct() {
        let a = new_refresh_token();
        assert_eq!(a.split('.').count(), 5);
        assert_ne!(a, new_refresh_token());
        assert_eq!(refresh_hash(&a).len(), 64);
        assert_ne!(refresh_hash(&a), refresh_hash(&new_refresh_token()));
    }

    #[test]
    fn at_hash_of_a_known_token() {
        // OpenID Connect Core's example access token and its at_hash (RS256: SHA-256, left half).
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }
}
