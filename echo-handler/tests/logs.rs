//! The echo's log line, captured: Lambda's flat JSON shape with the same top-level keys as the
//! authorizer's lines (request id, trace id, service, cold start), API Gateway's request id as
//! `correlation_id`, and nothing of the request's headers or body.

// clippy.toml's allow-*-in-tests covers `#[test]` functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Arc;

use echo_handler::cors::Cors;
use echo_handler::{function_handler, handle};
use lambda_log::{Capture, ColdStart};
use lambda_runtime::{Context, LambdaEvent};
use serde_json::{Map, Value, json};
use tracing::Instrument as _;

const TRACE: &str = "Root=1-65f0a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

fn sample(name: &str) -> Value {
    let path = format!("{}/../events/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn capture(pairs: &[(&str, &str)]) -> (Capture, tracing::subscriber::DefaultGuard) {
    let vars: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let capture = Capture::new();
    let subscriber = lambda_log::subscriber(
        move |k| vars.get(k).cloned(),
        "echo-handler",
        capture.clone(),
    );
    (
        capture.clone(),
        tracing::subscriber::set_default(subscriber),
    )
}

/// One invocation as lambda_runtime makes it: a context and its request span.
async fn invoke(payload: Value, request_id: &str, cold_start: &ColdStart) -> Value {
    let mut context = Context::default();
    context.request_id = request_id.into();
    context.xray_trace_id = Some(TRACE.into());
    context.env_config = Arc::new(lambda_runtime::Config::default());
    let span = lambda_runtime::layers::trace::request_span(&context);
    function_handler(
        LambdaEvent::new(payload, context),
        &Cors::disabled(),
        cold_start,
    )
    .instrument(span)
    .await
    .unwrap()
}

fn object(line: &str) -> Map<String, Value> {
    match serde_json::from_str(line) {
        Ok(Value::Object(map)) => map,
        _ => panic!("not a JSON object: {line}"),
    }
}

#[tokio::test]
async fn the_echo_logs_one_flat_json_line_per_request() {
    let (capture, _guard) = capture(&[("AWS_LAMBDA_LOG_FORMAT", "JSON")]);
    let cold_start = ColdStart::new();
    let rest = invoke(sample("echo-rest.json"), "echo-req-1", &cold_start).await;
    assert_eq!(rest["statusCode"], 200);
    let http = invoke(sample("echo-http.json"), "echo-req-2", &cold_start).await;
    assert_eq!(http["statusCode"], 200);
    let mut anonymous = sample("echo-rest.json");
    anonymous["requestContext"]["authorizer"] = json!({});
    assert_eq!(
        invoke(anonymous, "echo-req-3", &cold_start).await["statusCode"],
        403
    );

    let lines: Vec<Map<String, Value>> = capture.lines().iter().map(|l| object(l)).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let mut keys: Vec<&str> = lines[0].keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "cold_start",
            "correlation_id",
            "level",
            "message",
            "method",
            "path",
            "requestId",
            "service",
            "status",
            "timestamp",
            "xray_trace_id"
        ]
    );
    assert_eq!(lines[0]["message"], "echo");
    assert_eq!(lines[0]["level"], "INFO");
    assert_eq!(lines[0]["requestId"], "echo-req-1");
    assert_eq!(lines[0]["xray_trace_id"], TRACE);
    assert_eq!(lines[0]["service"], "echo-handler");
    // The same API Gateway request id the authorizer's REQUEST event carries.
    assert_eq!(
        lines[0]["correlation_id"],
        "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    );
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[0]["cold_start"], true);
    assert_eq!(
        (&lines[0]["method"], &lines[0]["path"]),
        (&json!("POST"), &json!("/echo"))
    );

    assert_eq!(lines[1]["correlation_id"], "JKJaXmPLvHcESHA=");
    assert_eq!(lines[1]["requestId"], "echo-req-2");
    assert_eq!(lines[1]["cold_start"], false);
    assert_eq!(lines[2]["status"], 403);
    assert_eq!(lines[2]["cold_start"], false);

    let text = capture.text();
    assert!(
        !text.contains("placeholder-access-token") && !text.contains("Bearer"),
        "{text}"
    );
}

#[tokio::test]
async fn text_lines_and_no_cold_start_outside_lambda() {
    let (capture, _guard) = capture(&[]);
    assert!(handle(sample("echo-rest.json")).is_ok());
    let lines = capture.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        serde_json::from_str::<Value>(&lines[0]).is_err(),
        "text: {}",
        lines[0]
    );
    assert!(
        lines[0].contains("echo correlation_id=\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\" method=POST path=\"/echo\" status=200"),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("cold_start"));
}
