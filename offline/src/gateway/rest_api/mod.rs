//! A REST API: route matching by the canonical reading of the path (`routing`), `TOKEN` and
//! `REQUEST` Lambda authorizers with their answers cached per identity and their policies
//! evaluated against the `methodArn` (`authorizer`, asked about a `call`, `REQUEST` ones with a
//! `request_event`), `COGNITO_USER_POOLS` authorizers (`cognito_authorizer`), gateway responses (`responses`), SAM's CORS preflight (`preflight`), and the
//! proxy integration's event, payload 1.0 (`proxy_event`).

pub(crate) mod authorizer;
pub(crate) mod call;
pub(crate) mod cognito_authorizer;
pub(crate) mod preflight;
pub(crate) mod proxy_event;
pub(crate) mod request_event;
pub(crate) mod responses;
pub(crate) mod routing;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value};

use self::authorizer::{RestAuthorizerRuntime, Verdict};
use self::call::Call;
use self::cognito_authorizer::CognitoRuntime;
use self::preflight::preflight;
use self::proxy_event::{Matched, proxy_event};
use self::responses::{BAD_GATEWAY, GatewayResponses};
use self::routing::Router;
use super::authorizer_runtime::runtimes;
use super::functions::Functions;
use super::integration::integration_response;
use super::lambda::LambdaFunction;
use super::mock;
use super::pool_verifier::{LocalIssuer, builtin_runtimes};
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::{Api, ApiRoute, BuiltinAuthorizer, Integration};

/// A REST API of one stack.
#[derive(Debug)]
pub(crate) struct RestGateway {
    router: Router,
    authorizers: BTreeMap<String, RestAuthorizerRuntime>,
    cognito: BTreeMap<String, CognitoRuntime>,
    /// The functions behind routes, by logical id.
    integrations: BTreeMap<String, Arc<LambdaFunction>>,
    responses: GatewayResponses,
}

/// What the authorizer let through: `requestContext.authorizer`, how the authorizer took part,
/// and the reason code.
type Admitted = (Map<String, Value>, AuthorizerUse, &'static str);

impl RestGateway {
    /// The API `api` in `region`, calling `functions`; API Gateway's own authorizers trust
    /// `issuer` (whose template names the file in messages).
    pub(crate) fn new(
        api: &Api,
        region: &str,
        functions: &Functions,
        issuer: LocalIssuer<'_>,
    ) -> Result<Self, Error> {
        let file = issuer.template;
        Ok(Self {
            router: Router::new(api, region),
            authorizers: runtimes(api, functions, file)?,
            cognito: builtin_runtimes(
                api,
                issuer,
                BuiltinAuthorizer::cognito,
                CognitoRuntime::new,
            )?,
            integrations: integrations(api, functions),
            responses: GatewayResponses::new(api.gateway_responses.clone()),
        })
    }

    /// API Gateway's own authorizers' init: fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        for runtime in self.cognito.values() {
            runtime.prefetch().await;
        }
    }

    /// API Gateway's answer to a body over its payload limit.
    pub(crate) fn too_large(&self) -> Response {
        self.responses
            .respond("REQUEST_TOO_LARGE", "body_too_large", AuthorizerUse::None)
    }

    /// Answers one request as API Gateway would: the route by the canonical reading of the path,
    /// the authorizer with the path as sent, then the integration.
    pub(crate) async fn handle(&self, request: Request) -> Response {
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
            Integration::Mock(answer) => return mock::answer(answer, reason, used),
            Integration::Lambda(function) => function,
        };
        let matched = Matched {
            deployment: self.router.deployment(),
            route,
            path: &path,
            authorizer: context,
            latency_ms: (used != AuthorizerUse::None).then(|| started.elapsed().as_millis() as u64),
        };
        let Some(function) = self.integrations.get(function) else {
            return self
                .responses
                .respond_untyped(BAD_GATEWAY, "no_function", used);
        };
        let invocation = function.invoke(proxy_event(&request, matched)).await;
        match integration_response(invocation.result) {
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
        if let Some(cognito) = self.cognito.get(name) {
            return match cognito.authorize(request, &route.scopes).await {
                Ok(context) => Ok((context, AuthorizerUse::None, "allowed")),
                Err(refusal) => Err(self.responses.respond_saying(
                    "UNAUTHORIZED",
                    Some(refusal.message),
                    refusal.reason,
                    AuthorizerUse::None,
                )),
            };
        }
        let Some(runtime) = self.authorizers.get(name) else {
            return Err(self.responses.respond(
                "AUTHORIZER_CONFIGURATION_ERROR",
                "no_authorizer_function",
                AuthorizerUse::None,
            ));
        };
        let method_arn = self.router.arn(&request.method, path);
        let call = Call {
            request,
            deployment: self.router.deployment(),
            route,
            path,
            method_arn: &method_arn,
        };
        match runtime.authorize(&call).await {
            (Verdict::Allow { context, reason }, used) => Ok((context, used, reason)),
            (Verdict::Refuse { refusal, reason }, used) => {
                Err(self.responses.respond(refusal, reason, used))
            }
        }
    }
}

/// The functions behind `api`'s routes, by logical id.
pub(crate) fn integrations(
    api: &Api,
    functions: &Functions,
) -> BTreeMap<String, Arc<LambdaFunction>> {
    api.routes
        .iter()
        .filter_map(ApiRoute::function)
        .filter_map(|id| Some((id.to_owned(), functions.get(id)?)))
        .collect()
}
