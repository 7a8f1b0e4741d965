//! The one log line per decision (`message: "decision"`), with stable field names the README's
//! Logs Insights queries read:
//!
//! - `outcome` (`allowed`, `denied`, `unauthorized`, `infrastructure_error`, `invalid_event`) and
//!   `reason` (a stable code, docs/token-checks.md);
//! - `event` (`TOKEN`, `REQUEST`, `HTTP_V2`), `route` (the matched `ROUTE_SCOPES` route, e.g.
//!   `GET /items/{id}`, else the route the event names; none for a TOKEN event under a whole-API
//!   rule or a route the table does not list), `method` and `path` (from the `methodArn`);
//! - what the token grants, once verified: `client_id`, `sub`, `username` (user tokens), `scope`,
//!   `pool` (none of them for a refused token: its claims are not trusted);
//! - `correlation_id`: API Gateway's request id (`requestContext.requestId`, REQUEST and HTTP API
//!   events; TOKEN events carry none), the id the echo handler logs too;
//! - `cold_start` (invocations from Lambda: `true` on the first of the process only).
//!
//! `requestId`, `xray_trace_id` and `service` are added by the JSON layer. Never the token, its
//! signature or a credential header. Infrastructure errors and invalid events log at ERROR, the
//! rest at INFO.

use std::fmt::Display;

use crate::decision::Decision;
use crate::events::AuthorizerEvent;
use crate::grants::Grants;
use crate::metrics::Outcome;
use crate::policy::MethodArn;
use crate::rules::Rules;

/// The request a decision was made for, as the log line describes it.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub event: &'a AuthorizerEvent,
    pub arn: &'a MethodArn,
    pub route: Option<String>,
    pub cold_start: Option<bool>,
}

impl<'a> Request<'a> {
    pub(crate) fn new(
        event: &'a AuthorizerEvent,
        arn: &'a MethodArn,
        rules: &Rules,
        cold_start: Option<bool>,
    ) -> Self {
        Self {
            event,
            arn,
            route: route(rules, event, arn),
            cold_start,
        }
    }
}

/// `METHOD /path` of the route the request matched: the `ROUTE_SCOPES` key's method and path as
/// written (`ANY /ops/{proxy+}`), else, under a whole-API rule, the route the event names.
fn route(rules: &Rules, event: &AuthorizerEvent, arn: &MethodArn) -> Option<String> {
    match rules {
        Rules::Routes(rules) => rules
            .table()
            .find(&arn.method, &arn.path)
            .map(|r| format!("{} {}", r.pattern.method, r.pattern.path)),
        Rules::WholeApi(_) => event.route_key(),
    }
}

/// Logs the decision for `request`.
pub(crate) fn decision(decision: &Decision, request: &Request<'_>) {
    let grants = decision.grants.as_ref();
    let client_id = grants.map(|g| g.client_id.as_str());
    let sub = grants.map(|g| g.sub.as_str());
    let username = grants.and_then(|g| g.username.as_deref());
    let scope = grants.map(Grants::scope_string);
    let pool = grants.map(|g| g.pool_id.as_str());
    let (outcome, reason) = (decision.outcome(), decision.reason.code());
    let (event, route) = (request.event.kind(), request.route.as_deref());
    let (method, path) = (request.arn.method.as_str(), request.arn.path.as_str());
    let correlation_id = request.event.api_request_id();
    let cold_start = request.cold_start;
    macro_rules! line {
        ($level:ident) => {
            tracing::$level!(
                outcome = outcome.as_str(),
                reason,
                event,
                route,
                method,
                path,
                client_id,
                sub,
                username,
                scope,
                pool,
                correlation_id,
                cold_start,
                "decision"
            )
        };
    }
    match outcome {
        Outcome::InfrastructureError => line!(error),
        _ => line!(info),
    }
}

/// Logs an event that cannot be decided on: not an authorizer event (`event` is `None`), or one
/// without a usable `methodArn`/`routeArn`.
pub(crate) fn invalid_event(
    error: &dyn Display,
    event: Option<&AuthorizerEvent>,
    cold_start: Option<bool>,
) {
    tracing::error!(
        outcome = Outcome::InvalidEvent.as_str(),
        reason = "invalid_event",
        event = event.map(AuthorizerEvent::kind),
        correlation_id = event.and_then(AuthorizerEvent::api_request_id),
        cold_start,
        error = %error,
        "decision"
    );
}
