//! The log lines and EMF documents of decisions, captured: Lambda's flat JSON shape (request id,
//! trace id, service, cold start at the top level), every outcome, the text format, the level.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::Arc;

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, HandlerError, Metrics, UserPool};
use common::lambda::{FUNCTION_NAME, TRACE, decisions, invoke, object, sample_event, vars};
use lambda_log::Capture;
use serde_json::{Map, Value, json};
use wiremock::{MockServer, ResponseTemplate};

const POOL: &str = "us-east-1_Example01";
const SERVICE: &str = "authorizer-under-test";
const API_REQUEST_ID: &str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

fn settings(jwks: &MockServer) -> Vec<(String, String)> {
    let env = sample_event("env.json", "");
    let mut vars: Vec<(String, String)> = env["AuthorizerFunction"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    vars.push((
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".into(),
        jwks.uri(),
    ));
    vars.push(("SERVICE_NAME".into(), SERVICE.into()));
    vars
}

fn authorizer(jwks: &MockServer) -> Arc<Authorizer> {
    let vars = settings(jwks);
    let config =
        Config::from_lookup(|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())).unwrap();
    Arc::new(Authorizer::new(config, Metrics::memory()).unwrap())
}

struct Keys {
    jwks: MockServer,
    key: SigningKey,
}

impl Keys {
    async fn served() -> Self {
        let jwks = MockServer::start().await;
        let key = SigningKey::generate("k1").unwrap();
        common::serve_jwks(&jwks, POOL, common::jwks_ok(&[&key])).await;
        Self { jwks, key }
    }

    fn machine(&self, scopes: &[&str]) -> String {
        let pool = UserPool::from_id(POOL).unwrap();
        self.key.sign(&mint::client_credentials_claims(
            &pool,
            "appclient1",
            scopes,
            common::now(),
            3600,
        ))
    }

    fn person(&self, groups: &[&str]) -> String {
        let pool = UserPool::from_id(POOL).unwrap();
        let claims = mint::user_claims(
            &pool,
            "appclient1",
            "alice",
            groups,
            &["aws.cognito.signin.user.admin"],
            common::now(),
            3600,
        );
        self.key.sign(&claims)
    }
}

const JSON: &[(&str, &str)] = &[("AWS_LAMBDA_LOG_FORMAT", "JSON")];

fn capture(env: &[(&str, &str)]) -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::new();
    let subscriber = lambda_log::subscriber(vars(env), SERVICE, capture.clone());
    let guard = tracing::subscriber::set_default(subscriber);
    (capture, guard)
}

fn keys(line: &Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = line.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn sorted(mut keys: Vec<&str>) -> Vec<&str> {
    keys.sort_unstable();
    keys
}

/// What every decision line holds besides the leading keys (`lambda_log::LEADING_KEYS`, with a
/// Lambda request id and a trace id).
const DECISION: &[&str] = &[
    "outcome",
    "reason",
    "event",
    "route",
    "method",
    "path",
    "cold_start",
];

/// What a verified token adds.
const GRANTS: &[&str] = &["client_id", "sub", "scope", "pool"];

fn expect_keys(line: &Map<String, Value>, extra: &[&str]) {
    let expected = sorted(
        lambda_log::LEADING_KEYS
            .iter()
            .chain(DECISION)
            .chain(extra)
            .copied()
            .collect(),
    );
    assert_eq!(keys(line), expected, "{line:?}");
}

/// Six invocations of one authorizer as Lambda makes them, one per kind of line, captured.
struct Six {
    lines: Vec<String>,
    decisions: Vec<Map<String, Value>>,
    metrics: Vec<String>,
    tokens: [String; 2],
}

async fn six_invocations() -> Six {
    let keys_ = Keys::served().await;
    let authorizer = authorizer(&keys_.jwks);
    authorizer.prefetch().await;
    let read = keys_.machine(&["echo-api/read"]);
    let reader = keys_.person(&["readers"]);
    let (capture, _guard) = capture(JSON);
    let calls = [
        (
            "authorizer-request-get-echo.json",
            read.as_str(),
            Some(TRACE),
            true,
        ),
        ("authorizer-token-post-echo.json", &read, Some(TRACE), true),
        ("authorizer-token-missing.json", "", Some(TRACE), false),
        (
            "authorizer-http-v2-get-echo.json",
            &reader,
            Some(TRACE),
            true,
        ),
        ("authorizer-token-delete-echo.json", &reader, None, true),
    ];
    for (i, (event, token, trace, answered)) in calls.into_iter().enumerate() {
        let request_id = format!("req-{}", i + 1);
        let answer = invoke(&authorizer, sample_event(event, token), &request_id, trace).await;
        assert_eq!(answer.is_ok(), answered, "{event}: {answer:?}");
    }
    let invalid = invoke(&authorizer, json!({"hello": "world"}), "req-6", Some(TRACE)).await;
    assert!(matches!(invalid, Err(HandlerError::InvalidEvent(_))));
    let lines = capture.lines();
    Six {
        decisions: decisions(&lines),
        lines,
        metrics: authorizer.metrics().lines(),
        tokens: [read, reader],
    }
}

#[tokio::test]
async fn allowed_and_denied_decisions_log_flat_lines_in_lambdas_json_shape() {
    let Six {
        decisions: d,
        lines,
        ..
    } = six_invocations().await;
    assert_eq!(d.len(), 6, "{lines:#?}");

    // Allowed, REST REQUEST: API Gateway's request id, the cold start.
    expect_keys(&d[0], &[GRANTS, &["correlation_id"]].concat());
    assert_eq!(d[0]["level"], "INFO");
    assert_eq!(d[0]["message"], "decision");
    assert_eq!(d[0]["requestId"], "req-1");
    assert_eq!(d[0]["xray_trace_id"], TRACE);
    assert_eq!(d[0]["service"], SERVICE);
    assert_eq!(d[0]["cold_start"], true);
    assert_eq!(
        (&d[0]["outcome"], &d[0]["reason"]),
        (&json!("allowed"), &json!("ok"))
    );
    assert_eq!(d[0]["event"], "REQUEST");
    assert_eq!(d[0]["route"], "GET /echo");
    assert_eq!(
        (&d[0]["method"], &d[0]["path"]),
        (&json!("GET"), &json!("/echo"))
    );
    assert_eq!(
        (&d[0]["client_id"], &d[0]["sub"]),
        (&json!("appclient1"), &json!("appclient1"))
    );
    assert_eq!(d[0]["scope"], "echo-api/read");
    assert_eq!(d[0]["pool"], POOL);
    assert_eq!(d[0]["correlation_id"], API_REQUEST_ID);
    let timestamp = d[0]["timestamp"].as_str().unwrap();
    assert!(
        timestamp.len() == 24 && timestamp.ends_with('Z') && timestamp.as_bytes()[19] == b'.',
        "ISO-8601 UTC with milliseconds: {timestamp}"
    );

    // Denied, TOKEN (which carries no API Gateway request id); no longer a cold start.
    expect_keys(&d[1], GRANTS);
    assert_eq!(
        (&d[1]["outcome"], &d[1]["reason"]),
        (&json!("denied"), &json!("scope_missing"))
    );
    assert_eq!(d[1]["route"], "POST /echo");
    assert_eq!(d[1]["requestId"], "req-2");
    assert_eq!(d[1]["cold_start"], false);

    // A person on the HTTP API: username, and the route from the table.
    expect_keys(&d[3], &[GRANTS, &["username", "correlation_id"]].concat());
    assert_eq!(d[3]["event"], "HTTP_V2");
    assert_eq!(d[3]["username"], "alice");
    assert_eq!(d[3]["outcome"], "allowed");

    // No trace id from Lambda: none logged.
    let without_trace: Vec<&str> = lambda_log::LEADING_KEYS
        .iter()
        .chain(DECISION)
        .copied()
        .filter(|k| *k != "xray_trace_id")
        .collect();
    let expected = sorted([without_trace, GRANTS.to_vec(), vec!["username"]].concat());
    assert_eq!(keys(&d[4]), expected);
    assert_eq!(
        (&d[4]["outcome"], &d[4]["reason"]),
        (&json!("denied"), &json!("group_missing"))
    );
    assert_eq!(d[4]["route"], "DELETE /echo");
}

#[tokio::test]
async fn refusals_log_nothing_from_the_token_and_invalid_events_log_at_error() {
    let Six {
        decisions: d,
        lines,
        tokens,
        ..
    } = six_invocations().await;
    assert_eq!(d.len(), 6, "{lines:#?}");

    // Unauthorized: nothing from the refused token's claims.
    expect_keys(&d[2], &[]);
    assert_eq!(
        (&d[2]["outcome"], &d[2]["reason"]),
        (&json!("unauthorized"), &json!("token_missing"))
    );
    assert_eq!(d[2]["level"], "INFO");

    // Not an authorizer event: ERROR, the reason and why.
    assert_eq!(d[5]["level"], "ERROR");
    assert_eq!(
        (&d[5]["outcome"], &d[5]["reason"]),
        (&json!("invalid_event"), &json!("invalid_event"))
    );
    assert_eq!(d[5]["requestId"], "req-6");
    assert!(
        d[5]["error"]
            .as_str()
            .unwrap()
            .contains("not an API Gateway authorizer event")
    );

    // Nothing of a token in any line: not the token, its signature or the header.
    let text = lines.join("\n");
    for token in &tokens {
        assert!(!text.contains(token.as_str()));
        assert!(!text.contains(token.rsplit('.').next().unwrap()));
    }
    assert!(!text.contains("Bearer"), "{text}");
}

#[tokio::test]
async fn one_valid_emf_document_per_decision_after_one_cold_start_document() {
    let Six {
        decisions: d,
        metrics,
        ..
    } = six_invocations().await;
    assert_eq!(metrics.len(), 7, "{metrics:#?}");
    let docs: Vec<Value> = metrics.iter().map(|l| common::emf::document(l)).collect();
    assert_eq!(docs[0]["ColdStart"], 1);
    assert_eq!(docs[0]["function_name"], FUNCTION_NAME);
    assert_eq!(docs[0]["service"], SERVICE);
    assert_eq!(
        docs.iter().filter(|d| d.get("ColdStart").is_some()).count(),
        1
    );
    let outcomes: Vec<&Value> = docs[1..].iter().map(|d| &d["outcome"]).collect();
    let logged: Vec<&Value> = d.iter().map(|l| &l["outcome"]).collect();
    assert_eq!(outcomes, logged, "the metrics count what the lines say");
    for doc in &docs[1..] {
        assert_eq!(doc["service"], SERVICE);
        let directives = common::emf::directives(doc).unwrap();
        assert_eq!(directives[0].dimensions, [["service"]]);
        assert!(!directives[0].metrics.contains_key("reason"));
    }
}

#[tokio::test]
async fn keys_unreachable_log_the_fetch_failure_and_an_error_decision() {
    let jwks = MockServer::start().await;
    common::serve_jwks(&jwks, POOL, ResponseTemplate::new(503)).await;
    let authorizer = authorizer(&jwks);
    let keys_ = Keys::served().await;
    let token = keys_.machine(&["echo-api/read"]);
    let (capture, _guard) = capture(JSON);

    let event = sample_event("authorizer-token-get-echo.json", &token);
    let answer = invoke(&authorizer, event, "req-jwks", Some(TRACE)).await;
    assert_eq!(answer.unwrap_err(), HandlerError::Unauthorized);

    let lines: Vec<Map<String, Value>> = capture.lines().iter().map(|l| object(l)).collect();
    let fetch = lines
        .iter()
        .find(|l| l["message"] == "JWKS fetch failed")
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(fetch["level"], "ERROR");
    assert_eq!(fetch["reason"], "bad_status");
    assert_eq!(fetch["requestId"], "req-jwks");
    assert_eq!(fetch["service"], SERVICE);
    let decision = &decisions(&capture.lines())[0];
    expect_keys(decision, &[]);
    assert_eq!(decision["level"], "ERROR");
    assert_eq!(decision["outcome"], "infrastructure_error");
    assert_eq!(decision["reason"], "jwks_unavailable");
    assert_eq!(decision["cold_start"], true);

    let metrics = authorizer.metrics().lines();
    let last = common::emf::document(metrics.last().unwrap());
    assert_eq!(last["InfrastructureError"], 1);
    assert_eq!(last["reason"], "jwks_unavailable");
}

#[tokio::test]
async fn outside_lambda_there_is_no_request_id_and_no_cold_start() {
    let keys_ = Keys::served().await;
    let authorizer = authorizer(&keys_.jwks);
    let token = keys_.machine(&["echo-api/read"]);
    let (capture, _guard) = capture(JSON);
    let event = sample_event("authorizer-token-get-echo.json", &token);
    assert!(authorizer.handle(event).await.is_ok());

    let line = &decisions(&capture.lines())[0];
    assert!(
        !line.contains_key("requestId") && !line.contains_key("cold_start"),
        "{line:?}"
    );
    assert_eq!(line["outcome"], "allowed");
    // The first fetch (no prefetch here) logs at INFO, outside any invocation span.
    assert!(
        capture
            .lines()
            .iter()
            .any(|l| object(l)["message"] == "JWKS fetched")
    );
    assert!(
        authorizer
            .metrics()
            .lines()
            .iter()
            .all(|l| !l.contains("ColdStart"))
    );
}

#[tokio::test]
async fn text_lines_keep_the_same_fields_for_cargo_lambda_watch() {
    let keys_ = Keys::served().await;
    let authorizer = authorizer(&keys_.jwks);
    authorizer.prefetch().await;
    let token = keys_.machine(&["echo-api/read"]);
    let (capture, _guard) = capture(&[]);
    let event = sample_event("authorizer-token-post-echo.json", &token);
    assert!(
        invoke(&authorizer, event, "req-text", Some(TRACE))
            .await
            .is_ok()
    );

    let lines = capture.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let line = &lines[0];
    assert!(
        serde_json::from_str::<Value>(line).is_err(),
        "text, not JSON: {line}"
    );
    for part in [
        " INFO ",
        "requestId=\"req-text\"",
        "decision outcome=\"denied\" reason=\"scope_missing\" event=\"TOKEN\" route=\"POST /echo\"",
        "client_id=\"appclient1\"",
        "cold_start=true",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
}

#[tokio::test]
async fn lambdas_log_level_filters_lines_not_metrics() {
    let keys_ = Keys::served().await;
    let authorizer = authorizer(&keys_.jwks);
    authorizer.prefetch().await;
    let token = keys_.machine(&["echo-api/read"]);
    let (capture, _guard) = capture(&[
        ("AWS_LAMBDA_LOG_FORMAT", "JSON"),
        ("AWS_LAMBDA_LOG_LEVEL", "ERROR"),
    ]);
    let event = sample_event("authorizer-token-get-echo.json", &token);
    assert!(invoke(&authorizer, event, "req-quiet", None).await.is_ok());
    assert!(
        invoke(&authorizer, json!([]), "req-bad", None)
            .await
            .is_err()
    );

    let lines = capture.lines();
    assert_eq!(lines.len(), 1, "only the ERROR line: {lines:#?}");
    assert_eq!(object(&lines[0])["outcome"], "invalid_event");
    // The metrics are not log lines: both decisions counted (after the ColdStart document).
    assert_eq!(authorizer.metrics().lines().len(), 3);
}
