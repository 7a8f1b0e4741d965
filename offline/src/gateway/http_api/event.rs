//! The events an HTTP API sends, payload format 2.0: to the Lambda authorizer ("Control access
//! to HTTP APIs with AWS Lambda authorizers": `version`, `type: REQUEST`, `routeArn`,
//! `identitySource`, `routeKey`, `rawPath`, `rawQueryString`, `cookies`, `headers`,
//! `queryStringParameters`, `requestContext`, `pathParameters`, `stageVariables`) and to the
//! integration (the same request, with `body`, `isBase64Encoded` and the authorizer's context in
//! `requestContext.authorizer.lambda`, or a JWT authorizer's in `requestContext.authorizer.jwt`). Header names are lower case and repeated headers (and
//! query parameters) are joined with commas; cookies move from the `Cookie` header to `cookies`;
//! `rawPath` is the path as sent, a named stage included.

use serde_json::{Map, Value, json};

use crate::gateway::deployment::Deployment;
use crate::gateway::event_parts::{body, request_time, since_epoch};
use crate::message::Request;
use crate::template::{ACCOUNT_ID, ApiRoute};

/// The request as the events carry it, read once.
#[derive(Debug)]
pub(crate) struct V2Request {
    /// Lower-case names, repeated headers joined with `,`; `cookie` is in `cookies` instead.
    pub(crate) headers: Map<String, Value>,
    pub(crate) cookies: Vec<String>,
    /// Decoded, repeated parameters joined with `,`.
    pub(crate) query: Map<String, Value>,
}

impl V2Request {
    pub(crate) fn new(request: &Request) -> Self {
        let mut headers = Map::new();
        let mut cookies = Vec::new();
        for (name, value) in &request.headers {
            let name = name.to_ascii_lowercase();
            if name == "cookie" {
                let parts = value.split(';').map(str::trim).filter(|c| !c.is_empty());
                cookies.extend(parts.map(str::to_owned));
                continue;
            }
            join(&mut headers, name, value);
        }
        let mut query = Map::new();
        let raw = request.query.as_deref().unwrap_or("");
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            join(&mut query, name.into_owned(), &value);
        }
        Self {
            headers,
            cookies,
            query,
        }
    }

    /// The header `name` (any case) as the events carry it.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        let value = self.headers.get(&name.to_ascii_lowercase())?;
        value.as_str().map(str::to_owned)
    }

    /// The query parameter `name` as the events carry it.
    pub(crate) fn query(&self, name: &str) -> Option<String> {
        self.query.get(name)?.as_str().map(str::to_owned)
    }
}

/// `map[name]`, with `value` appended after a comma when the name repeats.
fn join(map: &mut Map<String, Value>, name: String, value: &str) {
    match map.get_mut(&name) {
        Some(Value::String(joined)) => {
            joined.push(',');
            joined.push_str(value);
        }
        _ => {
            map.insert(name, json!(value));
        }
    }
}

/// Where a request went: the stage, the route it matched and the route's path parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) deployment: &'a Deployment,
    pub(crate) route: &'a ApiRoute,
    pub(crate) path_parameters: &'a [(String, String)],
}

/// The Lambda authorizer's event, `identity` being the identity sources' values in order.
pub(crate) fn authorizer_event(
    request: &Request,
    v2: &V2Request,
    target: Target<'_>,
    route_arn: &str,
    identity: &[String],
) -> Value {
    let mut event = common(request, v2, target);
    event.insert("type".to_owned(), json!("REQUEST"));
    event.insert("routeArn".to_owned(), json!(route_arn));
    event.insert("identitySource".to_owned(), json!(identity));
    event.insert(
        "requestContext".to_owned(),
        Value::Object(request_context(request, target)),
    );
    Value::Object(event)
}

/// The integration's event, with `requestContext.authorizer` (none: no authorizer ran): a Lambda
/// authorizer's `{"lambda": context}` or a JWT authorizer's `{"jwt": {claims, scopes}}`.
pub(crate) fn proxy_event(
    request: &Request,
    v2: &V2Request,
    target: Target<'_>,
    authorizer: Option<Value>,
) -> Value {
    let mut event = common(request, v2, target);
    let mut request_context = request_context(request, target);
    if let Some(authorizer) = authorizer {
        request_context.insert("authorizer".to_owned(), authorizer);
    }
    event.insert("requestContext".to_owned(), Value::Object(request_context));
    let (body, base64) = body(request);
    if !body.is_null() {
        event.insert("body".to_owned(), body);
    }
    event.insert("isBase64Encoded".to_owned(), json!(base64));
    Value::Object(event)
}

/// What both events hold; absent parts are left out, as API Gateway leaves them out.
fn common(request: &Request, v2: &V2Request, target: Target<'_>) -> Map<String, Value> {
    let mut event = Map::new();
    event.insert("version".to_owned(), json!("2.0"));
    event.insert("routeKey".to_owned(), json!(target.route.route_key()));
    event.insert("rawPath".to_owned(), json!(request.path));
    let raw_query = request.query.as_deref().unwrap_or("");
    event.insert("rawQueryString".to_owned(), json!(raw_query));
    if !v2.cookies.is_empty() {
        event.insert("cookies".to_owned(), json!(v2.cookies));
    }
    event.insert("headers".to_owned(), Value::Object(v2.headers.clone()));
    let mut optional = |key: &str, map: Map<String, Value>| {
        if !map.is_empty() {
            event.insert(key.to_owned(), Value::Object(map));
        }
    };
    optional("queryStringParameters", v2.query.clone());
    let parameters = target.path_parameters.iter();
    optional(
        "pathParameters",
        parameters.map(|(k, v)| (k.clone(), json!(v))).collect(),
    );
    let variables = target.deployment.stage_variables.iter();
    optional(
        "stageVariables",
        variables.map(|(k, v)| (k.clone(), json!(v))).collect(),
    );
    event
}

/// `requestContext`, without the authorizer.
fn request_context(request: &Request, target: Target<'_>) -> Map<String, Value> {
    let now = since_epoch();
    let deployment = target.deployment;
    let context = json!({
        "accountId": ACCOUNT_ID,
        "apiId": deployment.api_id,
        "domainName": request.host,
        "domainPrefix": request.host.split('.').next().unwrap_or_default(),
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": "HTTP/1.1",
            "sourceIp": request.source_ip,
            "userAgent": request.header("user-agent"),
        },
        "requestId": authorizer::mint::random_id(),
        "routeKey": target.route.route_key(),
        "stage": deployment.stage,
        "time": request_time(now.as_secs()),
        "timeEpoch": now.as_millis() as u64,
    });
    match context {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::fixtures::{deployment, route};

    fn request() -> Request {
        Request {
            method: "GET".to_owned(),
            path: "/Prod/items/42".to_owned(),
            query: Some("tag=a&tag=b&lang=en".to_owned()),
            headers: vec![
                ("Authorization".to_owned(), "Bearer t".to_owned()),
                ("X-Twice".to_owned(), "1".to_owned()),
                ("X-Twice".to_owned(), "2".to_owned()),
                ("Cookie".to_owned(), "a=1; b=2".to_owned()),
            ],
            host: "offline0api.localhost".to_owned(),
            ..Request::default()
        }
    }

    fn target_parts() -> (Deployment, ApiRoute) {
        (deployment(), route("GET", "/items/{id}", false, Some("A")))
    }

    #[test]
    fn both_events_carry_the_request_as_payload_two() {
        let request = request();
        let v2 = V2Request::new(&request);
        let (deployment, route) = target_parts();
        let parameters = [("id".to_owned(), "42".to_owned())];
        let target = Target {
            deployment: &deployment,
            route: &route,
            path_parameters: &parameters,
        };
        let arn = "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/items/42";
        let event = authorizer_event(&request, &v2, target, arn, &["Bearer t".to_owned()]);
        assert_eq!(event["version"], "2.0");
        assert_eq!(event["type"], "REQUEST");
        assert_eq!(event["routeArn"], arn);
        assert_eq!(event["identitySource"], json!(["Bearer t"]));
        assert_eq!(event["routeKey"], "GET /items/{id}");
        assert_eq!(event["rawPath"], "/Prod/items/42");
        assert_eq!(event["rawQueryString"], "tag=a&tag=b&lang=en");
        assert_eq!(event["cookies"], json!(["a=1", "b=2"]));
        assert_eq!(event["headers"]["x-twice"], "1,2");
        assert!(event["headers"].get("cookie").is_none());
        assert_eq!(
            event["queryStringParameters"],
            json!({"tag": "a,b", "lang": "en"})
        );
        assert_eq!(event["pathParameters"], json!({"id": "42"}));
        assert_eq!(event["stageVariables"], json!({"realm": "echo"}));
        let context = &event["requestContext"];
        assert_eq!(context["http"]["path"], "/Prod/items/42");
        assert_eq!(
            (context["stage"].as_str(), context["routeKey"].as_str()),
            (Some("Prod"), Some("GET /items/{id}"))
        );
        let parsed = authorizer::AuthorizerEvent::from_value(event).unwrap();
        assert_eq!(parsed.kind(), "HTTP_V2");
        assert_eq!(parsed.authorization(), Some("Bearer t"));
        assert_eq!(parsed.resource_arn(), Some(arn));

        let mut context = Map::new();
        context.insert("sub".to_owned(), json!("s"));
        let event = proxy_event(&request, &v2, target, Some(json!({ "lambda": context })));
        assert_eq!(event["requestContext"]["authorizer"]["lambda"]["sub"], "s");
        assert_eq!(event["isBase64Encoded"], false);
        assert!(event.get("body").is_none() && event.get("identitySource").is_none());
        let incoming = echo_handler::request::Incoming::from_event(event).unwrap();
        assert_eq!(incoming.path.as_deref(), Some("/Prod/items/42"));
        assert_eq!(incoming.authorizer.get("sub"), Some(&json!("s")));
    }
}
