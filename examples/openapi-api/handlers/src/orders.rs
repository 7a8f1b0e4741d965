//! The orders function: list, create, read, replace, delete and cancel orders.

use serde_json::{Value, json};

use crate::proxy::{answer, bad_request, body, caller, not_found, parameter, route};

/// The answer to one proxy event.
pub fn handle(event: &Value) -> Value {
    let id = parameter(event, "orderId");
    match route(event).as_str() {
        "GET /orders" => answer(
            200,
            &json!({"orders": [order("o-1001", "tea", 1)], "caller": caller(event)}),
        ),
        "POST /orders" => match new_order(event) {
            Ok(created) => answer(201, &created),
            Err(message) => bad_request(message),
        },
        "GET /orders/{orderId}" => answer(200, &order(id, "tea", 1)),
        "PUT /orders/{orderId}" => match new_order(event) {
            Ok(mut replaced) => {
                replaced["orderId"] = json!(id);
                answer(200, &replaced)
            }
            Err(message) => bad_request(message),
        },
        "DELETE /orders/{orderId}" => answer(204, &Value::Null),
        "POST /orders/{orderId}/cancel" => {
            let mut cancelled = order(id, "tea", 1);
            cancelled["status"] = json!("cancelled");
            answer(200, &cancelled)
        }
        _ => not_found(),
    }
}

fn order(id: &str, sku: &str, quantity: u64) -> Value {
    json!({"orderId": id, "sku": sku, "quantity": quantity, "status": "open"})
}

/// The order a body describes: `sku` (text) and `quantity` (1 or more).
fn new_order(event: &Value) -> Result<Value, &'static str> {
    let body = body(event).ok_or("expected a JSON object")?;
    let sku = body
        .get("sku")
        .and_then(Value::as_str)
        .ok_or("sku: expected text")?;
    let quantity = body
        .get("quantity")
        .and_then(Value::as_u64)
        .filter(|q| *q > 0)
        .ok_or("quantity: expected a whole number above 0")?;
    Ok(order("o-1002", sku, quantity))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(method: &str, resource: &str, body: Option<&str>) -> Value {
        json!({"httpMethod": method, "resource": resource, "pathParameters": {"orderId": "o-7"},
            "body": body, "requestContext": {"authorizer": {"principalId": "client-1"}}})
    }

    #[test]
    fn each_route_answers() {
        let list = handle(&event("GET", "/orders", None));
        assert_eq!(list["statusCode"], 200);
        assert!(list["body"].as_str().unwrap().contains("client-1"));
        let created = handle(&event(
            "POST",
            "/orders",
            Some(r#"{"sku": "cake", "quantity": 2}"#),
        ));
        assert_eq!(created["statusCode"], 201);
        assert_eq!(
            handle(&event("POST", "/orders", Some("{}")))["statusCode"],
            400
        );
        assert_eq!(
            handle(&event("DELETE", "/orders/{orderId}", None))["body"],
            ""
        );
        let cancelled = handle(&event("POST", "/orders/{orderId}/cancel", None));
        assert!(
            cancelled["body"]
                .as_str()
                .unwrap()
                .contains(r#""status":"cancelled""#)
        );
        assert_eq!(handle(&event("GET", "/nope", None))["statusCode"], 404);
    }
}
