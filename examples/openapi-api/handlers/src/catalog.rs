//! The catalog function: list, read, add, change and remove products.

use serde_json::{Value, json};

use crate::proxy::{answer, bad_request, body, not_found, parameter, route};

/// The products every call starts from.
const PRODUCTS: &[(&str, &str, u64)] = &[("tea", "Green tea", 450), ("cake", "Lemon cake", 320)];

/// The answer to one proxy event.
pub fn handle(event: &Value) -> Value {
    let id = parameter(event, "productId");
    match route(event).as_str() {
        "GET /products" => {
            let all: Vec<Value> = PRODUCTS.iter().map(|p| product(*p)).collect();
            answer(200, &json!({ "products": all }))
        }
        "GET /products/{productId}" => match find(id) {
            Some(found) => answer(200, &found),
            None => not_found(),
        },
        "POST /products" => match body(event).and_then(|b| b.get("name").cloned()) {
            Some(name) => answer(201, &json!({"productId": "p-3", "name": name})),
            None => bad_request("name: expected text"),
        },
        "PATCH /products/{productId}" => match (find(id), body(event)) {
            (Some(mut found), Some(changes)) => {
                for (key, value) in changes.as_object().into_iter().flatten() {
                    found[key] = value.clone();
                }
                answer(200, &found)
            }
            (None, _) => not_found(),
            (Some(_), None) => bad_request("expected a JSON object"),
        },
        "DELETE /products/{productId}" => match find(id) {
            Some(_) => answer(204, &Value::Null),
            None => not_found(),
        },
        _ => not_found(),
    }
}

fn product((id, name, price): (&str, &str, u64)) -> Value {
    json!({"productId": id, "name": name, "priceCents": price})
}

fn find(id: &str) -> Option<Value> {
    PRODUCTS.iter().find(|p| p.0 == id).map(|p| product(*p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(method: &str, resource: &str, id: &str, body: Option<&str>) -> Value {
        json!({"httpMethod": method, "resource": resource, "pathParameters": {"productId": id},
            "body": body})
    }

    #[test]
    fn each_route_answers() {
        assert_eq!(
            handle(&event("GET", "/products", "", None))["statusCode"],
            200
        );
        let tea = handle(&event("GET", "/products/{productId}", "tea", None));
        assert!(tea["body"].as_str().unwrap().contains("Green tea"));
        assert_eq!(
            handle(&event("GET", "/products/{productId}", "nope", None))["statusCode"],
            404
        );
        let changed = handle(&event(
            "PATCH",
            "/products/{productId}",
            "cake",
            Some(r#"{"priceCents": 300}"#),
        ));
        assert!(changed["body"].as_str().unwrap().contains("300"));
        assert_eq!(
            handle(&event("POST", "/products", "", Some("{}")))["statusCode"],
            400
        );
        assert_eq!(
            handle(&event("DELETE", "/products/{productId}", "tea", None))["statusCode"],
            204
        );
    }
}
