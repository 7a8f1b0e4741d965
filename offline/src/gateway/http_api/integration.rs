//! The Lambda proxy integration's answer, payload format 2.0, turned into HTTP as an HTTP API
//! does: an answer with `statusCode` is read like a REST proxy answer (its `cookies` become
//! `Set-Cookie` headers); any other JSON is taken as the body of a 200 `application/json` answer
//! (HTTP APIs' format inference, "Create AWS Lambda proxy integrations for HTTP APIs"). A failed or malformed answer is the caller's 500.

use serde_json::Value;

use crate::gateway::integration::integration_response;
use crate::gateway::lambda::FunctionError;
use crate::message::{AuthorizerUse, Response};

/// The HTTP answer for the integration's `result`, or why it cannot be one.
pub(crate) fn v2_response(result: Result<Value, FunctionError>) -> Result<Response, &'static str> {
    let value = result.map_err(|e| e.failure.code())?;
    if value.get("statusCode").is_none() {
        let body = match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        return Ok(Response {
            status: 200,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.into_bytes(),
            reason: "ok".to_owned(),
            authorizer: AuthorizerUse::None,
        });
    }
    let cookies: Vec<String> = value
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut response = integration_response(Ok(value))?;
    for cookie in cookies {
        response.headers.push(("set-cookie".to_owned(), cookie));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_with_and_without_a_status_code() {
        let answer = v2_response(Ok(json!({"statusCode": 201, "body": "x",
            "headers": {"a": "b"}, "cookies": ["c=1"]})))
        .unwrap();
        assert_eq!(
            (answer.status, answer.body.as_slice()),
            (201, b"x".as_slice())
        );
        assert!(
            answer
                .headers
                .contains(&("set-cookie".to_owned(), "c=1".to_owned()))
        );
        let inferred = v2_response(Ok(json!({"hello": "world"}))).unwrap();
        assert_eq!(inferred.status, 200);
        assert_eq!(inferred.body, br#"{"hello":"world"}"#);
        assert_eq!(v2_response(Ok(json!("hi"))).unwrap().body, b"hi");
        assert!(v2_response(Ok(json!({"statusCode": "x"}))).is_err());
        let failed = FunctionError::new(crate::gateway::lambda::Failure::Handler, "E", "m");
        assert_eq!(v2_response(Err(failed)).unwrap_err(), "function_error");
    }
}
