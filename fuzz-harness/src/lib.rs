//! The code behind the fuzz targets in `fuzz/fuzz_targets/` and behind the replay of
//! `fuzz/regressions/` in `cargo test` (`tests/regressions.rs`): one loopback JWKS server, one RSA
//! key generated at start, tokens minted with it, the project's real [`authorizer::Authorizer`]
//! configured through [`authorizer::Config::from_lookup`] with [`settings`], and the invariants
//! each target asserts (a broken invariant panics, which libFuzzer reports as a crash and saves
//! the input, and which fails the replay test).
//!
//! Nothing here reaches the internet: the JWKS endpoint is overridden to `127.0.0.1`. Nothing
//! secret is written anywhere except the seed tokens, which go to the (git-ignored) corpus
//! directory named by `AUTHORIZER_FUZZ_SEEDS`, signed by a key that dies with the process.
//!
//! This crate has no libFuzzer dependency, so it builds and is tested in the main workspace on
//! stable Rust; `fuzz/` (its own workspace) only wraps [`token_path`], [`authorizer_event`],
//! [`echo_event`] and [`mutate_token`] in libFuzzer's macros.
// A panic is how a target reports a broken invariant; nothing here serves a request.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod bearer;
mod jwks_server;
mod minted;
mod mutator;
pub mod regressions;
mod settings;
mod targets;
mod world;

pub use bearer::{carries, presented};
pub use jwks_server::serve_jwks;
pub use minted::{Expect, Minted, mint_tokens};
pub use mutator::mutate_token;
pub use settings::{CLIENT_ID, KID, METHOD_ARN, PLACEHOLDER, POOL_ID, ROUTE_SCOPES, settings};
pub use targets::{
    EchoAnswer, EventRun, TokenRun, authorizer_event, echo_event, substitute, token_path,
    token_path_init,
};
pub use world::{World, with_world};
