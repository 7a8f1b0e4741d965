//! The contract between the authorizer and the backends behind it: the context API Gateway passes
//! on (`requestContext.authorizer` for REST, `requestContext.authorizer.lambda` for HTTP APIs),
//! how `scope` is split (RFC 6749 section 3.3), how `groups` is encoded (a JSON array, so every
//! Cognito group name round-trips, commas included) and how `claims` is (a JSON object of the
//! claims the route rules name: a tenant id, say). Backends read the caller through [`Caller`],
//! which also reads what API Gateway's own authorizers pass instead (a REST `COGNITO_USER_POOLS`
//! authorizer's `claims`, an HTTP API JWT authorizer's `jwt.claims` and `jwt.scopes`; their list
//! forms are in [`claim_lists`]).
//!
//! One crate so that the authorizer that writes the context and the backends that read it can
//! never disagree.

#![warn(missing_docs, unreachable_pub)]

pub mod caller;
pub mod claim_lists;
pub mod claims;
pub mod context;
pub mod groups;
pub mod scope;

pub use caller::Caller;
pub use claims::ClaimsError;
pub use context::AuthContext;
pub use groups::GroupsError;
pub use scope::ScopeError;
