//! The local REST API: route matching (`routing`), `TOKEN` authorizers running the real code with
//! their answers cached per token (`token_authorizer`, `cache`), the policy evaluated against the
//! `methodArn` as API Gateway does, gateway responses (`responses`), and the proxy integration
//! running the real echo handler (`proxy_event`, `integration`).

pub mod cache;
pub mod integration;
pub mod proxy_event;
pub mod responses;
pub mod routing;
pub mod token_authorizer;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use self::integration::integration_response;
use self::proxy_event::{Matched, proxy_event};
use self::responses::GatewayResponses;
use self::routing::Router;
use self::token_authorizer::{TokenAuthorizerRuntime, Verdict};
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::{Problem, Stack};

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
    responses: GatewayResponses,
    stats: Stats,
}

impl Gateway {
    /// Builds the authorizer(s) from the functions' environment, with the key endpoint pointed
    /// at `issuer_url` through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`.
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
        Ok(Self {
            router: Router::new(&stack.api, &stack.region),
            authorizers,
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

    /// Answers one request as API Gateway would.
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
        let (context, used, reason) = match &route.authorizer {
            None => (Default::default(), AuthorizerUse::None, "no_authorizer"),
            Some(name) => {
                let arn = self.router.method_arn(&request.method, &path);
                match self.authorize(name, &request, &arn).await {
                    (Verdict::Allow { context, reason }, used) => (context, used, reason),
                    (
                        Verdict::Refuse {
                            response_type,
                            reason,
                        },
                        used,
                    ) => {
                        return self.responses.respond(response_type, reason, used);
                    }
                }
            }
        };
        let event = proxy_event(
            &request,
            Matched {
                deployment: self.router.deployment(),
                route,
                path: &path,
                authorizer: context,
                latency_ms: started.elapsed().as_millis() as u64,
            },
        );
        let mut response = integration_response(echo_handler::handle(event));
        response.authorizer = used;
        if response.status < 500 {
            response.reason = reason.to_owned();
        }
        response
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
