//! `authorizer_event`: arbitrary JSON through the authorizer's event parser and handler.

use authorizer::{AuthorizerEvent, Decision, HandlerError, MethodArn, Outcome, evaluate_policy};
use serde_json::Value;

use super::policy_of;
use crate::bearer::carries;
use crate::settings::PLACEHOLDER;
use crate::world::{World, with_world};

/// What [`authorizer_event`] saw for a JSON input.
#[derive(Debug)]
pub struct EventRun {
    /// The event's `methodArn` or `routeArn`, when the parser accepted the event and it has one
    /// (usable or not).
    pub arn: Option<String>,
    /// Whether [`AuthorizerEvent::from_value`] accepted the payload.
    pub parsed: bool,
    /// What [`authorizer::Authorizer::handle`] answered.
    pub answer: Result<Value, HandlerError>,
}

/// Replaces every [`PLACEHOLDER`] in `data` with `token`.
pub fn substitute(data: &[u8], token: &str) -> Vec<u8> {
    let needle = PLACEHOLDER.as_bytes();
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(token.as_bytes());
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `authorizer_event`: arbitrary bytes, as JSON, through [`AuthorizerEvent::from_value`] and
/// [`authorizer::Authorizer::handle`] (with [`PLACEHOLDER`] replaced by a valid token). `None`
/// when the bytes (after the replacement) are not JSON.
///
/// Asserts: a payload the parser refuses is `InvalidEvent`; a parsed event without a usable ARN
/// is `InvalidEvent`; only an event carrying the valid token gets a REST policy or
/// `isAuthorized: true`; `isAuthorized` equals the decision; a REST policy only names resources of
/// the event's own API and stage, and never allows the requested route when the decision for a
/// listed route denies it.
pub fn authorizer_event(data: &[u8]) -> Option<EventRun> {
    with_world(|world| {
        let payload =
            serde_json::from_slice::<Value>(&substitute(data, world.placeholder_token())).ok()?;
        let parsed = AuthorizerEvent::from_value(payload.clone());
        let answer = world.handle(payload);
        let arn = match &parsed {
            Ok(event) => {
                check_event(world, event, &answer);
                event.resource_arn().map(str::to_owned)
            }
            Err(_) => {
                assert!(
                    matches!(answer, Err(HandlerError::InvalidEvent(_))),
                    "refused event answered {answer:?}"
                );
                None
            }
        };
        Some(EventRun {
            arn,
            parsed: parsed.is_ok(),
            answer,
        })
    })
}

/// The invariants for an event the parser accepted.
fn check_event(world: &World, event: &AuthorizerEvent, answer: &Result<Value, HandlerError>) {
    let _ = (event.kind(), event.is_http_api());
    let Some(arn) = event.resource_arn().and_then(MethodArn::parse) else {
        assert!(
            matches!(answer, Err(HandlerError::InvalidEvent(_))),
            "event without a usable ARN answered {answer:?}"
        );
        return;
    };
    let authorization = event.authorization();
    let carries_token = authorization.is_some_and(|a| carries(a, world.placeholder_token()));
    let answer = match answer {
        Ok(answer) => answer,
        Err(HandlerError::Unauthorized) => {
            assert!(!event.is_http_api(), "HTTP API event answered Unauthorized");
            return;
        }
        Err(HandlerError::InvalidEvent(e)) => {
            panic!("parsed event with a usable ARN answered InvalidEvent: {e}")
        }
    };
    let decision = world.decide(authorization, &arn);
    if event.is_http_api() {
        let authorized = answer["isAuthorized"].as_bool().expect("isAuthorized");
        assert!(
            !authorized || carries_token,
            "isAuthorized for a token not minted"
        );
        assert_eq!(authorized, decision.outcome() == Outcome::Allowed);
        return;
    }
    assert!(carries_token, "REST policy for a token not minted");
    assert!(decision.grants.is_some());
    check_policy(&arn, &decision, answer);
}

/// A REST policy names only the event's own API and stage and agrees with the decision on the
/// requested route.
fn check_policy(arn: &MethodArn, decision: &Decision, answer: &Value) {
    let policy = policy_of(answer);
    let own = format!(
        "arn:{}:execute-api:{}:{}:{}/{}/",
        arn.partition, arn.region, arn.account, arn.api_id, arn.stage
    );
    for statement in &policy.statement {
        for resource in &statement.resource {
            assert!(
                resource.starts_with(&own),
                "policy names {resource}, outside {own}"
            );
        }
    }
    let requested = arn.resource(&arn.method, arn.path.strip_prefix('/').unwrap_or(&arn.path));
    // The decision is derived from the policy: they agree on every request, listed or not.
    assert_eq!(
        evaluate_policy(&policy, &requested),
        decision.outcome() == Outcome::Allowed,
        "policy vs decision on {requested}: {}",
        decision.reason
    );
}
