//! `token_path`: a raw `Authorization` value in, the decision and the `TOKEN` answer out.

use authorizer::{Decision, HandlerError, Outcome, evaluate_policy};
use serde_json::{Value, json};

use super::policy_of;
use crate::bearer::{carries, presented};
use crate::minted::Expect;
use crate::settings::METHOD_ARN;
use crate::world::{World, with_world};

/// What [`token_path`] saw for one value.
#[derive(Debug)]
pub struct TokenRun {
    /// The decision for [`METHOD_ARN`] (`GET /echo`).
    pub decision: Decision,
    /// The answer to a REST `TOKEN` event carrying the value, for [`METHOD_ARN`].
    pub answer: Result<Value, HandlerError>,
}

/// `token_path` start-up: builds the world and, when `AUTHORIZER_FUZZ_SEEDS` names a directory,
/// writes every minted token there (`minted-<label>`) as a seed.
pub fn token_path_init() {
    with_world(|world| {
        let Some(dir) = std::env::var_os("AUTHORIZER_FUZZ_SEEDS") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("seed directory");
        for minted in &world.tokens {
            std::fs::write(dir.join(format!("minted-{}", minted.label)), &minted.token)
                .expect("write seed");
        }
    });
}

/// `token_path`: the raw `Authorization` value (bytes, read as lossy UTF-8) in, the decision out,
/// through [`authorizer::Authorizer::decide`] and through [`authorizer::Authorizer::handle`] with
/// a REST `TOKEN` event.
///
/// Asserts: only a value carrying one of the valid minted tokens is ever accepted, with that
/// token's grants and outcome; each minted token gets its expected outcome and reason; the
/// handler's answer agrees with the decision (401 for a refusal, a policy that allows the route
/// exactly when the decision allows it); unknown `kid`s do not make the cache fetch more than
/// once per cooldown.
pub fn token_path(data: &[u8]) -> TokenRun {
    let value = String::from_utf8_lossy(data);
    with_world(|world| {
        let decision = world.decide(Some(&value), &world.arn);
        check_decision(world, &value, &decision);
        let event = json!({"type": "TOKEN", "authorizationToken": value, "methodArn": METHOD_ARN});
        let answer = world.handle(event);
        check_answer(&decision, &answer);
        world.check_fetches();
        TokenRun { decision, answer }
    })
}

/// Only a value carrying a valid minted token has grants, that token's; a minted token gets its
/// expected outcome and reason.
fn check_decision(world: &World, value: &str, decision: &Decision) {
    if let Some(grants) = &decision.grants {
        let carried = world
            .tokens
            .iter()
            .filter(|m| matches!(m.expect, Expect::Allowed | Expect::Denied(_)))
            .find(|m| carries(value, &m.token));
        let Some(minted) = carried else {
            panic!(
                "accepted a token the harness did not mint: outcome {:?}, reason {}",
                decision.outcome(),
                decision.reason
            );
        };
        let claims = minted_claims(&minted.token);
        assert_eq!(claims["sub"].as_str(), Some(grants.sub.as_str()));
        assert_eq!(grants.jti.as_deref(), claims["jti"].as_str());
    }
    let exact = world
        .tokens
        .iter()
        .find(|m| presented(&m.token) == presented(value));
    if let Some(minted) = exact {
        let got = match decision.outcome() {
            Outcome::Allowed => Expect::Allowed,
            Outcome::Denied => Expect::Denied(decision.reason.code()),
            _ => Expect::Refused(decision.reason.code()),
        };
        assert_eq!(got, minted.expect, "minted token `{}`", minted.label);
    }
}

/// A refused token is `Unauthorized` (401); an accepted one gets a policy for its `sub` that
/// allows [`METHOD_ARN`] exactly when the decision does.
fn check_answer(decision: &Decision, answer: &Result<Value, HandlerError>) {
    match (&decision.grants, answer) {
        (None, Err(HandlerError::Unauthorized)) => {}
        (Some(grants), Ok(answer)) => {
            assert_eq!(answer["principalId"], json!(grants.sub));
            let policy = policy_of(answer);
            assert_eq!(
                evaluate_policy(&policy, METHOD_ARN),
                decision.outcome() == Outcome::Allowed,
                "policy and decision disagree on {METHOD_ARN}"
            );
        }
        (grants, answer) => panic!(
            "decision ({:?}, {}, grants: {}) and TOKEN answer ({:?}) disagree",
            decision.outcome(),
            decision.reason,
            grants.is_some(),
            answer.as_ref().map(|_| "answer")
        ),
    }
}

/// The claims of a token the harness minted.
fn minted_claims(token: &str) -> Value {
    use base64::Engine as _;
    let payload = presented(token).split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("minted payload");
    serde_json::from_slice(&bytes).expect("minted claims")
}
