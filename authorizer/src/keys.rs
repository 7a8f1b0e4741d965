//! Signing keys: JWKS parsing, the bounded HTTP fetch, and the per-pool cache shared by all invocations.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{FetchError, Reject};

/// Keys kept from one JWKS at most; further keys are ignored (Cognito publishes two).
pub(crate) const MAX_KEYS: usize = 16;
/// Smallest RSA modulus accepted, in bytes (2048 bits).
const MIN_MODULUS_BYTES: usize = 256;

/// The usable RS256 signing keys of one JWKS document, by `kid`.
#[derive(Debug, Default)]
pub struct KeySet {
    keys: Vec<(String, Arc<ParsedPublicKey>)>,
}

impl KeySet {
    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&Arc<ParsedPublicKey>> {
        self.keys.iter().find(|(k, _)| k == kid).map(|(_, key)| key)
    }

    /// How many keys the set holds (at most 16).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no key (a set parsed by [`KeySet::from_jwks`] never is).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The `kid`s, in the document's order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(kid, _)| kid.as_str())
    }

    /// Parses a JWKS document. A key that is not an RSA signing key for RS256 of at least 2048
    /// bits (wrong `kty`, `use` other than `sig`, `alg` other than `RS256`, bad `n`/`e`, no `kid`,
    /// a `kid` seen before) is skipped, not fatal. A document with no usable key is an error.
    pub fn from_jwks(json: &[u8]) -> Result<Self, FetchError> {
        #[derive(Deserialize)]
        struct Jwks {
            keys: Vec<serde_json::Value>,
        }
        let jwks: Jwks =
            serde_json::from_slice(json).map_err(|e| FetchError::NotJwks(e.to_string()))?;
        let mut set = KeySet::default();
        for jwk in jwks.keys {
            if set.keys.len() == MAX_KEYS {
                tracing::warn!(
                    max = MAX_KEYS,
                    "JWKS has more keys than kept; the rest are ignored"
                );
                break;
            }
            match usable_key(&jwk) {
                Ok((kid, _)) if set.get(&kid).is_some() => {
                    tracing::warn!(kid, "JWKS repeats a kid; the first key is kept");
                }
                Ok((kid, key)) => set.keys.push((kid, Arc::new(key))),
                Err(why) => tracing::debug!(
                    kid = jwk.get("kid").and_then(|k| k.as_str()),
                    why,
                    "JWK skipped"
                ),
            }
        }
        if set.is_empty() {
            return Err(FetchError::NoUsableKeys);
        }
        Ok(set)
    }
}

fn usable_key(jwk: &serde_json::Value) -> Result<(String, ParsedPublicKey), &'static str> {
    let field = |name: &str| {
        jwk.get(name)
            .map(|v| v.as_str().ok_or("a field is not a string"))
    };
    let kid = field("kid").ok_or("no kid")??;
    if kid.is_empty() {
        return Err("empty kid");
    }
    if field("kty").ok_or("no kty")?? != "RSA" {
        return Err("kty is not RSA");
    }
    if field("use")
        .transpose()?
        .is_some_and(|usage| usage != "sig")
    {
        return Err("use is not sig");
    }
    if field("alg").transpose()?.is_some_and(|alg| alg != "RS256") {
        return Err("alg is not RS256");
    }
    let decode = |name: &str| -> Result<Vec<u8>, &'static str> {
        URL_SAFE_NO_PAD
            .decode(field(name).ok_or("no n or e")??)
            .map_err(|_| "n or e is not base64url")
    };
    let n = decode("n")?;
    let e = decode("e")?;
    if n.first() == Some(&0) || e.first() == Some(&0) {
        return Err("n or e has leading zeros");
    }
    if n.len() < MIN_MODULUS_BYTES {
        return Err("modulus shorter than 2048 bits");
    }
    let key = RsaPublicKeyComponents { n: &n, e: &e }
        .to_parsed_public_key(&signature::RSA_PKCS1_2048_8192_SHA256)
        .map_err(|_| "not a valid RSA public key")?;
    Ok((kid.to_owned(), key))
}

/// Limits of the JWKS HTTP fetch.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// TCP and TLS connect timeout. Default 1 s.
    pub connect_timeout: Duration,
    /// Whole-request timeout, body included. Default 2 s, well under the authorizer's 5 s timeout.
    pub total_timeout: Duration,
    /// Largest JWKS body accepted. Default 150,000 bytes, as API Gateway's JWT authorizer.
    pub max_bytes: usize,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_millis(1000),
            total_timeout: Duration::from_millis(2000),
            max_bytes: 150_000,
        }
    }
}

/// Fetches JWKS documents with one reused HTTP client (rustls on aws-lc-rs, no redirects).
#[derive(Debug, Clone)]
pub struct JwksClient {
    http: reqwest::Client,
    settings: FetchSettings,
}

impl JwksClient {
    /// Trusts the system's roots (`SSL_CERT_FILE`, `SSL_CERT_DIR`, else the distribution's),
    /// decoded fast; if none are found or one does not parse, reqwest loads them
    /// itself, as it would by default (same roots, several times the instructions: see
    /// docs/performance.md).
    pub fn new(settings: FetchSettings) -> Result<Self, reqwest::Error> {
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(settings.connect_timeout)
                .timeout(settings.total_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("cognito-authorizer/", env!("CARGO_PKG_VERSION")))
        };
        let roots: Vec<reqwest::Certificate> = crate::roots::system_roots()
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok())
            .collect();
        let fast = (!roots.is_empty())
            .then(|| builder().tls_certs_only(roots).build().ok())
            .flatten();
        let http = match fast {
            Some(http) => http,
            None => builder().build()?,
        };
        Ok(Self { http, settings })
    }

    /// GETs `url` and parses it as a JWKS. Non-200, a body over the cap, a body that is not a
    /// JWKS and a JWKS with no usable key are errors. Bounded by the total timeout.
    pub async fn fetch(&self, url: &str) -> Result<KeySet, FetchError> {
        match tokio::time::timeout(self.settings.total_timeout, self.fetch_body(url)).await {
            Ok(body) => KeySet::from_jwks(&body?),
            Err(_) => Err(FetchError::Timeout),
        }
    }

    async fn fetch_body(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let limit = self.settings.max_bytes;
        let http_error = |e: reqwest::Error| {
            if e.is_timeout() {
                FetchError::Timeout
            } else {
                FetchError::Http(e)
            }
        };
        let mut response = self.http.get(url).send().await.map_err(http_error)?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(FetchError::Status(response.status().as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(FetchError::TooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(http_error)? {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// How long keys are trusted and how often the JWKS may be fetched.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// Age after which keys are refreshed in the background while still served. Default 1 h.
    pub ttl: Duration,
    /// Age after which keys are no longer served when refreshes keep failing (stale-if-error
    /// bound). Default 24 h.
    pub max_stale: Duration,
    /// After a fetch, the least time before an unknown `kid` may trigger another. Default 10 s.
    pub unknown_kid_cooldown: Duration,
    /// After a failed fetch, the least time before another attempt. Default 1 s.
    pub retry_after_error: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(3600),
            max_stale: Duration::from_secs(24 * 3600),
            unknown_kid_cooldown: Duration::from_secs(10),
            retry_after_error: Duration::from_secs(1),
        }
    }
}

/// What the cache holds at one moment; replaced whole, never mutated.
#[derive(Debug, Default)]
struct Snapshot {
    keys: Option<Arc<KeySet>>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
    last_attempt_failed: bool,
    /// Incremented by every fetch attempt; lets waiters see that a fetch happened meanwhile.
    attempts: u64,
}

impl Snapshot {
    fn age(&self, now: Instant) -> Option<Duration> {
        self.fetched_at.map(|at| now.saturating_duration_since(at))
    }

    /// Whether a fetch may start now: none before, or the last one is far enough in the past.
    fn may_fetch(&self, now: Instant, settings: &CacheSettings) -> bool {
        self.last_attempt.is_none_or(|at| {
            let wait = if self.last_attempt_failed {
                settings.retry_after_error
            } else {
                settings.unknown_kid_cooldown
            };
            now.saturating_duration_since(at) >= wait
        })
    }
}

/// The keys of one user pool, shared by every invocation of a warm Lambda.
///
/// Readers never wait on a lock held across a fetch. At most one fetch per pool is in flight;
/// callers that need its result wait for it rather than fetching again.
#[derive(Debug)]
pub struct KeyCache {
    url: String,
    client: JwksClient,
    settings: CacheSettings,
    state: RwLock<Arc<Snapshot>>,
    fetch_lock: Mutex<()>,
    fetches: std::sync::atomic::AtomicU64,
}

impl KeyCache {
    /// An empty cache for the JWKS at `url`, fetched with `client`. Fetches nothing yet.
    pub fn new(url: String, client: JwksClient, settings: CacheSettings) -> Self {
        Self {
            url,
            client,
            settings,
            state: RwLock::default(),
            fetch_lock: Mutex::new(()),
            fetches: Default::default(),
        }
    }

    /// The JWKS URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Number of HTTP fetches started so far.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock still holds a whole snapshot: snapshots are swapped, never edited.
        Arc::clone(
            &self
                .state
                .read()
                .unwrap_or_else(|poison| poison.into_inner()),
        )
    }

    /// Fetches now unless a fetch already happened since the caller looked (`seen_attempts`) or
    /// the cooldown forbids it. Returns the snapshot to use afterwards.
    async fn refresh(&self, seen_attempts: u64) -> Arc<Snapshot> {
        let _guard = self.fetch_lock.lock().await;
        let current = self.snapshot();
        if current.attempts != seen_attempts || !current.may_fetch(Instant::now(), &self.settings) {
            return current;
        }
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = self.client.fetch(&self.url).await;
        let now = Instant::now();
        let next = match result {
            Ok(keys) => {
                tracing::info!(url = %self.url, keys = keys.len(), "JWKS fetched");
                Snapshot {
                    keys: Some(Arc::new(keys)),
                    fetched_at: Some(now),
                    last_attempt: Some(now),
                    last_attempt_failed: false,
                    attempts: current.attempts + 1,
                }
            }
            Err(error) => {
                tracing::error!(url = %self.url, reason = error.code(), %error, "JWKS fetch failed");
                Snapshot {
                    keys: current.keys.clone(),
                    fetched_at: current.fetched_at,
                    last_attempt: Some(now),
                    last_attempt_failed: true,
                    attempts: current.attempts + 1,
                }
            }
        };
        let next = Arc::new(next);
        *self
            .state
            .write()
            .unwrap_or_else(|poison| poison.into_inner()) = Arc::clone(&next);
        next
    }

    /// Fetches the keys unless they are already cached. Used at start, before the first request.
    pub async fn prefetch(&self) {
        let snapshot = self.snapshot();
        if snapshot.keys.is_none() {
            self.refresh(snapshot.attempts).await;
        }
    }

    /// The key for `kid`.
    ///
    /// A known `kid` with keys younger than `max_stale` answers at once; keys older than `ttl`
    /// start one background refresh. An unknown `kid` waits for one fetch, at most once per
    /// cooldown window. With no usable keys and no way to get them: [`Reject::JwksUnavailable`].
    pub async fn key(self: &Arc<Self>, kid: &str) -> Result<Arc<ParsedPublicKey>, Reject> {
        let now = Instant::now();
        let snapshot = self.snapshot();
        let age = snapshot.age(now);
        if let (Some(keys), Some(age)) = (&snapshot.keys, age)
            && age < self.settings.max_stale
            && let Some(key) = keys.get(kid)
        {
            if age >= self.settings.ttl {
                self.refresh_in_background(&snapshot, now);
            }
            return Ok(Arc::clone(key));
        }
        let after = if snapshot.may_fetch(now, &self.settings) {
            self.refresh(snapshot.attempts).await
        } else {
            snapshot
        };
        let now = Instant::now();
        match (&after.keys, after.age(now)) {
            (Some(keys), Some(age)) if age < self.settings.max_stale => {
                keys.get(kid).cloned().ok_or(Reject::KidUnknown)
            }
            _ => Err(Reject::JwksUnavailable),
        }
    }

    fn refresh_in_background(self: &Arc<Self>, snapshot: &Snapshot, now: Instant) {
        if !snapshot.may_fetch(now, &self.settings) || self.fetch_lock.try_lock().is_err() {
            return;
        }
        let cache = Arc::clone(self);
        let seen = snapshot.attempts;
        tokio::spawn(async move {
            cache.refresh(seen).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rsa_jwk(kid: &str) -> serde_json::Value {
        let n = URL_SAFE_NO_PAD.encode([0xc5u8; 256]);
        json!({"kid": kid, "kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB", "n": n})
    }

    #[test]
    fn skips_unusable_keys() {
        let mut enc = rsa_jwk("enc");
        enc["use"] = json!("enc");
        let mut hs = rsa_jwk("hs");
        hs["alg"] = json!("HS256");
        let mut ec = rsa_jwk("ec");
        ec["kty"] = json!("EC");
        let mut short = rsa_jwk("short");
        short["n"] = json!(URL_SAFE_NO_PAD.encode([0xc5u8; 128]));
        let mut no_kid = rsa_jwk("x");
        no_kid.as_object_mut().map(|o| o.remove("kid"));
        let mut bad_n = rsa_jwk("bad_n");
        bad_n["n"] = json!("***");
        let mut no_use_no_alg = rsa_jwk("plain");
        no_use_no_alg.as_object_mut().map(|o| {
            o.remove("use");
            o.remove("alg")
        });
        let doc = json!({"keys": [enc, hs, ec, short, no_kid, bad_n, rsa_jwk("good"), rsa_jwk("good"), no_use_no_alg, 5]});
        let set = KeySet::from_jwks(doc.to_string().as_bytes()).unwrap();
        assert_eq!(set.kids().collect::<Vec<_>>(), ["good", "plain"]);
    }

    #[test]
    fn a_jwks_without_usable_keys_is_an_error() {
        for doc in [
            r#"{"keys":[]}"#,
            r#"{"nokeys":1}"#,
            "<html>",
            r#"{"keys":{}}"#,
        ] {
            assert!(KeySet::from_jwks(doc.as_bytes()).is_err(), "{doc}");
        }
    }

    #[test]
    fn keeps_at_most_max_keys() {
        let keys: Vec<_> = (0..MAX_KEYS + 5)
            .map(|i| rsa_jwk(&format!("k{i}")))
            .collect();
        let set = KeySet::from_jwks(json!({"keys": keys}).to_string().as_bytes()).unwrap();
        assert_eq!(set.len(), MAX_KEYS);
    }
}
