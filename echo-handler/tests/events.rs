//! Feeds the sample events in `events/` (and variations of them) through the handler.

// clippy.toml's allow-*-in-tests covers `#[test]` functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::sample;
use echo_handler::{EchoError, handle};
use serde_json::{Value, json};

/// Status code and parsed JSON body of a proxy response, after checking its common headers.
fn answer(event: Value) -> (i64, Value) {
    let out = handle(event).expect("handler answered");
    assert_eq!(out["headers"]["content-type"], "application/json");
    assert_eq!(out["isBase64Encoded"], false);
    let body: Value = serde_json::from_str(out["body"].as_str().expect("text body")).unwrap();
    (out["statusCode"].as_i64().expect("status"), body)
}

fn assert_no_credentials(body: &Value) {
    let text = body.to_string();
    for leak in [
        "placeholder-access-token",
        "placeholder-session-cookie",
        "placeholder-session-token",
        "theme=dark",
    ] {
        assert!(!text.contains(leak), "{leak} echoed: {text}");
    }
    let headers = body["request"]["headers"].as_object().expect("headers");
    for name in headers.keys() {
        assert!(
            ![
                "authorization",
                "cookie",
                "set-cookie",
                "proxy-authorization",
                "x-amz-security-token"
            ]
            .contains(&name.to_ascii_lowercase().as_str()),
            "{name} echoed"
        );
    }
}

/// `event` is answered 200 with the echo of `request` and `caller`, and no credential.
fn assert_echoed(event: Value, request: Value, caller: Value) {
    let (status, body) = answer(event);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"message": "Hello!", "request": request, "caller": caller})
    );
    assert_no_credentials(&body);
}

#[test]
fn rest_sample_is_echoed() {
    assert_echoed(
        sample("echo-rest.json"),
        json!({
            "method": "POST",
            "path": "/echo",
            "pathParameters": {},
            "queryStringParameters": {"greeting": "hi"},
            "headers": {
                "accept": "application/json",
                "content-type": "application/json",
                "host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
                "user-agent": "curl/8.5.0",
                "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
                "x-forwarded-for": "203.0.113.10",
                "x-forwarded-port": "443",
                "x-forwarded-proto": "https"
            },
            "withheld": {"headers": ["authorization", "cookie"], "queryStringParameters": []},
            "body": {"hello": "world", "n": 1}
        }),
        json!({
            "principalId": "3q6rhs8ni7c2u0kbm5e1example",
            "clientId": "3q6rhs8ni7c2u0kbm5e1example",
            "scopes": ["echo-api/read", "echo-api/write"],
            "username": null,
            "groups": [],
            "tokenUse": "access"
        }),
    );
}

#[test]
fn http_api_sample_is_echoed() {
    let event = sample("echo-http.json");
    let out = handle(event.clone()).unwrap();
    // HTTP API response shape: no multiValueHeaders, and never a cookies echo.
    assert!(
        out.get("multiValueHeaders")
            .is_none_or(|v| v.as_object().is_some_and(|m| m.is_empty()))
    );
    assert_echoed(
        event,
        json!({
            "method": "GET",
            "path": "/echo/alice",
            "pathParameters": {"name": "alice"},
            "queryStringParameters": {"lang": "en", "tag": "a,b"},
            "headers": {
                "accept": "application/json",
                "content-length": "0",
                "host": "f6g7h8i9j0.execute-api.us-east-1.amazonaws.com",
                "user-agent": "curl/8.5.0",
                "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
                "x-forwarded-for": "203.0.113.10",
                "x-forwarded-port": "443",
                "x-forwarded-proto": "https"
            },
            "withheld": {
                "headers": ["authorization", "x-amz-security-token"],
                "queryStringParameters": []
            },
            "body": null
        }),
        json!({
            "principalId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "clientId": "5kq2o0jc8m7p4v1example",
            "scopes": ["echo-api/read"],
            "username": "alice",
            "groups": ["readers", "admins"],
            "tokenUse": "access"
        }),
    );
}

/// `events/{name}` is answered 200 with no credential, naming alice as the caller with
/// `scopes` and `token_use`; the answer's body.
fn assert_alice(name: &str, scopes: Value, token_use: &str) -> Value {
    let (status, body) = answer(sample(name));
    assert_eq!(status, 200, "{name}");
    let alice = json!({
        "principalId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        "clientId": "5kq2o0jc8m7p4v1example",
        "scopes": scopes,
        "username": "alice",
        "groups": ["readers", "admins"],
        "tokenUse": token_use
    });
    assert_eq!(body["caller"], alice, "{name}");
    assert_no_credentials(&body);
    body
}

#[test]
fn rest_cognito_authorizer_sample_is_echoed_with_the_id_tokens_caller() {
    let body = assert_alice("echo-rest-cognito.json", json!([]), "id");
    assert_eq!(body["request"]["path"], "/profile");
    assert!(!body.to_string().contains("placeholder-id-token"));
}

#[test]
fn http_jwt_authorizer_sample_is_echoed_with_the_access_tokens_caller() {
    let scopes = json!(["orders/read", "openid"]);
    assert_alice("echo-http-jwt.json", scopes, "access");
}

#[test]
fn a_built_in_authorizers_claims_without_sub_are_no_caller() {
    let mut rest = sample("echo-rest-cognito.json");
    rest["requestContext"]["authorizer"]["claims"]
        .as_object_mut()
        .unwrap()
        .remove("sub");
    let mut http = sample("echo-http-jwt.json");
    http["requestContext"]["authorizer"]["jwt"]["claims"]
        .as_object_mut()
        .unwrap()
        .remove("sub");
    for event in [rest, http] {
        let (status, body) = answer(event);
        assert_eq!(
            (status, body),
            (403, json!({"message": "no authorizer context"}))
        );
    }
}

#[test]
fn mixed_case_credential_headers_are_not_echoed() {
    let mut event = sample("echo-rest.json");
    event["headers"] = json!({
        "AUTHORIZATION": "Bearer placeholder-access-token-2",
        "proxy-authorization": "Basic placeholder-access-token-3",
        "Set-Cookie": "placeholder-session-cookie",
        "X-AMZ-SECURITY-TOKEN": "placeholder-session-token",
        "X-Kept": "yes",
        "ACCEPT": "text/plain"
    });
    let (status, body) = answer(event);
    assert_eq!(status, 200);
    assert_eq!(body["request"]["headers"], json!({"accept": "text/plain"}));
    assert_eq!(
        body["request"]["withheld"]["headers"],
        json!([
            "authorization",
            "proxy-authorization",
            "set-cookie",
            "x-amz-security-token",
            "x-kept"
        ]),
        "named, without their values"
    );
    assert_no_credentials(&body);
}

#[test]
fn no_authorizer_context_is_refused_in_both_versions() {
    let mut rest = sample("echo-rest.json");
    rest["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    let mut http = sample("echo-http.json");
    http["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    // A REST context holding only API Gateway's own latency field is no authorizer context either.
    let mut latency_only = sample("echo-rest.json");
    latency_only["requestContext"]["authorizer"] = json!({"integrationLatency": 0});
    for event in [rest, http, latency_only] {
        let (status, body) = answer(event);
        assert_eq!(status, 403);
        assert_eq!(body, json!({"message": "no authorizer context"}));
    }
}

/// A 1x1 PNG, base64-encoded as API Gateway delivers binary bodies.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

#[test]
fn binary_body_is_reported_not_echoed() {
    for name in ["echo-rest.json", "echo-http.json"] {
        let mut event = sample(name);
        event["body"] = json!(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
        );
        event["isBase64Encoded"] = json!(true);
        let (status, body) = answer(event);
        assert_eq!(status, 200, "{name}");
        assert_eq!(body["request"]["body"], Value::Null);
        assert_eq!(body["request"]["bodyBase64Length"], PNG_BASE64.len());
        assert!(!body.to_string().contains("iVBORw0KGgo"));
        assert_eq!(
            body["request"]["bodyNote"],
            "base64-encoded (binary) body not echoed"
        );
    }
}

#[test]
fn non_json_body_is_echoed_as_a_string() {
    for name in ["echo-rest.json", "echo-http.json"] {
        let mut event = sample(name);
        event["body"] = json!("name=alice&note={not json");
        let (status, body) = answer(event);
        assert_eq!(status, 200, "{name}");
        assert_eq!(body["request"]["body"], "name=alice&note={not json");
        assert!(body["request"].get("bodyBase64Length").is_none());
    }
}

#[test]
fn body_over_64_kib_gets_413() {
    for name in ["echo-rest.json", "echo-http.json"] {
        let mut event = sample(name);
        event["body"] = json!("a".repeat(64 * 1024 + 1));
        let (status, body) = answer(event.clone());
        assert_eq!(status, 413, "{name}");
        assert_eq!(
            body,
            json!({"message": "request body too large", "limitBytes": 65536, "bodyBytes": 65537})
        );
        // Exactly 64 KiB is still echoed.
        event["body"] = json!("a".repeat(64 * 1024));
        let (status, _) = answer(event);
        assert_eq!(status, 200, "{name}");
    }
}

#[test]
fn unparsable_events_are_errors() {
    let cases = [
        (json!(null), "NotAnObject"),
        (json!([1, 2]), "NotAnObject"),
        (json!({"version": "9.9"}), "UnsupportedVersion"),
        (json!({"path": "/echo"}), "InvalidEvent"),
        (
            json!({"version": "2.0", "rawPath": "/echo"}),
            "InvalidEvent",
        ),
        (
            json!({"httpMethod": "NOT A METHOD", "requestContext": {"httpMethod": "GET"}}),
            "InvalidEvent",
        ),
    ];
    for (event, kind) in cases {
        let err = handle(event.clone()).expect_err(&event.to_string());
        assert_eq!(err.kind(), format!("EchoError.{kind}"), "{event}");
    }
    assert!(matches!(
        handle(json!({"version": "2.0"})),
        Err(EchoError::InvalidEvent(_))
    ));
}

/// Issue 20, finding 5: credentials under names a deny-list of families missed (`X-Pwd`,
/// `X-Pass`, `X-Passphrase`, `X-Client-Assertion`, `X-OTP`, `X-Sig`; `pwd`, `pass`, `code`,
/// `client_assertion`, `sig`, `otp` in the query), and under any name nobody thought of
/// (`X-Tenant-Pin`), are not echoed: only the headers of an allow-list are, the others are named
/// (never their values) under `withheld`.
#[test]
fn credentials_under_any_name_are_not_echoed() {
    let mut event = sample("echo-rest.json");
    let secret_headers = [
        ("X-Pwd", "hdr-pwd-value"),
        ("X-Pass", "hdr-pass-value"),
        ("X-Passphrase", "hdr-passphrase-value"),
        ("X-Client-Assertion", "hdr-assertion-value"),
        ("X-OTP", "hdr-otp-value"),
        ("X-Sig", "hdr-sig-value"),
        ("X-Tenant-Pin", "hdr-unknown-name-value"),
    ];
    let secret_query = [
        ("pwd", "q-pwd-value"),
        ("pass", "q-pass-value"),
        ("code", "q-code-value"),
        ("client_assertion", "q-assertion-value"),
        ("sig", "q-sig-value"),
        ("otp", "q-otp-value"),
        ("userPassphrase", "q-passphrase-value"),
        ("X-Amz-Signature", "q-signature-value"),
    ];
    for (name, value) in secret_headers {
        event["headers"][name] = json!(value);
        event["multiValueHeaders"][name] = json!([value]);
    }
    for (name, value) in secret_query {
        event["queryStringParameters"][name] = json!(value);
        event["multiValueQueryStringParameters"][name] = json!([value]);
    }
    let (status, body) = answer(event);
    assert_eq!(status, 200);
    assert_no_credentials(&body);
    let text = body.to_string();
    for (name, value) in secret_headers.iter().chain(&secret_query) {
        assert!(!text.contains(value), "{name}'s value echoed: {text}");
    }
    let request = &body["request"];
    assert_eq!(
        request["queryStringParameters"],
        json!({"greeting": "hi"}),
        "{request}"
    );
    assert_eq!(
        request["withheld"]["headers"],
        json!([
            "authorization",
            "cookie",
            "x-client-assertion",
            "x-otp",
            "x-pass",
            "x-passphrase",
            "x-pwd",
            "x-sig",
            "x-tenant-pin"
        ])
    );
    assert_eq!(
        request["withheld"]["queryStringParameters"],
        json!([
            "X-Amz-Signature",
            "client_assertion",
            "code",
            "otp",
            "pass",
            "pwd",
            "sig",
            "userPassphrase"
        ])
    );
}
