//! The decision for one invocation: verify, match the route, build the answer, log and count it.

use std::sync::Arc;

use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::Value;

use crate::config::Config;
use crate::events::{self, AuthContext, AuthorizerEvent};
use crate::grants::{Grants, Requirement};
use crate::keys::JwksClient;
use crate::metrics::{Metrics, Outcome};
use crate::policy::{MethodArn, Permissions};
use crate::routes::RouteTable;
use crate::verifier::Verifier;

/// The REST error message API Gateway turns into 401. Any other error message gives 500.
pub const UNAUTHORIZED: &str = "Unauthorized";

/// Why an invocation ended in an error rather than an answer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandlerError {
    /// The token was refused (REST APIs): API Gateway answers 401.
    #[error("Unauthorized")]
    Unauthorized,
    /// The payload is not an authorizer event: API Gateway answers 500.
    #[error("{0}")]
    InvalidEvent(String),
}

impl From<HandlerError> for Diagnostic {
    fn from(e: HandlerError) -> Self {
        let error_type = match e {
            HandlerError::Unauthorized => "Unauthorized",
            HandlerError::InvalidEvent(_) => "InvalidEvent",
        };
        Diagnostic {
            error_type: error_type.to_owned(),
            error_message: e.to_string(),
        }
    }
}

/// The result of checking one token against one request.
#[derive(Debug, Clone)]
pub struct Decision {
    pub outcome: Outcome,
    /// Stable reason code: `ok`, a [`crate::Reject`] code, `scope_missing`, `group_missing`,
    /// `route_not_listed`.
    pub reason: &'static str,
    pub grants: Option<Grants>,
}

/// Shared state of a warm Lambda: the verifier and its key caches, the rules, the metrics sink.
#[derive(Debug)]
pub struct Authorizer {
    verifier: Verifier,
    routes: Option<RouteTable>,
    required: Requirement,
    metrics: Metrics,
}

impl Authorizer {
    pub fn new(config: Config, metrics: Metrics) -> Result<Self, reqwest::Error> {
        let client = JwksClient::new(config.fetch)?;
        Ok(Self {
            verifier: Verifier::new(config.pools, config.verifier, client),
            routes: config.routes,
            required: config.required,
            metrics: metrics.with_namespace(config.metrics_namespace),
        })
    }

    /// Fetches every pool's keys: call once during init, before the first invocation.
    pub async fn prefetch(&self) {
        self.verifier.prefetch().await;
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Decides for `authorization` (header value, may be absent) calling `arn`.
    pub async fn decide(&self, authorization: Option<&str>, arn: &MethodArn) -> Decision {
        let grants = match self
            .verifier
            .verify(authorization.unwrap_or_default())
            .await
        {
            Ok(grants) => grants,
            Err(reject) => {
                return Decision {
                    outcome: if reject.is_infrastructure() {
                        Outcome::InfrastructureError
                    } else {
                        Outcome::Unauthorized
                    },
                    reason: reject.code(),
                    grants: None,
                };
            }
        };
        let verdict = match &self.routes {
            None => self.required.check(&grants).map_err(|unmet| unmet.code()),
            Some(routes) => match routes.find(&arn.method, &arn.path) {
                Some(route) => route
                    .requirement
                    .check(&grants)
                    .map_err(|unmet| unmet.code()),
                None => Err("route_not_listed"),
            },
        };
        let (outcome, reason) = match verdict {
            Ok(()) => (Outcome::Allowed, "ok"),
            Err(reason) => (Outcome::Denied, reason),
        };
        Decision {
            outcome,
            reason,
            grants: Some(grants),
        }
    }

    /// Answers one authorizer event (the Lambda handler). Logs one line and writes one metric.
    pub async fn handle(&self, payload: Value) -> Result<Value, HandlerError> {
        self.handle_decided(payload).await.0
    }

    /// [`Authorizer::handle`], also giving the decision behind the answer (`None` for an event
    /// that is not an authorizer event), for hosts that log their own line (the offline stack).
    pub async fn handle_decided(
        &self,
        payload: Value,
    ) -> (Result<Value, HandlerError>, Option<Decision>) {
        let event = match AuthorizerEvent::from_value(payload) {
            Ok(event) => event,
            Err(e) => {
                tracing::error!(outcome = Outcome::InvalidEvent.as_str(), reason = "invalid_event", error = %e, "decision");
                self.metrics.record(Outcome::InvalidEvent, "invalid_event");
                return (Err(HandlerError::InvalidEvent(e.to_string())), None);
            }
        };
        let Some(arn) = event.resource_arn().and_then(MethodArn::parse) else {
            tracing::error!(
                outcome = Outcome::InvalidEvent.as_str(),
                reason = "invalid_event",
                event = event.kind(),
                "decision: no usable methodArn/routeArn"
            );
            self.metrics.record(Outcome::InvalidEvent, "invalid_event");
            return (
                Err(HandlerError::InvalidEvent(
                    "event has no usable methodArn or routeArn".to_owned(),
                )),
                None,
            );
        };
        let decision = self.decide(event.authorization(), &arn).await;
        log_decision(&decision, &event, &arn);
        self.metrics.record(decision.outcome, decision.reason);
        let answer = self.answer(&event, &arn, &decision);
        (answer, Some(decision))
    }

    /// REST: a refused token is the error `Unauthorized`; a valid one gets its whole-API policy
    /// (the requested route allowed or denied by it). HTTP API: `isAuthorized` for the route.
    fn answer(
        &self,
        event: &AuthorizerEvent,
        arn: &MethodArn,
        decision: &Decision,
    ) -> Result<Value, HandlerError> {
        let Some(grants) = &decision.grants else {
            return if event.is_http_api() {
                to_value(&events::simple_response(false, None))
            } else {
                Err(HandlerError::Unauthorized)
            };
        };
        let context = context_of(grants);
        if event.is_http_api() {
            let allowed = decision.outcome == Outcome::Allowed;
            return to_value(&events::simple_response(
                allowed,
                allowed.then_some(context),
            ));
        }
        let permissions =
            Permissions::for_grants(grants, self.routes.as_ref(), &self.required, arn);
        to_value(&events::rest_response(
            &grants.sub,
            permissions.to_policy(),
            context,
        ))
    }

    /// The `lambda_runtime` entry point: `service_fn(move |e| authorizer.clone().invoke(e))`.
    pub async fn invoke(self: Arc<Self>, event: LambdaEvent<Value>) -> Result<Value, HandlerError> {
        self.handle(event.payload).await
    }
}

fn context_of(grants: &Grants) -> AuthContext {
    AuthContext {
        sub: grants.sub.clone(),
        client_id: grants.client_id.clone(),
        scope: grants.scope_string(),
        token_use: "access".to_owned(),
        username: grants.username.clone(),
        groups: grants.groups.join(","),
        pool_id: grants.pool_id.clone(),
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, HandlerError> {
    serde_json::to_value(value)
        .map_err(|e| HandlerError::InvalidEvent(format!("cannot encode the answer: {e}")))
}

fn log_decision(decision: &Decision, event: &AuthorizerEvent, arn: &MethodArn) {
    let grants = decision.grants.as_ref();
    let fields = (
        grants.map(|g| g.client_id.as_str()),
        grants.map(|g| g.sub.as_str()),
        grants.and_then(|g| g.username.as_deref()),
        grants.map(Grants::scope_string),
    );
    let outcome = decision.outcome.as_str();
    match decision.outcome {
        Outcome::InfrastructureError => tracing::error!(
            outcome, reason = decision.reason, event = event.kind(), method = %arn.method, path = %arn.path,
            client_id = fields.0, sub = fields.1, username = fields.2, scope = fields.3, "decision"
        ),
        _ => tracing::info!(
            outcome, reason = decision.reason, event = event.kind(), method = %arn.method, path = %arn.path,
            client_id = fields.0, sub = fields.1, username = fields.2, scope = fields.3, "decision"
        ),
    }
}
