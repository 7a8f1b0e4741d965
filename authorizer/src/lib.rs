//! Verifies Amazon Cognito access tokens and answers API Gateway Lambda authorizer events.
//!
//! The verifier ([`Verifier`]) checks a token's shape, header, key, signature and claims, in
//! that order, and returns what it grants ([`Grants`]) or a typed reason ([`Reject`]). The
//! [`Rules`] of the API (one [`Requirement`] for every route, or a [`RouteTable`]) turn grants
//! into [`Permissions`] and a [`Decision`], and the [`Authorizer`] turns that into API Gateway's
//! answer: a cache-safe policy, `Unauthorized`, or an HTTP API simple response.

mod claims;
mod config;
mod decision;
mod decision_log;
/// The EMF specification's rules, for the tests of `metrics` and the integration tests.
#[cfg(test)]
mod emf_spec;
mod error;
pub mod events;
mod glob;
mod grants;
mod handler;
mod keys;
pub mod logging;
mod metrics;
#[cfg(feature = "mint")]
pub mod mint;
mod plan;
pub mod policy;
mod pool;
mod reach;
pub mod request_path;
mod requirement;
mod roots;
pub mod routes;
mod rules;
pub mod strict_json;
mod token;
mod token_use;
mod verifier;

pub use claims::ClaimValue;
pub use config::{Config, DEFAULT_SERVICE_NAME};
pub use decision::{Decision, Reason};
pub use error::{ConfigError, FetchError, Reject};
pub use grants::Grants;
pub use handler::{Answer, Authorizer, HandlerError, RestAnswer, UNAUTHORIZED};
pub use keys::{CacheSettings, FetchSettings, JwksClient, KeyCache, KeySet};
pub use metrics::{Metrics, Outcome};
pub use plan::Conflict;
pub use policy::{MethodArn, Permissions};
pub use pool::{PoolError, UserPool};
pub use requirement::{Access, Binding, Requirement, Rule, RuleError, Unmet};
pub use routes::{RouteError, RouteTable};
pub use rules::{ANSWER_BUDGET, Denial, PolicyScope, RouteRules, Routed, Rules};
pub use token::strip_bearer;
pub use token_use::TokenUse;
pub use verifier::{Verifier, VerifierSettings, unix_now};
