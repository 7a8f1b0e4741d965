//! What both functions read from a Lambda proxy event, and the answers they write.

use serde_json::{Value, json};

/// The route API Gateway matched (`GET /orders/{orderId}`), as the event's `httpMethod` and
/// `resource` give it.
pub fn route(event: &Value) -> String {
    let field = |name: &str| event.get(name).and_then(Value::as_str).unwrap_or_default();
    format!("{} {}", field("httpMethod"), field("resource"))
}

/// The path parameter `name`.
pub fn parameter<'a>(event: &'a Value, name: &str) -> &'a str {
    event
        .pointer(&format!("/pathParameters/{name}"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The caller the authorizer let through (`principalId` of its context), if any.
pub fn caller(event: &Value) -> &str {
    event
        .pointer("/requestContext/authorizer/principalId")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The JSON body, if it is a JSON object.
pub fn body(event: &Value) -> Option<Value> {
    let text = event.get("body")?.as_str()?;
    serde_json::from_str(text).ok().filter(Value::is_object)
}

/// A proxy answer: `status` and `body` as JSON (none for 204).
pub fn answer(status: u16, body: &Value) -> Value {
    let body = if status == 204 {
        String::new()
    } else {
        body.to_string()
    };
    json!({
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": body,
    })
}

/// 400 with `message`.
pub fn bad_request(message: &str) -> Value {
    answer(400, &json!({ "message": message }))
}

/// 404 for a route this function does not serve, or an unknown item.
pub fn not_found() -> Value {
    answer(404, &json!({"message": "Not Found"}))
}
