//! One process's fixtures, built once: runtime, JWKS server, key, minted tokens, the authorizer.

use std::sync::OnceLock;
use std::time::Instant;

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, Decision, HandlerError, MethodArn, Metrics};
use serde_json::Value;

use crate::jwks_server::serve_jwks;
use crate::minted::{Minted, mint_tokens};
use crate::settings::{COOLDOWN_SECS, KID, METHOD_ARN, POOL_ID, settings};

/// One process's fixtures: runtime, JWKS server, key, minted tokens, the authorizer. Shared by
/// every call of every target in the process (and by every test thread of the replay test).
pub struct World {
    rt: tokio::runtime::Runtime,
    authorizer: Authorizer,
    built_at: Instant,
    pub tokens: Vec<Minted>,
    /// [`METHOD_ARN`], parsed.
    pub arn: MethodArn,
}

impl World {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let key = SigningKey::generate(KID).expect("RSA key");
        let endpoint = serve_jwks(mint::jwks([&key]).to_string());
        let config = Config::from_lookup(settings(&endpoint)).expect("harness configuration");
        let tokens = mint_tokens(&key);
        // Metric lines are dropped: a memory sink would grow by one line per decision.
        let authorizer =
            Authorizer::new(config, Metrics::discard()).expect("authorizer HTTP client");
        rt.block_on(authorizer.prefetch());
        Self {
            rt,
            authorizer,
            built_at: Instant::now(),
            tokens,
            arn: MethodArn::parse(METHOD_ARN).expect("method ARN"),
        }
    }

    /// [`Authorizer::decide`] on this world's runtime.
    pub fn decide(&self, authorization: Option<&str>, arn: &MethodArn) -> Decision {
        self.rt.block_on(self.authorizer.decide(authorization, arn))
    }

    /// [`Authorizer::handle`] on this world's runtime.
    pub fn handle(&self, payload: Value) -> Result<Value, HandlerError> {
        self.rt.block_on(self.authorizer.handle(payload))
    }

    /// The token event inputs replace [`PLACEHOLDER`](crate::PLACEHOLDER) with: `user-read`, a
    /// user token with `echo-api/read` and the groups `admins` and `readers`.
    pub fn placeholder_token(&self) -> &str {
        &self.token("user-read").token
    }

    fn token(&self, label: &str) -> &Minted {
        self.tokens
            .iter()
            .find(|m| m.label == label)
            .expect("minted label")
    }

    /// Unknown `kid`s may not make the authorizer fetch more than once per cooldown window.
    pub(crate) fn check_fetches(&self) {
        let fetches = self
            .authorizer
            .verifier()
            .key_cache(POOL_ID)
            .map_or(0, |cache| cache.fetch_count());
        let allowed = 2 + self.built_at.elapsed().as_secs() / COOLDOWN_SECS;
        assert!(
            fetches <= allowed,
            "{fetches} JWKS fetches in {:?}",
            self.built_at.elapsed()
        );
    }
}

impl std::fmt::Debug for World {
    /// Without the tokens.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("authorizer", &self.authorizer)
            .field("tokens", &self.tokens.len())
            .field("arn", &self.arn)
            .finish_non_exhaustive()
    }
}

static WORLD: OnceLock<World> = OnceLock::new();

/// Runs `f` with the process's world, building it first if needed.
pub fn with_world<T>(f: impl FnOnce(&World) -> T) -> T {
    f(WORLD.get_or_init(World::new))
}
