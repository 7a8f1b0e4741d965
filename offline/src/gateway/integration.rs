//! The Lambda proxy integration's answer turned into HTTP, as API Gateway does: `statusCode`,
//! `headers` and `multiValueHeaders` (passed through: the echo's own CORS headers included),
//! `body` (base64 when `isBase64Encoded`). A failed or malformed answer is the caller's to turn
//! into API Gateway's 502 (a REST API) or 500 (an HTTP API).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::lambda::FunctionError;
use crate::message::{AuthorizerUse, Response};

/// The HTTP answer for the integration's `result`, or why it cannot be one (a reason code: the
/// function's failure, e.g. `function_error`, or `malformed_integration_response`).
pub(crate) fn integration_response(
    result: Result<Value, FunctionError>,
) -> Result<Response, &'static str> {
    let value = result.map_err(|e| e.failure.code())?;
    let Some(status) = value
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
    else {
        return Err(MALFORMED);
    };
    let text = value
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let body = if value.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        match STANDARD.decode(text) {
            Ok(bytes) => bytes,
            Err(_) => return Err(MALFORMED),
        }
    } else {
        text.as_bytes().to_vec()
    };
    Ok(Response {
        status,
        headers: headers(&value),
        body,
        reason: "ok".to_owned(),
        authorizer: AuthorizerUse::None,
    })
}

const MALFORMED: &str = "malformed_integration_response";

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
