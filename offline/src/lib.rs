//! The stack of `template.yaml` on 127.0.0.1, with no AWS account and no Docker: a
//! Cognito-compatible issuer (client-credentials token endpoint, JWKS, OpenID configuration) and
//! a gateway, REST API or HTTP API as the template says, that runs the real authorizer and echo
//! handler code.
//!
//! Layers, each using only those below it: `cli` (the command line) → `server` ([`Offline`], the
//! listeners and the dispatch) → `gateway` (the API), `issuer` (the Cognito side) and `app` (the
//! browser app on its own origin) → `template` (reading the template) and `state` (key, pool id,
//! client secrets); `message`, `error` and `calendar` are shared by all.

pub mod app;
pub mod calendar;
pub mod cli;
pub mod error;
pub mod gateway;
pub mod issuer;
pub mod message;
pub mod random;
pub mod server;
pub mod state;
pub mod template;

pub use error::Error;
pub use server::{Offline, Options};
pub use state::StateStore;
