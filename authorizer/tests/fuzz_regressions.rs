//! Replays `fuzz/regressions/{token_path,authorizer_event}` (crash inputs the fuzz targets found,
//! and small inputs reaching each refusal and answer) through the code paths the targets drive,
//! with the configuration of the fuzz harness (`fuzz/src/lib.rs`; keep the two in step).
//!
//! A file's name says what it must get: `REASON-label` for `token_path` (a reason code such as
//! `signature_invalid`), `OUTCOME-label.json` for `authorizer_event` (`invalid_event`,
//! `unauthorized`, `forbidden` (HTTP API `isAuthorized: false`), `allowed` or `denied` (a REST
//! policy that allows or denies the event's `methodArn`, or HTTP API `isAuthorized`)).
//! `<ACCESS_TOKEN>` in an event is replaced by a valid token minted here; no file holds a valid
//! signature.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use authorizer::events::AuthorizerEvent;
use authorizer::mint::{self, SigningKey};
use authorizer::policy::{MethodArn, evaluate};
use authorizer::{Authorizer, Config, HandlerError, Metrics, Outcome, Reject, UserPool};
use serde_json::{Value, json};
use wiremock::MockServer;

const POOL_ID: &str = "us-east-1_FuzzPool1";
const CLIENT_ID: &str = "fuzzclient1";
const KID: &str = "fuzz-key-1";
const METHOD_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/echo";
const ROUTE_SCOPES: &str = r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write", "DELETE /items/{id}": {"anyGroups": ["admins"]}, "ANY /ops/{proxy+}": {"allGroups": ["ops"]}}"#;
const PLACEHOLDER: &str = "<ACCESS_TOKEN>";

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
];

/// `(file name, contents)` of `fuzz/regressions/{target}`, sorted by name; never empty.
fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            (name, std::fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
}

/// The part of a file name before the first `-`: what the input must get.
fn expectation(name: &str) -> &str {
    name.split_once('-')
        .unwrap_or_else(|| panic!("{name}: expected EXPECTATION-label"))
        .0
}

struct Harness {
    _server: MockServer,
    authorizer: Authorizer,
    /// What `<ACCESS_TOKEN>` stands for: a user token with `echo-api/read`, groups `admins` and
    /// `readers`, as the fuzz harness's `user-read` token.
    token: String,
}

async fn harness() -> Harness {
    let server = MockServer::start().await;
    let key = SigningKey::generate(KID).unwrap();
    common::serve_jwks(&server, POOL_ID, common::jwks_ok(&[&key])).await;
    let endpoint = server.uri();
    let config = Config::from_lookup(|name| {
        match name {
            "USER_POOL_ID" => Some(POOL_ID),
            "CLIENT_IDS" => Some(CLIENT_ID),
            "ROUTE_SCOPES" => Some(ROUTE_SCOPES),
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(endpoint.as_str()),
            _ => None,
        }
        .map(str::to_owned)
    })
    .unwrap();
    let authorizer = Authorizer::new(config, Metrics::memory()).unwrap();
    authorizer.prefetch().await;
    let pool = UserPool::from_id(POOL_ID).unwrap();
    let claims = mint::user_claims(
        &pool,
        CLIENT_ID,
        "fuzz-user",
        &["admins", "readers"],
        &["echo-api/read", "openid"],
        common::now(),
        3600,
    );
    Harness {
        _server: server,
        authorizer,
        token: key.sign(&claims),
    }
}

#[tokio::test]
async fn token_path_regressions_are_refused_with_their_reason() {
    let h = harness().await;
    let arn = MethodArn::parse(METHOD_ARN).unwrap();
    let codes: Vec<&str> = REASONS.iter().map(Reject::code).collect();
    for (name, bytes) in regressions("token_path") {
        let expected = expectation(&name);
        assert!(codes.contains(&expected), "{name}: unknown reason code");
        let value = String::from_utf8_lossy(&bytes);
        let decision = h.authorizer.decide(Some(&value), &arn).await;
        assert_eq!(decision.reason.code(), expected, "{name}");
        assert_eq!(decision.outcome(), Outcome::Unauthorized, "{name}");
        assert!(decision.grants.is_none(), "{name}");
        let event = json!({"type": "TOKEN", "authorizationToken": value, "methodArn": METHOD_ARN});
        assert_eq!(
            h.authorizer.handle(event).await,
            Err(HandlerError::Unauthorized),
            "{name}"
        );
    }
}

#[tokio::test]
async fn authorizer_event_regressions_get_their_answer() {
    let h = harness().await;
    for (name, bytes) in regressions("authorizer_event") {
        let expected = expectation(&name);
        let text = String::from_utf8(bytes)
            .unwrap()
            .replace(PLACEHOLDER, &h.token);
        let payload: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let parsed = AuthorizerEvent::from_value(payload.clone());
        let arn = parsed
            .as_ref()
            .ok()
            .and_then(AuthorizerEvent::resource_arn)
            .map(str::to_owned);
        let answer = h.authorizer.handle(payload).await;
        match expected {
            "invalid_event" => {
                assert!(
                    matches!(answer, Err(HandlerError::InvalidEvent(_))),
                    "{name}: {answer:?}"
                );
                assert!(
                    parsed.is_err() || arn.as_deref().and_then(MethodArn::parse).is_none(),
                    "{name}: a usable event answered InvalidEvent"
                );
            }
            "unauthorized" => assert_eq!(answer, Err(HandlerError::Unauthorized), "{name}"),
            "forbidden" => assert_eq!(
                answer.unwrap_or_else(|e| panic!("{name}: {e:?}")),
                json!({"isAuthorized": false, "context": {}}),
                "{name}"
            ),
            "allowed" | "denied" => {
                let answer = answer.unwrap_or_else(|e| panic!("{name}: {e:?}"));
                let allowed = match answer.get("isAuthorized") {
                    Some(authorized) => authorized.as_bool().unwrap(),
                    None => {
                        let policy = serde_json::from_value(answer["policyDocument"].clone())
                            .unwrap_or_else(|e| panic!("{name}: no policy: {e}"));
                        evaluate(&policy, arn.as_deref().unwrap())
                    }
                };
                assert_eq!(allowed, expected == "allowed", "{name}: {answer}");
            }
            other => panic!("{name}: unknown expectation `{other}`"),
        }
    }
}
