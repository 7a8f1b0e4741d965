//! The Lambda proxy integration's answer turned into HTTP, as API Gateway does: `statusCode`,
//! `headers` and `multiValueHeaders`, `body` (base64 when `isBase64Encoded`); anything malformed
//! is API Gateway's 502.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::message::{AuthorizerUse, Response};

/// The HTTP answer for the integration's `result`.
pub fn integration_response(result: Result<Value, echo_handler::EchoError>) -> Response {
    let Ok(value) = result else {
        return bad_gateway("integration_error");
    };
    let Some(status) = value
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
    else {
        return bad_gateway("malformed_integration_response");
    };
    let text = value
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let body = if value.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        match STANDARD.decode(text) {
            Ok(bytes) => bytes,
            Err(_) => return bad_gateway("malformed_integration_response"),
        }
    } else {
        text.as_bytes().to_vec()
    };
    Response {
        status,
        headers: headers(&value),
        body,
        reason: "ok".to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

/// `headers`, each name replaced by its `multiValueHeaders` values when it has some there.
fn headers(value: &Value) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    if let Some(map) = value.get("headers").and_then(Value::as_object) {
        for (name, v) in map {
            if let Some(v) = v.as_str() {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    if let Some(map) = value.get("multiValueHeaders").and_then(Value::as_object) {
        for (name, values) in map {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            for v in values
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    headers
}

fn bad_gateway(reason: &str) -> Response {
    Response {
        status: 502,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            (
                "x-amzn-errortype".to_owned(),
                "InternalServerErrorException".to_owned(),
            ),
        ],
        body: br#"{"message": "Internal server error"}"#.to_vec(),
        reason: reason.to_owned(),
        authorizer: AuthorizerUse::None,
    }
}
