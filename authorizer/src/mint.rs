//! Minting Cognito-shaped tokens and JWKS with a local RSA key: for tests, benchmarks and the offline issuer.
//!
//! Compiled only with the `mint` feature; the Lambda binary never signs anything.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{self, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::pool::UserPool;

/// An RSA-2048 signing key with a `kid`, as a user pool has.
#[derive(Debug)]
pub struct SigningKey {
    kid: String,
    pair: KeyPair,
}

/// Why a key could not be made or loaded.
#[derive(Debug, thiserror::Error)]
#[error("RSA key: {0}")]
pub struct KeyError(&'static str);

impl SigningKey {
    /// A fresh RSA-2048 key.
    pub fn generate(kid: impl Into<String>) -> Result<Self, KeyError> {
        let pair =
            KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError("generation failed"))?;
        Ok(Self {
            kid: kid.into(),
            pair,
        })
    }

    /// A key from PKCS#8 DER, as written by [`SigningKey::to_pkcs8`].
    pub fn from_pkcs8(kid: impl Into<String>, der: &[u8]) -> Result<Self, KeyError> {
        let pair = KeyPair::from_pkcs8(der).map_err(|_| KeyError("not an RSA PKCS#8 key"))?;
        Ok(Self {
            kid: kid.into(),
            pair,
        })
    }

    /// The private key as PKCS#8 DER.
    pub fn to_pkcs8(&self) -> Result<Vec<u8>, KeyError> {
        use aws_lc_rs::encoding::AsDer as _;
        let der: aws_lc_rs::encoding::Pkcs8V1Der<'_> =
            self.pair.as_der().map_err(|_| KeyError("cannot encode"))?;
        Ok(der.as_ref().to_vec())
    }

    /// The key's `kid`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK, in the form Cognito publishes.
    pub fn jwk(&self) -> Value {
        let components = PublicKeyComponents::<Vec<u8>>::from(self.pair.public_key());
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&components.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&components.n),
            "use": "sig",
        })
    }

    /// The RSA-2048 PKCS#1 v1.5 SHA-256 signature of `message`.
    pub fn sign_bytes(&self, message: &[u8]) -> Vec<u8> {
        let mut sig = vec![0; self.pair.public_modulus_len()];
        // Signing with a well-formed key and an output buffer of the modulus size cannot fail.
        let _ = self.pair.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message,
            &mut sig,
        );
        sig
    }

    /// A compact JWS: `{"kid", "alg": "RS256"}` header, `claims`, RS256 signature.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"kid": self.kid, "alg": "RS256"}), claims)
    }

    /// A compact JWS with any header, signed RS256 whatever the header says.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self.sign_bytes(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }
}

/// A JWKS document holding `keys`.
pub fn jwks<'a>(keys: impl IntoIterator<Item = &'a SigningKey>) -> Value {
    json!({"keys": keys.into_iter().map(SigningKey::jwk).collect::<Vec<_>>()})
}

/// The claims of a client-credentials access token as Cognito issues it: `sub` is the client id;
/// no `username`, no `cognito:groups`, no `aud`.
pub fn client_credentials_claims(
    pool: &UserPool,
    client_id: &str,
    scopes: &[&str],
    iat: u64,
    ttl: u64,
) -> Value {
    json!({
        "sub": client_id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": iat,
        "iss": pool.issuers()[0],
        "exp": iat + ttl,
        "iat": iat,
        "version": 2,
        "jti": random_id(),
        "client_id": client_id,
    })
}

/// The claims of a signed-in user's access token: adds `username`, `cognito:groups` (only when
/// `groups` is not empty), `origin_jti` and `event_id`; `sub` is the user's id.
pub fn user_claims(
    pool: &UserPool,
    client_id: &str,
    username: &str,
    groups: &[&str],
    scopes: &[&str],
    iat: u64,
    ttl: u64,
) -> Value {
    let mut claims = client_credentials_claims(pool, client_id, scopes, iat, ttl);
    claims["sub"] = json!(format!(
        "00000000-0000-4000-8000-{:012x}",
        fnv(username) & 0xffff_ffff_ffff
    ));
    claims["username"] = json!(username);
    claims["origin_jti"] = json!(random_id());
    claims["event_id"] = json!(random_id());
    if !groups.is_empty() {
        claims["cognito:groups"] = json!(groups);
    }
    claims
}

/// A random UUID-shaped id, as Cognito's `jti`.
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    // The system RNG is always available where aws-lc-rs runs; on failure the id is all zeros.
    let _ = aws_lc_rs::rand::fill(&mut b);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Stable 64-bit FNV-1a, for deterministic ids in minted tokens.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
