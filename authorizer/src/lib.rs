//! Verifies Amazon Cognito access tokens and answers API Gateway Lambda authorizer events.
//!
//! The verifier ([`Verifier`]) checks a token's shape, header, key, signature and claims, in
//! that order, and returns what it grants ([`Grants`]) or a typed reason ([`Reject`]).

pub mod error;
pub mod grants;
pub mod keys;
#[cfg(feature = "mint")]
pub mod mint;
pub mod pool;
pub mod token;
pub mod verifier;

pub use error::{ConfigError, FetchError, Reject};
pub use grants::{Grants, Requirement, Unmet};
pub use keys::{CacheSettings, FetchSettings, JwksClient, KeyCache, KeySet};
pub use pool::UserPool;
pub use verifier::{Verifier, VerifierSettings};
