//! The local REST API: route matching (`routing`), `TOKEN` authorizers running the real code with
//! their answers cached per token (`token_authorizer`, `cache`), the policy evaluated against the
//! `methodArn` as API Gateway does, gateway responses (`responses`), SAM's CORS preflight
//! (`preflight`), and the proxy integration running the real echo handler as its Lambda binary
//! does (`echo`, `proxy_event`, `integration`).

pub mod cache;
pub mod echo;
pub mod integration;
pub mod preflight;
pub mod proxy_event;
pub mod responses;
pub mod routing;
pub mod token_authorizer;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde_json::{Map, Value};

use self::echo::EchoRuntime;
use self::integration::integration_response;
use self::preflight::preflight;
use self::proxy_event::{Matched, proxy_event};
use self::responses::{BAD_GATEWAY, GatewayResponses};
use self::routing::Router;
use self::token_authorizer::{TokenAuthorizerRuntime, Verdict};
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::{ApiRoute, Integration, Problem, Stack};

pub use self::cache::CACHE_CAPACITY;

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
pub struct Gateway {
    router: Router,
    authorizers: BTreeMap<String, TokenAuthorizerRuntime>,
    /// The functions behind routes, by logical id.
    echoes: BTreeMap<String, EchoRuntime>,
    responses: GatewayResponses,
    stats: Stats,
}

/// What the authorizer let through: `requestContext.authorizer`, how the authorizer took part,
/// and the reason code.
type Admitted = (Map<String, Value>, AuthorizerUse, &'static str);

impl Gateway {
    /// Builds the authorizer(s) from the functions' environment, with the key endpoint pointed
    /// at `issuer_url` through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, and the routes'
    /// functions from theirs.
    pub fn new(stack: &Stack, issuer_url: &str) -> Result<Self, Error> {
        let mut authorizers = BTreeMap::new();
        for (name, spec) in &stack.api.authorizers {
            let function = stack.function(&spec.function).ok_or_else(|| {
                Problem::NoAuthorizerFunction(name.clone())
                    .at(format!("Resources.{}", stack.api.logical_id))
                    .in_file(&stack.template)
            })?;
            let runtime = TokenAuthorizerRuntime::new(spec, function, issuer_url, &stack.template)?;
            authorizers.insert(name.clone(), runtime);
        }
        let mut echoes = BTreeMap::new();
        for id in stack.api.routes.iter().filter_map(ApiRoute::function) {
            if let Some(function) = stack.function(id) {
                echoes.insert(id.to_owned(), EchoRuntime::new(function, &stack.template)?);
            }
        }
        Ok(Self {
            router: Router::new(&stack.api, &stack.region),
            authorizers,
            echoes,
            responses: GatewayResponses::new(stack.api.gateway_responses.clone()),
            stats: Stats::default(),
        })
    }

    /// The authorizers' init: fetch the keys (the issuer must be serving).
    pub async fn prefetch(&self) {
        for runtime in self.authorizers.values() {
            runtime.prefetch().await;
        }
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// API Gateway's answer to a body over its payload limit.
    pub fn too_large(&self) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.responses
            .respond("REQUEST_TOO_LARGE", "body_too_large", AuthorizerUse::None)
    }

    /// Answers one request as API Gateway would: the route by the canonical reading of the path,
    /// the authorizer with the path as sent, then the integration.
    pub async fn handle(&self, request: Request) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let path = self.router.api_path(&request.path).to_owned();
        let Some(route) = self.router.route(&request.method, &path) else {
            return self.responses.respond(
                "MISSING_AUTHENTICATION_TOKEN",
                "no_route",
                AuthorizerUse::None,
            );
        };
        let (context, used, reason) = match self.admit(route, &request, &path).await {
            Ok(admitted) => admitted,
            Err(refusal) => return refusal,
        };
        let function = match &route.integration {
            Integration::Preflight(headers) => return preflight(headers, reason, used),
            Integration::Lambda(function) => function,
        };
        let matched = Matched {
            deployment: self.router.deployment(),
            route,
            path: &path,
            authorizer: context,
            latency_ms: started.elapsed().as_millis() as u64,
        };
        let result = match self.echoes.get(function) {
            Some(echo) => echo.invoke(proxy_event(&request, matched)),
            None => {
                return self
                    .responses
                    .respond_untyped(BAD_GATEWAY, "no_function", used);
            }
        };
        match integration_response(result) {
            Ok(mut response) => {
                response.authorizer = used;
                if response.status < 500 {
                    response.reason = reason.to_owned();
                }
                response
            }
            Err(why) => self.responses.respond_untyped(BAD_GATEWAY, why, used),
        }
    }

    /// The route's authorizer decision for `request` (API path `path`, as sent): what to pass to
    /// the integration, or the gateway response refusing it.
    async fn admit(
        &self,
        route: &ApiRoute,
        request: &Request,
        path: &str,
    ) -> Result<Admitted, Response> {
        let Some(name) = &route.authorizer else {
            return Ok((Map::new(), AuthorizerUse::None, "no_authorizer"));
        };
        let arn = self.router.method_arn(&request.method, path);
        match self.authorize(name, request, &arn).await {
            (Verdict::Allow { context, reason }, used) => Ok((context, used, reason)),
            (
                Verdict::Refuse {
                    response_type,
                    reason,
                },
                used,
            ) => Err(self.responses.respond(response_type, reason, used)),
        }
    }

    async fn authorize(
        &self,
        name: &str,
        request: &Request,
        arn: &str,
    ) -> (Verdict, AuthorizerUse) {
        let Some(runtime) = self.authorizers.get(name) else {
            let verdict = Verdict::Refuse {
                response_type: "AUTHORIZER_CONFIGURATION_ERROR",
                reason: "no_authorizer_function",
            };
            return (verdict, AuthorizerUse::None);
        };
        let (verdict, used) = runtime.authorize(request, arn).await;
        self.stats.record(used);
        (verdict, used)
    }
}
