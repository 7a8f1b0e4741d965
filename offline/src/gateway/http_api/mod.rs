//! An HTTP API: the stage (`$default` at the root), CORS preflights answered by the API itself
//! (`cors`), routes matched as sent with the `$default` route (`routing`), Lambda authorizers
//! with payload 2.0 and simple responses, cached per identity (`authorizer`), JWT authorizers
//! (`jwt_authorizer`), the events of
//! payload format 2.0 (`event`), the integration's answer (`integration`), and the API's own
//! answers (`responses`: 401, 403, 404, 500).

pub(crate) mod authorizer;
pub(crate) mod cors;
pub(crate) mod event;
pub(crate) mod integration;
pub(crate) mod jwt_authorizer;
pub(crate) mod responses;
pub(crate) mod routing;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use self::authorizer::{Call, HttpAuthorizerRuntime, Verdict};
use self::event::{Target, V2Request, proxy_event};
use self::integration::v2_response;
use self::jwt_authorizer::JwtRuntime;
use self::responses::HttpError;
use self::routing::HttpRouter;
use super::authorizer_runtime::runtimes;
use super::functions::Functions;
use super::lambda::LambdaFunction;
use super::pool_verifier::{LocalIssuer, builtin_runtimes};
use super::rest_api::integrations;
use crate::error::Error;
use crate::message::{AuthorizerUse, Request, Response};
use crate::template::{Api, ApiKind, BuiltinAuthorizer, HttpCors, Integration};

/// An HTTP API of one stack.
#[derive(Debug)]
pub(crate) struct HttpGateway {
    router: HttpRouter,
    authorizers: BTreeMap<String, HttpAuthorizerRuntime>,
    jwt: BTreeMap<String, JwtRuntime>,
    /// The functions behind routes, by logical id.
    integrations: BTreeMap<String, Arc<LambdaFunction>>,
    cors: Option<HttpCors>,
}

/// What the authorizer let through: `requestContext.authorizer` (none: no authorizer), how it
/// took part, and the reason code.
type Admitted = (Option<Value>, AuthorizerUse, &'static str);

impl HttpGateway {
    /// The API `api` in `region`, calling `functions`; API Gateway's own authorizers trust
    /// `issuer` (whose template names the file in messages).
    pub(crate) fn new(
        api: &Api,
        region: &str,
        functions: &Functions,
        issuer: LocalIssuer<'_>,
    ) -> Result<Self, Error> {
        let file = issuer.template;
        let cors = match &api.kind {
            ApiKind::Http { cors } => cors.clone(),
            ApiKind::Rest => None,
        };
        Ok(Self {
            router: HttpRouter::new(api, region),
            authorizers: runtimes(api, functions, file)?,
            jwt: builtin_runtimes(api, issuer, BuiltinAuthorizer::jwt, JwtRuntime::new)?,
            integrations: integrations(api, functions),
            cors,
        })
    }

    /// API Gateway's own authorizers' init: fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        for runtime in self.jwt.values() {
            runtime.prefetch().await;
        }
    }

    /// The answer to a body over the payload limit.
    pub(crate) fn too_large(&self) -> Response {
        HttpError::TooLarge.respond("body_too_large", AuthorizerUse::None)
    }

    /// Answers one request as an HTTP API would, with its CORS headers.
    pub(crate) async fn handle(&self, request: Request) -> Response {
        if let Some(preflight) = self
            .cors
            .as_ref()
            .and_then(|c| cors::preflight(c, &request))
        {
            return preflight;
        }
        let mut response = self.answer(&request).await;
        if let Some(cors) = &self.cors {
            cors::add_headers(cors, &request, &mut response);
        }
        response
    }

    /// The route, the authorizer, then the integration.
    async fn answer(&self, request: &Request) -> Response {
        let not_found = || HttpError::NotFound.respond("no_route", AuthorizerUse::None);
        let Some(path) = self.router.api_path(&request.path) else {
            return not_found();
        };
        let Some((route, parameters)) = self.router.route(&request.method, path) else {
            return not_found();
        };
        let target = Target {
            deployment: self.router.deployment(),
            route,
            path_parameters: &parameters,
        };
        let v2 = V2Request::new(request);
        let route_arn = self.router.arn(&request.method, path);
        let call = Call {
            request,
            v2: &v2,
            target,
            route_arn: &route_arn,
        };
        let (context, used, reason) = match self.admit(&call).await {
            Ok(admitted) => admitted,
            Err(refusal) => return refusal,
        };
        let failed = |why: &str| HttpError::InternalServerError.respond(why, used);
        let Integration::Lambda(function) = &route.integration else {
            return failed("no_function");
        };
        let Some(function) = self.integrations.get(function) else {
            return failed("no_function");
        };
        let invocation = function
            .invoke(proxy_event(request, &v2, target, context))
            .await;
        match v2_response(invocation.result) {
            Ok(mut response) => {
                response.authorizer = used;
                if response.status < 500 {
                    response.reason = reason.to_owned();
                }
                response
            }
            Err(why) => failed(why),
        }
    }

    /// The route's authorizer decision: its context, or the API's answer refusing the request.
    async fn admit(&self, call: &Call<'_>) -> Result<Admitted, Response> {
        let Some(name) = &call.target.route.authorizer else {
            return Ok((None, AuthorizerUse::None, "no_authorizer"));
        };
        if let Some(jwt) = self.jwt.get(name) {
            return match jwt.authorize(call.v2, &call.target.route.scopes).await {
                Ok(authorizer) => Ok((Some(authorizer), AuthorizerUse::None, "allowed")),
                Err(refusal) => Err(refusal.respond()),
            };
        }
        let Some(runtime) = self.authorizers.get(name) else {
            let refusal = HttpError::InternalServerError;
            return Err(refusal.respond("no_authorizer_function", AuthorizerUse::None));
        };
        match runtime.authorize(call).await {
            (Verdict::Allow { context, reason }, used) => {
                Ok((Some(json!({ "lambda": context })), used, reason))
            }
            (Verdict::Refuse { refusal, reason }, used) => Err(refusal.respond(reason, used)),
        }
    }
}
