//! CORS headers on the echo's answers, through the public API, on the sample events in `events/`.

// clippy.toml's allow-*-in-tests covers `#[test]` functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::sample;
use echo_handler::cors::{ALLOW_ORIGIN_VAR, Cors};
use echo_handler::{handle, handle_with_cors};
use serde_json::{Value, json};

const ORIGIN: &str = "https://app.example.com";

fn cors() -> Cors {
    Cors::from_lookup(|name| (name == ALLOW_ORIGIN_VAR).then(|| ORIGIN.to_owned())).unwrap()
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

#[test]
fn every_answer_carries_the_configured_origin() {
    let cors = cors();
    for name in ["echo-rest.json", "echo-http.json", "echo-rest-delete.json"] {
        let ok = handle_with_cors(sample(name), &cors).unwrap();
        assert_eq!(status_with_cors(&ok), 200, "{name}");

        let mut anonymous = sample(name);
        anonymous["requestContext"]
            .as_object_mut()
            .unwrap()
            .remove("authorizer");
        let refused = handle_with_cors(anonymous, &cors).unwrap();
        assert_eq!(status_with_cors(&refused), 403, "{name}");

        let mut huge = sample(name);
        huge["body"] = json!("a".repeat(64 * 1024 + 1));
        let too_large = handle_with_cors(huge, &cors).unwrap();
        assert_eq!(status_with_cors(&too_large), 413, "{name}");
    }
}

#[test]
fn the_origin_is_the_configured_one_whatever_the_request_says() {
    let mut event = sample("echo-rest-delete.json");
    event["headers"]["Origin"] = json!("https://evil.example.net");
    event["multiValueHeaders"]["Origin"] = json!(["https://evil.example.net"]);
    let out = handle_with_cors(event, &cors()).unwrap();
    assert_eq!(status_with_cors(&out), 200);
}

#[test]
fn an_admin_delete_is_echoed_with_the_caller_groups() {
    let out = handle_with_cors(sample("echo-rest-delete.json"), &cors()).unwrap();
    assert_eq!(status_with_cors(&out), 200);
    let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["request"]["method"], "DELETE");
    assert_eq!(body["request"]["body"], Value::Null);
    assert_eq!(
        body["request"]["headers"]["origin"],
        "http://localhost:3000"
    );
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
    let unset = Cors::from_lookup(|_| None).unwrap();
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
        let err = Cors::from_lookup(|_| Some(bad.to_owned())).expect_err(bad);
        assert!(err.to_string().contains(ALLOW_ORIGIN_VAR), "{err}");
    }
}
