//! The real `authorizer` binary under a loopback Lambda Runtime API, with keys from a loopback
//! JWKS server and events from `events/`.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use authorizer::mint::{self, SigningKey};
use authorizer::{DEFAULT_SERVICE_NAME, UserPool};
use common::lambda::{decisions, object};
use serde_json::{Map, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const POOL: &str = "us-east-1_Example01";
const NEXT: &str = "/2018-06-01/runtime/invocation/next";

fn event(name: &str, token: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/../events/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    serde_json::from_str(&text.replace("<ACCESS_TOKEN>", token)).unwrap()
}

/// The X-Ray trace header of the `i`-th invocation.
fn trace(i: usize) -> String {
    format!("Root=1-65f0a1b2-{i:024x};Parent=53995c3f42cd8ad8;Sampled=1")
}

/// Queues `events` as successive invocations; after them, `next` hangs (the process idles).
async fn runtime_api(events: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    for (i, e) in events.into_iter().enumerate() {
        Mock::given(method("GET"))
            .and(path(NEXT))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Lambda-Runtime-Aws-Request-Id", format!("req-{i}").as_str())
                    .insert_header("Lambda-Runtime-Deadline-Ms", "9999999999999")
                    .insert_header(
                        "Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:authorizer",
                    )
                    .insert_header("Lambda-Runtime-Trace-Id", trace(i).as_str())
                    .set_body_json(e),
            )
            .up_to_n_times(1)
            .with_priority(1 + i as u8)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(NEXT))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(120)))
        .with_priority(100)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/2018-06-01/runtime/"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    server
}

fn spawn(runtime: &MockServer, jwks: &MockServer, extra: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authorizer"));
    cmd.env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", runtime.address().to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "authorizer")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("USER_POOL_ID", POOL)
        .env(
            "ROUTE_SCOPES",
            r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write"}"#,
        )
        .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", jwks.uri())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Waits until the runtime API has received `n` POSTs (responses or errors).
async fn posts(runtime: &MockServer, n: usize) -> Vec<(String, Value)> {
    let started = Instant::now();
    loop {
        let received: Vec<_> = runtime
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.method.as_str() == "POST")
            .map(|r| {
                (
                    r.url.path().to_owned(),
                    serde_json::from_slice(&r.body).unwrap_or(Value::Null),
                )
            })
            .collect();
        if received.len() >= n {
            return received;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the binary posted {} of {n} answers",
            received.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_answers_events_from_the_events_folder() {
    let key = SigningKey::generate("k1").unwrap();
    let jwks = MockServer::start().await;
    common::serve_jwks(&jwks, POOL, common::jwks_ok(&[&key])).await;
    let pool = UserPool::from_id(POOL).unwrap();
    let token = key.sign(&mint::client_credentials_claims(
        &pool,
        "appclient1",
        &["echo-api/read"],
        common::now(),
        3600,
    ));

    let runtime = runtime_api(vec![
        event("authorizer-token-get-echo.json", &token),
        event("authorizer-token-missing.json", ""),
        event("authorizer-http-v2-get-echo.json", &token),
    ])
    .await;
    let mut child = spawn(&runtime, &jwks, &[]);
    let answers = posts(&runtime, 3).await;
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();

    assert_eq!(
        answers[0].0,
        "/2018-06-01/runtime/invocation/req-0/response"
    );
    assert_eq!(answers[0].1["principalId"], "appclient1");
    assert_eq!(
        answers[0].1["policyDocument"]["Statement"][0]["Effect"],
        "Allow"
    );
    assert_eq!(answers[1].0, "/2018-06-01/runtime/invocation/req-1/error");
    assert_eq!(answers[1].1["errorMessage"], "Unauthorized");
    assert_eq!(
        answers[2].0,
        "/2018-06-01/runtime/invocation/req-2/response"
    );
    assert_eq!(answers[2].1["isAuthorized"], true);

    // Keys were fetched once, during init; JSON logs and EMF lines on stdout; no token in them.
    assert_eq!(jwks.received_requests().await.unwrap().len(), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let signature = token.rsplit('.').next().unwrap();
    assert!(
        !stdout.contains(signature) && !stdout.contains(&token[..40]),
        "a token reached the logs"
    );
    check_stdout(&stdout);
}

/// Every stdout line is an EMF document or a flat JSON log line in Lambda's shape; the decision
/// lines carry the runtime's request and trace ids, the service, and the cold start once.
fn check_stdout(stdout: &str) {
    let (metrics, logs): (Vec<&str>, Vec<&str>) =
        stdout.lines().partition(|l| object(l).contains_key("_aws"));
    let docs: Vec<Value> = metrics.iter().map(|l| common::emf::document(l)).collect();
    let cold: Vec<&Value> = docs
        .iter()
        .filter(|d| d.get("ColdStart").is_some())
        .collect();
    assert_eq!(cold.len(), 1, "{stdout}");
    assert_eq!(cold[0]["function_name"], "authorizer");
    assert_eq!(cold[0]["service"], DEFAULT_SERVICE_NAME);
    assert_eq!(docs.len(), 4, "ColdStart and 3 decisions: {stdout}");

    let lines: Vec<Map<String, Value>> = logs.iter().map(|l| object(l)).collect();
    for line in &lines {
        for key in ["timestamp", "level", "message", "service"] {
            assert!(line.contains_key(key), "{key} in {line:?}");
        }
        assert!(
            !line.contains_key("fields") && !line.contains_key("span"),
            "{line:?}"
        );
    }
    let fetched = lines
        .iter()
        .find(|l| l["message"] == "JWKS fetched")
        .unwrap();
    assert!(!fetched.contains_key("requestId"), "init is no invocation");
    let decisions = decisions(&logs.iter().map(|l| l.to_string()).collect::<Vec<_>>());
    let outcomes: Vec<&str> = decisions
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["allowed", "unauthorized", "allowed"], "{stdout}");
    for (i, d) in decisions.iter().enumerate() {
        assert_eq!(d["requestId"], format!("req-{i}"), "{d:?}");
        assert_eq!(d["xray_trace_id"], trace(i));
        assert_eq!(d["service"], DEFAULT_SERVICE_NAME);
        assert_eq!(d["cold_start"], i == 0);
        assert_eq!(d["level"], "INFO");
    }
    assert_eq!(decisions[0]["route"], "GET /echo");
    assert_eq!(decisions[1]["reason"], "token_missing");
    assert_eq!(
        decisions[2]["correlation_id"],
        "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    );
}

#[tokio::test]
async fn a_bad_setting_stops_the_binary_at_start_naming_it() {
    let runtime = runtime_api(vec![]).await;
    let jwks = MockServer::start().await;
    let child = spawn(
        &runtime,
        &jwks,
        &[("ROUTE_SCOPES", r#"{"FETCH /echo": "a"}"#)],
    );
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        all.contains("ROUTE_SCOPES: `FETCH /echo`: unknown method `FETCH`"),
        "{all}"
    );
    assert!(
        jwks.received_requests().await.unwrap().is_empty(),
        "nothing fetched with a broken configuration"
    );
}
