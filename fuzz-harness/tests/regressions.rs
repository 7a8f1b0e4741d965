//! Replays `fuzz/regressions/TARGET/` (crash inputs the fuzz targets found, and small inputs
//! reaching each refusal and answer) through the same target functions libFuzzer runs, so every
//! target invariant is checked on every input, and then checks what each file's name expects:
//!
//! - `token_path`: `REASON-label`, the reason code the value is refused with (`signature_invalid`);
//! - `authorizer_event`: `OUTCOME-label.json`, one of `invalid_event`, `unauthorized`,
//!   `forbidden` (HTTP API `isAuthorized: false`), `allowed` or `denied` (a REST policy that
//!   allows or denies the event's `methodArn`, or HTTP API `isAuthorized`);
//! - `echo_event`: `error-label.json` (not a proxy event: the parser and the handler both refuse
//!   it) or `STATUS-label.json` (the handler answers that status code).
//!
//! `<ACCESS_TOKEN>` in an event is replaced by a valid token minted at start; no file holds a
//! valid signature.

// clippy.toml's allow-*-in-tests covers `#[test]` functions only, not the helpers beside them.
#![allow(clippy::panic)]

use authorizer::{HandlerError, MethodArn, Outcome, Reject, evaluate_policy};
use fuzz_harness::regressions::{self, Regression};
use fuzz_harness::{EchoAnswer, authorizer_event, echo_event, token_path};
use serde_json::{Value, json};

/// Every reason code a refused token can have.
const REASONS: &[Reject] = &[
    Reject::TokenMissing,
    Reject::TokenTooLarge { limit: 0 },
    Reject::Malformed(""),
    Reject::ClaimType(""),
    Reject::AlgorithmNotAllowed,
    Reject::KidMissing,
    Reject::CritUnsupported,
    Reject::IssuerInvalid,
    Reject::KidUnknown,
    Reject::JwksUnavailable,
    Reject::SignatureInvalid,
    Reject::ExpMissing,
    Reject::Expired,
    Reject::NotYetValid,
    Reject::IatMissing,
    Reject::IssuedInFuture,
    Reject::NotAccessToken,
    Reject::ClientIdMissing,
    Reject::ClientNotAllowed,
    Reject::SubMissing,
    Reject::ScopeInvalid,
];

#[test]
fn token_path_regressions_are_refused_with_their_reason() {
    let codes: Vec<&str> = REASONS.iter().map(Reject::code).collect();
    for Regression {
        name,
        expected,
        bytes,
    } in regressions::read("token_path")
    {
        assert!(
            codes.contains(&expected.as_str()),
            "{name}: unknown reason code"
        );
        let run = token_path(&bytes);
        assert_eq!(run.decision.reason.code(), expected, "{name}");
        assert_eq!(run.decision.outcome(), Outcome::Unauthorized, "{name}");
        assert!(run.decision.grants.is_none(), "{name}");
        assert_eq!(run.answer, Err(HandlerError::Unauthorized), "{name}");
    }
}

#[test]
fn authorizer_event_regressions_get_their_answer() {
    for Regression {
        name,
        expected,
        bytes,
    } in regressions::read("authorizer_event")
    {
        let run = authorizer_event(&bytes).unwrap_or_else(|| panic!("{name}: not JSON"));
        match expected.as_str() {
            "invalid_event" => {
                assert!(
                    matches!(run.answer, Err(HandlerError::InvalidEvent(_))),
                    "{name}: {:?}",
                    run.answer
                );
                assert!(
                    !run.parsed || run.arn.as_deref().and_then(MethodArn::parse).is_none(),
                    "{name}: a usable event answered InvalidEvent"
                );
            }
            "unauthorized" => assert_eq!(run.answer, Err(HandlerError::Unauthorized), "{name}"),
            "forbidden" => assert_eq!(
                run.answer.unwrap_or_else(|e| panic!("{name}: {e:?}")),
                json!({"isAuthorized": false, "context": {}}),
                "{name}"
            ),
            "allowed" | "denied" => {
                let answer = run.answer.unwrap_or_else(|e| panic!("{name}: {e:?}"));
                let allowed = match answer.get("isAuthorized") {
                    Some(authorized) => authorized.as_bool().unwrap(),
                    None => rest_allows(&name, &answer, run.arn.as_deref()),
                };
                assert_eq!(allowed, expected == "allowed", "{name}: {answer}");
            }
            other => panic!("{name}: unknown expectation `{other}`"),
        }
    }
}

/// Whether the REST answer's policy allows the event's own `methodArn`.
fn rest_allows(name: &str, answer: &Value, arn: Option<&str>) -> bool {
    let policy = serde_json::from_value(answer["policyDocument"].clone())
        .unwrap_or_else(|e| panic!("{name}: no policy: {e}"));
    evaluate_policy(&policy, arn.unwrap_or_else(|| panic!("{name}: no ARN")))
}

#[test]
fn echo_event_regressions_get_their_answer() {
    for Regression {
        name,
        expected,
        bytes,
    } in regressions::read("echo_event")
    {
        let expected = match expected.as_str() {
            "error" => EchoAnswer::Refused,
            status => EchoAnswer::Status(
                status
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: unknown expectation `{status}`")),
            ),
        };
        assert_eq!(echo_event(&bytes), Some(expected), "{name}");
    }
}
