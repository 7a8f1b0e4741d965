//! The local API, as API Gateway answers it: a REST API (`rest_api`: canonical routing, `TOKEN`
//! and `REQUEST` authorizers whose policies are evaluated against the `methodArn`, gateway
//! responses, SAM's CORS preflight, payload 1.0) or an HTTP API (`http_api`: routes matched as
//! sent with `$default`, Lambda authorizers with simple responses, payload 2.0, its CORS). Both
//! run the real authorizer and echo code as their Lambda binaries do (`functions`, `echo`),
//! cache authorizer answers per identity (`authorizer_runtime`, `identity`, `cache`), and turn
//! the echo's answer into HTTP (`integration`). API Gateway's own authorizers (REST
//! `COGNITO_USER_POOLS`, HTTP API JWT) verify tokens with the Lambda authorizer's verifier
//! (`pool_verifier`) and pass the claims as strings (`claim_text`).

pub(crate) mod authorizer_runtime;
pub(crate) mod cache;
pub(crate) mod claim_text;
pub(crate) mod deployment;
pub(crate) mod echo;
pub(crate) mod event_parts;
#[cfg(test)]
pub(crate) mod fixtures;
pub(crate) mod functions;
pub(crate) mod http_api;
pub(crate) mod identity;
pub(crate) mod integration;
pub(crate) mod pool_verifier;
pub(crate) mod rest_api;
pub(crate) mod router;

use std::sync::atomic::{AtomicU64, Ordering};

use self::http_api::HttpGateway;
use self::rest_api::RestGateway;
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::Stack;

/// Counters for tests and the summary printed at exit.
#[derive(Debug, Default)]
pub struct Stats {
    pub authorizer_invocations: AtomicU64,
    pub authorizer_cache_hits: AtomicU64,
    pub requests: AtomicU64,
}

impl Stats {
    fn record(&self, used: AuthorizerUse) {
        let counter = match used {
            AuthorizerUse::None => return,
            AuthorizerUse::Invoked => &self.authorizer_invocations,
            AuthorizerUse::Cached => &self.authorizer_cache_hits,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The API of one stack.
#[derive(Debug)]
pub(crate) struct Gateway {
    api: Flavour,
    stats: Stats,
}

#[derive(Debug)]
enum Flavour {
    Rest(RestGateway),
    Http(HttpGateway),
}

impl Gateway {
    /// Builds the authorizers from their functions' environment, with the key endpoint pointed
    /// at `issuer_url` through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, and the routes'
    /// functions from theirs.
    pub(crate) fn new(stack: &Stack, issuer_url: &str) -> Result<Self, Error> {
        let api = if stack.api.is_http() {
            Flavour::Http(HttpGateway::new(stack, issuer_url)?)
        } else {
            Flavour::Rest(RestGateway::new(stack, issuer_url)?)
        };
        Ok(Self {
            api,
            stats: Stats::default(),
        })
    }

    /// The authorizers' init: fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        match &self.api {
            Flavour::Rest(api) => api.prefetch().await,
            Flavour::Http(api) => api.prefetch().await,
        }
    }

    pub(crate) fn stats(&self) -> &Stats {
        &self.stats
    }

    /// API Gateway's answer to a body over its payload limit.
    pub(crate) fn too_large(&self) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        match &self.api {
            Flavour::Rest(api) => api.too_large(),
            Flavour::Http(api) => api.too_large(),
        }
    }

    /// Answers one request as API Gateway would, counting how the authorizer took part.
    pub(crate) async fn handle(&self, request: Request) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = match &self.api {
            Flavour::Rest(api) => api.handle(request).await,
            Flavour::Http(api) => api.handle(request).await,
        };
        self.stats.record(response.authorizer);
        response
    }
}
