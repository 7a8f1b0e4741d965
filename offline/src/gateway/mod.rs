//! The local APIs, as API Gateway answers them: REST APIs (`rest_api`: canonical routing,
//! `TOKEN` and `REQUEST` authorizers whose policies are evaluated against the `methodArn`,
//! gateway responses, SAM's CORS preflight, mock integrations, payload 1.0) and HTTP APIs
//! (`http_api`: routes matched as sent with `$default`, Lambda authorizers with simple
//! responses, payload 2.0, their CORS), each at its stage (`/{stage}`, or the root for an HTTP
//! API's `$default`). Every function they call runs as Lambda runs it (`lambda`, made ready by
//! `functions`); authorizer answers are cached per identity (`authorizer_runtime`, `identity`,
//! `cache`); a function's answer becomes HTTP in `integration`. At start, each Lambda
//! authorizer's rules are compared with the routes it guards (`rule_check`). API Gateway's own
//! authorizers (REST `COGNITO_USER_POOLS`, HTTP API JWT) verify tokens with the Lambda
//! authorizer's verifier (`pool_verifier`) and pass the claims as strings (`claim_text`).

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
pub(crate) mod lambda;
pub(crate) mod mock;
pub(crate) mod pool_verifier;
pub(crate) mod rest_api;
pub(crate) mod router;
pub(crate) mod rule_check;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use self::functions::Functions;
use self::http_api::HttpGateway;
use self::pool_verifier::LocalIssuer;
use self::rest_api::RestGateway;
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::Stack;
use crate::template::api::DEFAULT_STAGE;

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

/// The APIs of one stack.
#[derive(Debug)]
pub(crate) struct Gateway {
    /// In the template's order, each with its stage.
    apis: Vec<(String, Flavour)>,
    functions: Arc<Functions>,
    stats: Stats,
    warnings: Vec<String>,
}

#[derive(Debug)]
enum Flavour {
    Rest(RestGateway),
    Http(HttpGateway),
}

impl Gateway {
    /// Makes every function the APIs call ready (the authorizers pointed at `issuer_url`, the
    /// local issuer), then the APIs.
    pub(crate) async fn new(stack: &Stack, issuer_url: &str) -> Result<Self, Error> {
        let functions = Arc::new(Functions::start(stack, issuer_url).await?);
        let issuer = LocalIssuer {
            pool_id: &stack.pool_id,
            url: issuer_url,
            template: &stack.template,
        };
        let mut apis = Vec::with_capacity(stack.apis.len());
        for api in &stack.apis {
            let flavour = if api.is_http() {
                Flavour::Http(HttpGateway::new(api, &stack.region, &functions, issuer)?)
            } else {
                Flavour::Rest(RestGateway::new(api, &stack.region, &functions, issuer)?)
            };
            apis.push((api.stage.clone(), flavour));
        }
        let warnings = rule_check::warnings(stack, &functions);
        Ok(Self {
            apis,
            functions,
            stats: Stats::default(),
            warnings,
        })
    }

    /// The authorizers' init, linked ones and API Gateway's own: fetch the keys (the issuer
    /// must be serving).
    pub(crate) async fn prefetch(&self) {
        self.functions.prefetch().await;
        for (_, api) in &self.apis {
            match api {
                Flavour::Rest(rest) => rest.prefetch().await,
                Flavour::Http(http) => http.prefetch().await,
            }
        }
    }

    pub(crate) fn stats(&self) -> &Stats {
        &self.stats
    }

    /// What the start-up found worth saying: each authorizer's warnings, and where its rules
    /// and the routes it guards disagree.
    pub(crate) fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The function `logical_id`, ready, if the stack calls it.
    pub(crate) fn function(&self, logical_id: &str) -> Option<Arc<lambda::LambdaFunction>> {
        self.functions.get(logical_id)
    }

    /// How each function the APIs call runs, by logical id.
    pub(crate) fn functions(&self) -> &std::collections::BTreeMap<String, String> {
        &self.functions.described
    }

    /// The API a request for `path` is for: the one whose stage is its first segment, else an
    /// HTTP API on `$default`, else the first (a REST API also serves paths without the stage,
    /// as `sam local start-api` does).
    fn api_for(&self, path: &str) -> Option<&Flavour> {
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let by_stage = |stage: &str| self.apis.iter().find(|(s, _)| s == stage).map(|(_, f)| f);
        by_stage(first)
            .or_else(|| by_stage(DEFAULT_STAGE))
            .or_else(|| self.apis.first().map(|(_, f)| f))
    }

    /// API Gateway's answer to a body over its payload limit, sent to `path`.
    pub(crate) fn too_large(&self, path: &str) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        match self.api_for(path) {
            Some(Flavour::Rest(api)) => api.too_large(),
            Some(Flavour::Http(api)) => api.too_large(),
            None => Response::json(
                413,
                &serde_json::json!({"message": "Request Too Long"}),
                "body_too_large",
            ),
        }
    }

    /// Answers one request as API Gateway would, counting how the authorizer took part.
    pub(crate) async fn handle(&self, request: Request) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = match self.api_for(&request.path) {
            Some(Flavour::Rest(api)) => api.handle(request).await,
            Some(Flavour::Http(api)) => api.handle(request).await,
            None => Response::json(404, &serde_json::json!({"message": "Not Found"}), "no_api"),
        };
        self.stats.record(response.authorizer);
        response
    }
}
