//! CORS headers on the echo's answers, through the public API, on the sample events in `events/`.

// clippy.toml's allow-*-in-tests covers `#[test]` functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::sample;
use echo_handler::Config;
use echo_handler::cors::Cors;
use echo_handler::{handle, handle_with_cors};
use serde_json::{Value, json};

const ORIGIN: &str = "https://app.example.com";

fn cors() -> Cors {
    Config::from_lookup(|name| (name == "CORS_ALLOW_ORIGIN").then(|| ORIGIN.to_owned()))
        .unwrap()
        .cors
}

/// The status of a proxy response after checking it carries exactly the configured CORS headers.
fn status_with_cors(out: &Value) -> i64 {
    assert_eq!(
        out["headers"]["access-control-allow-origin"], ORIGIN,
        "{out}"
    );
    assert_eq!(out["headers"]["vary"], "Origin", "{out}");
    // No wildcard and no credentials mode: a token travels in Authorization, never in a cookie.
    assert!(
        out["headers"]
            .get("access-control-allow-credentials")
            .is_none()
    );
    out["statusCode"].as_i64().unwrap()
}

/// `event` as a browser on `origin` sends it: with an `Origin` header (both header maps of a REST
/// event; an HTTP API event's lower-case `headers`).
fn from_origin(mut event: Value, origin: &str) -> Value {
    if event["version"] == "2.0" {
        event["headers"]["origin"] = json!(origin);
    } else {
        event["headers"]["Origin"] = json!(origin);
        event["multiValueHeaders"]["Origin"] = json!([origin]);
    }
    event
}

/// Every answer, from the configured origin or from a caller that sends none (curl, SDKs).
#[test]
fn every_answer_carries_the_configured_origin() {
    let cors = cors();
    for name in ["echo-rest.json", "echo-http.json", "echo-rest-delete.json"] {
        for event in [
            from_origin(sample(name), ORIGIN),
            without_origin(sample(name)),
        ] {
            let ok = handle_with_cors(event.clone(), &cors).unwrap();
            assert_eq!(status_with_cors(&ok), 200, "{name}");

            let mut anonymous = event.clone();
            anonymous["requestContext"]
                .as_object_mut()
                .unwrap()
                .remove("authorizer");
            let refused = handle_with_cors(anonymous, &cors).unwrap();
            assert_eq!(status_with_cors(&refused), 403, "{name}");

            let mut huge = event;
            huge["body"] = json!("a".repeat(64 * 1024 + 1));
            let too_large = handle_with_cors(huge, &cors).unwrap();
            assert_eq!(status_with_cors(&too_large), 413, "{name}");
        }
    }
}

/// `event` with no `Origin` header in any case.
fn without_origin(mut event: Value) -> Value {
    for map in ["headers", "multiValueHeaders"] {
        if let Some(headers) = event[map].as_object_mut() {
            headers.retain(|name, _| !name.eq_ignore_ascii_case("origin"));
        }
    }
    event
}

/// A page of another origin is named nothing: no `Access-Control-Allow-Origin` (the browser then
/// refuses to hand the answer to the page), only `Vary: Origin`; the answer itself is unchanged.
#[test]
fn another_origin_gets_no_cors_header() {
    let cors = cors();
    for name in ["echo-rest.json", "echo-http.json", "echo-rest-delete.json"] {
        for origin in [
            "https://evil.example.net",
            "http://app.example.com",
            "https://app.example.com.evil.example",
            "null",
        ] {
            let out = handle_with_cors(from_origin(sample(name), origin), &cors).unwrap();
            assert_eq!(out["statusCode"], 200, "{name} {origin}");
            let headers = out["headers"].as_object().unwrap();
            assert!(
                !headers.keys().any(|n| n.starts_with("access-control-")),
                "{name} {origin}: {out}"
            );
            assert_eq!(headers["vary"], "Origin", "{name} {origin}");
        }
    }
}

#[test]
fn an_admin_delete_is_echoed_with_the_caller_groups() {
    let event = from_origin(sample("echo-rest-delete.json"), ORIGIN);
    let out = handle_with_cors(event, &cors()).unwrap();
    assert_eq!(status_with_cors(&out), 200);
    let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["request"]["method"], "DELETE");
    assert_eq!(body["request"]["body"], Value::Null);
    assert_eq!(body["request"]["headers"]["origin"], ORIGIN);
    assert!(body["request"]["headers"].get("authorization").is_none());
    assert_eq!(
        body["caller"],
        json!({
            "principalId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
            "clientId": "6r0peopleclient0example",
            "scopes": ["openid"],
            "username": "dana",
            "groups": ["admins"],
            "tokenUse": "access"
        })
    );
}

#[test]
fn without_an_origin_no_cors_header_is_sent() {
    let unset = Config::from_lookup(|_| None).unwrap().cors;
    for out in [
        handle(sample("echo-rest.json")).unwrap(),
        handle_with_cors(sample("echo-http.json"), &unset).unwrap(),
    ] {
        assert_eq!(out["statusCode"], 200);
        assert!(out["headers"].get("access-control-allow-origin").is_none());
        assert!(out["headers"].get("vary").is_none());
    }
}

#[test]
fn a_wildcard_or_list_is_refused_at_start() {
    for bad in ["*", "null", "https://a.example.com,https://b.example.com"] {
        let err = Config::from_lookup(|name| (name == "CORS_ALLOW_ORIGIN").then(|| bad.to_owned()))
            .expect_err(bad);
        assert!(err.to_string().starts_with("CORS_ALLOW_ORIGIN: "), "{err}");
    }
}
