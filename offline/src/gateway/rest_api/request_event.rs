//! The event a REST `REQUEST` authorizer receives, as API Gateway documents it ("Input to an API
//! Gateway Lambda authorizer"): `type: REQUEST`, the `methodArn`, and the request as the proxy
//! integration would see it (`resource`, `path`, `httpMethod`, `headers`, `multiValueHeaders`,
//! `queryStringParameters`, `multiValueQueryStringParameters`, `pathParameters`,
//! `stageVariables`, `requestContext`), without the body and without an authorizer context.

use serde_json::{Map, Value, json};

use super::call::Call;
use super::proxy_event::{Matched, proxy_event};

/// The `REQUEST` event for `call`.
pub(crate) fn request_event(call: &Call<'_>) -> Value {
    let matched = Matched {
        deployment: call.deployment,
        route: call.route,
        path: call.path,
        authorizer: Map::new(),
        latency_ms: None,
    };
    let mut event = proxy_event(call.request, matched);
    if let Some(fields) = event.as_object_mut() {
        fields.remove("body");
        fields.remove("isBase64Encoded");
        if let Some(context) = fields
            .get_mut("requestContext")
            .and_then(Value::as_object_mut)
        {
            context.remove("authorizer");
        }
        fields.insert("type".to_owned(), json!("REQUEST"));
        fields.insert("methodArn".to_owned(), json!(call.method_arn));
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::fixtures::{deployment, route};
    use crate::message::Request;

    #[test]
    fn the_event_is_the_request_without_body_with_type_and_method_arn() {
        let (deployment, route) = (deployment(), route("GET", "/items/{id}", false, Some("A")));
        let request = Request {
            method: "GET".to_owned(),
            path: "/Prod/items/42".to_owned(),
            query: Some("tenant=a&tenant=b".to_owned()),
            headers: vec![("Authorization".to_owned(), "Bearer t".to_owned())],
            body: b"{}".to_vec(),
            ..Request::default()
        };
        let arn = "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/items/42";
        let call = Call {
            request: &request,
            deployment: &deployment,
            route: &route,
            path: "/items/42",
            method_arn: arn,
        };
        let event = request_event(&call);
        assert_eq!(event["type"], "REQUEST");
        assert_eq!(event["methodArn"], arn);
        assert_eq!(event["resource"], "/items/{id}");
        assert_eq!(event["path"], "/items/42");
        assert_eq!(event["httpMethod"], "GET");
        assert_eq!(event["headers"]["Authorization"], "Bearer t");
        assert_eq!(
            event["multiValueHeaders"]["Authorization"],
            json!(["Bearer t"])
        );
        assert_eq!(event["queryStringParameters"]["tenant"], "b");
        assert_eq!(
            event["multiValueQueryStringParameters"]["tenant"],
            json!(["a", "b"])
        );
        assert_eq!(event["pathParameters"], json!({"id": "42"}));
        assert_eq!(event["stageVariables"], json!({"realm": "echo"}));
        assert_eq!(event["requestContext"]["resourcePath"], "/items/{id}");
        assert!(event.get("body").is_none() && event["requestContext"].get("authorizer").is_none());
        // The authorizer reads it as a REQUEST event.
        let parsed = authorizer::AuthorizerEvent::from_value(event).unwrap();
        assert_eq!(parsed.kind(), "REQUEST");
        assert_eq!(parsed.authorization(), Some("Bearer t"));
        assert_eq!(parsed.resource_arn(), Some(arn));
    }
}
