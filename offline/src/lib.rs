//! The stack of `template.yaml` on 127.0.0.1, with no AWS account and no Docker: a
//! Cognito-compatible issuer (client-credentials token endpoint, JWKS, OpenID configuration) and
//! a gateway, REST API or HTTP API as the template says, that runs the real authorizer and echo
//! handler code.
//!
//! Layers, each using only those below it: `cli` (the command line) → `server` ([`Offline`], the
//! listeners and the dispatch) → `gateway` (the API), `issuer` (the Cognito side) and `app` (the
//! browser app on its own origin) → `template` (reading the template) and `state` (key, pool id,
//! client secrets, people); `message`, `error`, `calendar` and `random` are shared by all.
//!
//! The face is small: [`Offline`] runs a stack, [`cli`] is the command line, and the rest is
//! what they hand out ([`Stack`], [`Issuer`], [`AppConfig`]) or what a test drives in-process
//! ([`standalone_issuer`], [`json_api`], [`hosted_ui`]).
#![warn(unreachable_pub)]

mod app;
mod calendar;
pub mod cli;
mod error;
mod gateway;
mod issuer;
mod message;
mod random;
mod server;
mod state;
mod template;

pub use app::{AppConfig, Mismatch};
pub use error::Error;
pub use issuer::Issuer;
pub use message::{Request, Response};
pub use server::load::standalone_issuer;
pub use server::{Offline, Options};
pub use state::{ClientCredentials, StateStore};
pub use template::{AppClient, Inputs, Stack};

/// The hosted UI (`/oauth2/authorize`, `/login`, `/logout`), answered in-process.
pub mod hosted_ui {
    pub use crate::issuer::hosted_ui::answer;
}

/// Cognito's JSON API (`POST /` with `X-Amz-Target`), answered in-process.
pub mod json_api {
    pub use crate::issuer::json_api::answer;
    pub use crate::issuer::json_api::secret_hash::secret_hash;
}
