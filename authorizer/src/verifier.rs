//! The token verifier (access tokens unless told otherwise): shape, header, key, signature and
//! claims, cheapest check first.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::claims::ClaimValue;
use crate::error::Reject;
use crate::grants::Grants;
use crate::keys::{CacheSettings, JwksClient, KeyCache};
use crate::pool::UserPool;
use crate::token::{self, Claims};
use crate::token_use::TokenUse;

/// The only signature algorithm accepted. The header's `alg` never selects the algorithm: it
/// must equal this, and the key is always used as an RS256 key.
pub const ALGORITHM: &str = "RS256";

/// Verifier settings. Defaults are documented on each field.
#[derive(Debug, Clone)]
pub struct VerifierSettings {
    /// Clock-skew allowance for `exp`, `nbf` and `iat`. Default 5 s.
    pub leeway: Duration,
    /// Largest token accepted, in bytes, after the `Bearer ` prefix. Default 8 KiB.
    pub max_token_bytes: usize,
    /// When non-empty, only these app client ids (`client_id`) are accepted. Default: any.
    pub client_ids: HashSet<String>,
    /// Key cache behaviour.
    pub cache: CacheSettings,
    /// Replaces `https://cognito-idp.{region}.{suffix}` in JWKS URLs (local issuers, tests).
    /// Expected issuers are unchanged. Default: none.
    pub endpoint_override: Option<String>,
    /// Which tokens are accepted, and which claim names their client (checked against
    /// `client_ids`). Default: [`TokenUse::Access`], access tokens only.
    pub token_use: TokenUse,
    /// Claims passed on in [`Grants::claims`] when a verified token holds them (the route rules'
    /// `claims` and `pathClaims`). Default: none, and the payload is not read a second time.
    pub claims: Vec<String>,
}

impl Default for VerifierSettings {
    fn default() -> Self {
        Self {
            leeway: Duration::from_secs(5),
            max_token_bytes: 8 * 1024,
            client_ids: HashSet::new(),
            cache: CacheSettings::default(),
            endpoint_override: None,
            token_use: TokenUse::Access,
            claims: Vec::new(),
        }
    }
}

#[derive(Debug)]
struct TrustedPool {
    pool: UserPool,
    issuers: [String; 2],
    keys: Arc<KeyCache>,
}

/// Verifies Cognito access tokens for one or more user pools. Cheap to share: wrap it in an
/// `Arc` (or a `&'static`) and call it from any number of concurrent invocations.
///
/// Each check, in order, and the [`Reject`] of each failure are listed in the repository's
/// `docs/token-checks.md`.
///
/// # Example
///
/// A key made on the spot stands in for the pool's (the `mint` feature), served as the pool's
/// JWKS on 127.0.0.1 so that the example runs offline; on AWS, leave
/// [`VerifierSettings::endpoint_override`] unset and the keys come from Cognito.
///
/// ```
/// use authorizer::mint::{self, SigningKey};
/// use authorizer::{JwksClient, UserPool, Verifier, VerifierSettings};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = UserPool::from_id("us-east-1_Example1")?;
/// let key = SigningKey::generate("key-1")?;
/// // The pool's JWKS, served on 127.0.0.1 (with wiremock, as the crate's own tests do).
/// let jwks = wiremock::MockServer::start().await;
/// wiremock::Mock::given(wiremock::matchers::path("/us-east-1_Example1/.well-known/jwks.json"))
///     .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(mint::jwks([&key])))
///     .mount(&jwks)
///     .await;
/// let settings = VerifierSettings {
///     endpoint_override: Some(jwks.uri()),
///     ..VerifierSettings::default()
/// };
/// let client = JwksClient::new(Default::default())?;
/// let verifier = Verifier::new(vec![pool.clone()], settings, client);
///
/// let now = authorizer::unix_now();
/// let claims = mint::client_credentials_claims(&pool, "client1", &["orders/read"], now, 3600);
/// let grants = verifier.verify(&format!("Bearer {}", key.sign(&claims))).await?;
/// assert_eq!(grants.client_id, "client1");
/// assert!(grants.has_scope("orders/read"));
///
/// let refused = verifier.verify("Bearer not.a.token").await.unwrap_err();
/// assert_eq!(refused.code(), "token_malformed");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Verifier {
    pools: Vec<TrustedPool>,
    leeway: u64,
    max_token_bytes: usize,
    client_ids: HashSet<String>,
    token_use: TokenUse,
    claims: Vec<String>,
}

impl Verifier {
    /// A verifier of the tokens of `pools`, with a key cache per pool that fetches through
    /// `client`. Fetches nothing yet: call [`Verifier::prefetch`] during init, or let the first
    /// token fetch its pool's keys.
    pub fn new(pools: Vec<UserPool>, settings: VerifierSettings, client: JwksClient) -> Self {
        let pools = pools
            .into_iter()
            .map(|pool| {
                let url = pool.jwks_url(settings.endpoint_override.as_deref());
                TrustedPool {
                    issuers: pool.issuers(),
                    keys: Arc::new(KeyCache::new(url, client.clone(), settings.cache.clone())),
                    pool,
                }
            })
            .collect();
        Self {
            pools,
            leeway: settings.leeway.as_secs(),
            max_token_bytes: settings.max_token_bytes,
            client_ids: settings.client_ids,
            token_use: settings.token_use,
            claims: settings.claims,
        }
    }

    /// Fetches every pool's keys concurrently. Failures are logged; the cache retries on demand.
    pub async fn prefetch(&self) {
        let mut tasks = tokio::task::JoinSet::new();
        for pool in &self.pools {
            let keys = Arc::clone(&pool.keys);
            tasks.spawn(async move { keys.prefetch().await });
        }
        while tasks.join_next().await.is_some() {}
    }

    /// The key cache of `pool_id`, for diagnostics and tests.
    pub fn key_cache(&self, pool_id: &str) -> Option<&Arc<KeyCache>> {
        self.pools
            .iter()
            .find(|p| p.pool.id() == pool_id)
            .map(|p| &p.keys)
    }

    /// Verifies an `Authorization` header value (`Bearer ` prefix optional) now.
    pub async fn verify(&self, authorization: &str) -> Result<Grants, Reject> {
        self.verify_at(authorization, unix_now()).await
    }

    /// Verifies as if the clock read `now` (seconds since the epoch).
    pub async fn verify_at(&self, authorization: &str, now: u64) -> Result<Grants, Reject> {
        let raw = token::strip_bearer(authorization);
        let parsed = token::parse(raw, self.max_token_bytes)?;

        if parsed.header.alg.as_deref() != Some(ALGORITHM) {
            return Err(Reject::AlgorithmNotAllowed);
        }
        if parsed.header.crit.is_some() {
            return Err(Reject::CritUnsupported);
        }
        let kid = match parsed.header.kid.as_deref() {
            Some(kid) if !kid.is_empty() => kid,
            _ => return Err(Reject::KidMissing),
        };

        let issuer = parsed.claims.iss.as_deref().ok_or(Reject::IssuerInvalid)?;
        let trusted = self
            .pools
            .iter()
            .find(|p| p.issuers.iter().any(|i| i == issuer))
            .ok_or(Reject::IssuerInvalid)?;
        let key = trusted.keys.key(kid).await?;

        key.verify_sig(parsed.signing_input, &parsed.signature)
            .map_err(|_| Reject::SignatureInvalid)?;

        let mut grants = self.check_claims(parsed.claims, now, trusted.pool.id())?;
        grants.claims = self.named_claims(&parsed.payload);
        Ok(grants)
    }

    /// The claims the rules name, from a verified payload (read again only when they name any).
    fn named_claims(&self, payload: &[u8]) -> Vec<(String, ClaimValue)> {
        if self.claims.is_empty() {
            return Vec::new();
        }
        let Ok(all) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(payload)
        else {
            return Vec::new();
        };
        self.claims
            .iter()
            .filter_map(|name| Some((name.clone(), ClaimValue::from_json(all.get(name)?))))
            .collect()
    }

    fn check_claims(&self, claims: Claims, now: u64, pool_id: &str) -> Result<Grants, Reject> {
        let exp = claims.exp.ok_or(Reject::ExpMissing)?;
        if exp.saturating_add(self.leeway) <= now {
            return Err(Reject::Expired);
        }
        if claims
            .nbf
            .is_some_and(|nbf| nbf > now.saturating_add(self.leeway))
        {
            return Err(Reject::NotYetValid);
        }
        let iat = claims.iat.ok_or(Reject::IatMissing)?;
        if iat > now.saturating_add(self.leeway) {
            return Err(Reject::IssuedInFuture);
        }
        let client_id = self.token_use.client(&claims)?;
        if !self.client_ids.is_empty() && !self.client_ids.contains(&client_id) {
            return Err(Reject::ClientNotAllowed);
        }
        let sub = claims
            .sub
            .filter(|s| !s.is_empty())
            .ok_or(Reject::SubMissing)?;
        let scopes = auth_context::scope::parse(claims.scope.as_deref().unwrap_or_default())
            .map_err(|_| Reject::ScopeInvalid)?
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(Grants {
            sub,
            client_id,
            username: claims.username,
            scopes,
            groups: claims.groups.unwrap_or_default(),
            pool_id: pool_id.to_owned(),
            expires_at: exp,
            jti: claims.jti,
            claims: Vec::new(),
        })
    }
}

/// Seconds since the Unix epoch; 0 if the clock is before it (every token is then "from the future").
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
