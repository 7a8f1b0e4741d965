//! The lines the subscriber writes, through its public API: JSON in Lambda's shape, text, levels.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::HashMap;

use lambda_log::{Capture, subscriber};
use serde_json::{Map, Value};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

/// Runs `log` under a subscriber for `vars`, returns the captured lines.
fn capture(vars: &[(&str, &str)], log: impl FnOnce()) -> Vec<String> {
    let capture = Capture::new();
    let subscriber = subscriber(env(vars), "svc-1", capture.clone());
    tracing::subscriber::with_default(subscriber, log);
    capture.lines()
}

fn object(line: &str) -> Map<String, Value> {
    match serde_json::from_str(line).unwrap() {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// As lambda_runtime's `TracingLayer` opens it around each invocation.
fn invocation_span(request_id: &str, trace: Option<&str>) -> tracing::Span {
    match trace {
        Some(trace) => tracing::info_span!(
            "Lambda runtime invoke",
            requestId = request_id,
            xrayTraceId = trace
        ),
        None => tracing::info_span!("Lambda runtime invoke", requestId = request_id),
    }
}

const JSON: &[(&str, &str)] = &[("AWS_LAMBDA_LOG_FORMAT", "JSON")];

#[test]
fn json_lines_are_flat_in_lambdas_shape() {
    let trace = "Root=1-65f0a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    let lines = capture(JSON, || {
        tracing::info!(started = true, "init");
        let span = invocation_span("8f5e4a52-7c5b-4f1e-9a3e-0c1d2e3f4a5b", Some(trace));
        let _entered = span.enter();
        tracing::info!(
            outcome = "allowed",
            count = 3_u64,
            delta = -2_i64,
            ratio = 0.5_f64,
            nan = f64::NAN,
            absent = None::<&str>,
            shown = %"display",
            debugged = ?"debug",
            "decision"
        );
        tracing::error!(reason = "jwks_unavailable", "decision");
    });
    assert_eq!(lines.len(), 3, "{lines:#?}");

    let init = object(&lines[0]);
    assert_eq!(init["message"], "init");
    assert_eq!(init["started"], true);
    assert!(
        !init.contains_key("requestId"),
        "no request outside an invocation"
    );

    let line = object(&lines[1]);
    let fields = [
        "outcome", "count", "delta", "ratio", "nan", "shown", "debugged",
    ];
    let expected: Vec<&str> = lambda_log::LEADING_KEYS
        .iter()
        .chain(&fields)
        .copied()
        .collect();
    assert_eq!(line.len(), expected.len(), "{}", lines[1]);
    // In this order in the text (serde_json's map sorts its keys).
    let positions: Vec<usize> = expected
        .iter()
        .map(|k| lines[1].find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "order of {}", lines[1]);
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["message"], "decision");
    assert_eq!(line["requestId"], "8f5e4a52-7c5b-4f1e-9a3e-0c1d2e3f4a5b");
    assert_eq!(line["xray_trace_id"], trace);
    assert_eq!(line["service"], "svc-1");
    assert_eq!(line["count"], 3);
    assert_eq!(line["delta"], -2);
    assert_eq!(line["ratio"], 0.5);
    assert_eq!(line["nan"], Value::Null);
    assert_eq!(line["shown"], "display");
    assert_eq!(line["debugged"], "\"debug\"");
    let timestamp = line["timestamp"].as_str().unwrap();
    assert_eq!(
        timestamp.len(),
        "2024-05-01T12:34:56.789Z".len(),
        "{timestamp}"
    );
    assert!(timestamp.ends_with('Z') && timestamp.as_bytes()[10] == b'T');

    let error = object(&lines[2]);
    assert_eq!(error["level"], "ERROR");
    assert_eq!(error["requestId"], "8f5e4a52-7c5b-4f1e-9a3e-0c1d2e3f4a5b");
}

#[test]
fn no_trace_id_when_lambda_sent_none_and_every_line_is_one_line() {
    let lines = capture(JSON, || {
        let span = invocation_span("req-2", None);
        let _entered = span.enter();
        tracing::warn!(
            value = "two\nlines\"}{",
            "{}",
            "forged\n{\"level\":\"ERROR\"}"
        );
    });
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let line = object(&lines[0]);
    assert_eq!(line["requestId"], "req-2");
    assert!(!line.contains_key("xray_trace_id"));
    assert_eq!(line["level"], "WARN");
    assert_eq!(line["value"], "two\nlines\"}{");
    assert_eq!(line["message"], "forged\n{\"level\":\"ERROR\"}");
}

#[test]
fn an_event_field_cannot_replace_a_top_level_one() {
    let lines = capture(JSON, || {
        let span = invocation_span("req-3", None);
        let _entered = span.enter();
        tracing::info!(
            level = "FATAL",
            requestId = "forged",
            service = "other",
            "m"
        );
    });
    let line = object(&lines[0]);
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["requestId"], "req-3");
    assert_eq!(line["service"], "svc-1");
    // The raw text holds each key once (serde_json would keep the last of repeated keys).
    assert_eq!(lines[0].matches("\"level\"").count(), 1, "{}", lines[0]);
    assert_eq!(lines[0].matches("\"requestId\"").count(), 1);
    assert_eq!(lines[0].matches("\"service\"").count(), 1);
}

#[test]
fn levels_follow_lambdas_setting() {
    let vars = [
        ("AWS_LAMBDA_LOG_FORMAT", "json"),
        ("AWS_LAMBDA_LOG_LEVEL", "WARN"),
    ];
    let lines = capture(&vars, || {
        tracing::debug!("debug");
        tracing::info!("info");
        tracing::warn!("warn");
        tracing::error!("error");
    });
    let messages: Vec<Value> = lines.iter().map(|l| object(l)["message"].clone()).collect();
    assert_eq!(messages, ["warn", "error"]);

    let debug = capture(
        &[("AWS_LAMBDA_LOG_FORMAT", "JSON"), ("RUST_LOG", "debug")],
        || tracing::debug!("debug"),
    );
    assert_eq!(object(&debug[0])["level"], "DEBUG");
}

#[test]
fn text_lines_for_cargo_lambda_watch() {
    let lines = capture(&[], || {
        let span = invocation_span("req-4", None);
        let _entered = span.enter();
        tracing::info!(outcome = "denied", reason = "scope_missing", "decision");
    });
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let line = &lines[0];
    assert!(serde_json::from_str::<Value>(line).is_err(), "text: {line}");
    assert!(line.contains("INFO"), "{line}");
    assert!(line.contains("requestId=\"req-4\""), "{line}");
    assert!(
        line.contains("decision outcome=\"denied\" reason=\"scope_missing\""),
        "{line}"
    );
    assert!(!line.starts_with("20"), "no time stamp: {line}");
}
