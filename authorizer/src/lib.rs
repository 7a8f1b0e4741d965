//! Verifies Amazon Cognito access tokens and answers API Gateway Lambda authorizer events.
//!
//! The verifier ([`Verifier`]) checks a token's shape, header, key, signature and claims, in
//! that order, and returns what it grants ([`Grants`]) or a typed reason ([`Reject`]). The
//! [`Authorizer`] turns that into API Gateway's answer: a cache-safe policy, `Unauthorized`, or an
//! HTTP API simple response.

pub mod config;
pub mod error;
pub mod events;
pub mod grants;
pub mod handler;
pub mod keys;
pub mod logging;
pub mod metrics;
#[cfg(feature = "mint")]
pub mod mint;
pub mod policy;
pub mod pool;
pub mod roots;
pub mod routes;
pub mod token;
pub mod verifier;

pub use config::Config;
pub use error::{ConfigError, FetchError, Reject};
pub use grants::{Grants, Requirement, Unmet};
pub use handler::{Authorizer, Decision, HandlerError};
pub use keys::{CacheSettings, FetchSettings, JwksClient, KeyCache, KeySet};
pub use metrics::{Metrics, Outcome};
pub use pool::UserPool;
pub use verifier::{Verifier, VerifierSettings};
