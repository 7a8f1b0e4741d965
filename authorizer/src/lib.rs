//! Verifies Amazon Cognito access tokens and answers API Gateway Lambda authorizer events: the
//! Rust counterpart of aws-jwt-verify, with route rules and cache-safe IAM policies.
//!
//! The crate is the library behind this repository's authorizer Lambda (its `main.rs` is a dozen
//! lines over [`Authorizer`]); your own Lambda functions can use any layer of it. Each layer's
//! entry point has a running example.
//!
//! - **Verify** a token: [`Verifier`] checks its shape, header, issuer, key, signature and claims,
//!   cheapest first, and returns what it grants ([`Grants`]) or a typed reason ([`Reject`], with
//!   a stable [`code`](Reject::code)). [`VerifierSettings`] is plain data that documents its
//!   defaults. Keys come from each pool's JWKS, fetched once and cached ([`KeyCache`]); only
//!   RS256 is accepted ([`ALGORITHM`]).
//! - **Decide** a route: [`Rules`] (one [`Requirement`] for the whole API, or a [`RouteTable`] of
//!   `"METHOD /path"` rules in the `ROUTE_SCOPES` format) turn grants and the request's
//!   [`MethodArn`] into [`Permissions`], the policy API Gateway caches, and whether they let the
//!   request through ([`Denial`] if not).
//! - **Answer API Gateway**: [`Authorizer`] does both for a REST TOKEN or REQUEST event or an HTTP
//!   API (payload 2.0) event, from a [`Config`] read from the environment, and logs one line
//!   and writes one metric per decision. Its example includes a Lambda function's `main`.
//!
//! A policy is cached by API Gateway per token and reused on every route, so the one a token gets
//! allows exactly the routes it may call, whichever route it asked for: every allowed route's
//! pattern, and a Deny wherever such a pattern would also match a route it may not call. Tables
//! with no exact policy for some token are reported at start ([`RouteRules::conflicts`]). The
//! repository's `docs/policy.md` explains the answers, cache safety, paths in other forms and
//! the limits; `docs/token-checks.md` lists every check and reason code.
//!
//! # Features
//!
//! - `mint`: the module `authorizer::mint`, Cognito-shaped tokens and JWKS signed with a local RSA
//!   key, for tests, benchmarks and local issuers. Off by default; the Lambda never signs
//!   anything.

#![warn(missing_docs, unreachable_pub)]

mod claims;
mod config;
mod decision;
mod decision_log;
/// The EMF specification's rules, for the tests of `metrics` and the integration tests.
#[cfg(test)]
mod emf_spec;
mod error;
mod events;
mod glob;
mod grants;
mod handler;
mod keys;
pub mod logging;
mod metrics;
#[cfg(feature = "mint")]
pub mod mint;
mod plan;
mod policy;
mod pool;
mod reach;
pub mod request_path;
mod requirement;
mod roots;
mod routes;
mod rules;
mod segment;
mod strict_json;
mod token;
mod token_use;
mod verifier;

pub use claims::ClaimValue;
pub use config::{Config, DEFAULT_SERVICE_NAME};
pub use decision::{Decision, Reason};
pub use error::{ConfigError, FetchError, Reject};
pub use events::{AuthorizerEvent, EventError};
pub use grants::Grants;
pub use handler::{Answer, Authorizer, HandlerError, RestAnswer, UNAUTHORIZED};
pub use keys::{CacheSettings, FetchSettings, JwksClient, KeyCache, KeySet};
pub use metrics::{Metrics, Outcome};
pub use plan::Conflict;
pub use policy::{MethodArn, Permissions, evaluate as evaluate_policy};
pub use pool::{PoolError, UserPool};
pub use requirement::{Access, Binding, Requirement, Rule, RuleError, Unmet};
pub use routes::{
    PatternError, Route, RouteError, RoutePattern, RouteTable, most_specific,
    most_specific_segments,
};
pub use rules::{ANSWER_BUDGET, Denial, PolicyScope, RouteRules, Routed, Rules};
pub use token::strip_bearer;
pub use token_use::TokenUse;
pub use verifier::{ALGORITHM, Verifier, VerifierSettings, unix_now};

/// The README's example, compiled by `cargo test --doc` so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
