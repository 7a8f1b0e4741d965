//! Shared fixtures: a loopback JWKS server, a pool, keys and tokens made at test time.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../src/emf_spec.rs"]
pub mod emf;
pub mod insights;
pub mod lambda;

use std::time::Duration;

use authorizer::mint::{self, SigningKey};
use authorizer::{CacheSettings, FetchSettings, JwksClient, UserPool, Verifier, VerifierSettings};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const POOL_ID: &str = "us-east-1_TestPool1";
pub const CLIENT_ID: &str = "3abc4client5id6";

pub fn pool() -> UserPool {
    UserPool::from_id(POOL_ID).unwrap()
}

pub fn jwks_path(pool_id: &str) -> String {
    format!("/{pool_id}/.well-known/jwks.json")
}

/// Serves `body` as the pool's JWKS, replacing whatever was served before.
pub async fn serve_jwks(server: &MockServer, pool_id: &str, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(jwks_path(pool_id)))
        .respond_with(response)
        .mount(server)
        .await;
}

pub fn jwks_ok(keys: &[&SigningKey]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(mint::jwks(keys.iter().copied()))
}

pub fn fast_settings() -> VerifierSettings {
    VerifierSettings {
        cache: CacheSettings {
            unknown_kid_cooldown: Duration::from_millis(300),
            retry_after_error: Duration::from_millis(100),
            ..CacheSettings::default()
        },
        ..VerifierSettings::default()
    }
}

pub fn client(total: Duration) -> JwksClient {
    JwksClient::new(FetchSettings {
        connect_timeout: Duration::from_millis(500),
        total_timeout: total,
        ..FetchSettings::default()
    })
    .unwrap()
}

pub fn verifier_for(
    server: &MockServer,
    pools: Vec<UserPool>,
    settings: VerifierSettings,
) -> Verifier {
    let settings = VerifierSettings {
        endpoint_override: Some(server.uri()),
        ..settings
    };
    Verifier::new(pools, settings, client(Duration::from_millis(1000)))
}

/// A pool with one key, its JWKS served and prefetched.
pub struct Fixture {
    pub server: MockServer,
    pub key: SigningKey,
    pub verifier: Verifier,
}

impl Fixture {
    pub async fn new() -> Self {
        Self::with_settings(fast_settings()).await
    }

    pub async fn with_settings(settings: VerifierSettings) -> Self {
        let server = MockServer::start().await;
        let key = SigningKey::generate("key-1").unwrap();
        serve_jwks(&server, POOL_ID, jwks_ok(&[&key])).await;
        let verifier = verifier_for(&server, vec![pool()], settings);
        verifier.prefetch().await;
        Self {
            server,
            key,
            verifier,
        }
    }

    pub fn fetches(&self) -> u64 {
        self.verifier.key_cache(POOL_ID).unwrap().fetch_count()
    }

    pub async fn requests(&self) -> usize {
        self.server.received_requests().await.map_or(0, |r| r.len())
    }
}

pub fn now() -> u64 {
    authorizer::unix_now()
}

/// A valid client-credentials token's claims for the test pool, issued now, valid one hour.
pub fn cc_claims(scopes: &[&str]) -> Value {
    mint::client_credentials_claims(&pool(), CLIENT_ID, scopes, now(), 3600)
}
