//! The REST API proxy integration's event (payload 1.0), as API Gateway builds it: `resource` the
//! route's resource path, `path` the path as sent (below the stage), headers and query in single-
//! and multi-value forms, path parameters (from the canonical reading of the path), the body
//! (base64 when not UTF-8) and the request context with the authorizer's context.

use serde_json::{Map, Value, json};

use crate::gateway::deployment::Deployment;
use crate::gateway::event_parts::{body, or_null, request_time, since_epoch};
use crate::message::Request;
use crate::template::{ACCOUNT_ID, ApiRoute};

/// What the event is about besides the request: where the API runs, the matched route, the path
/// below the stage, and the authorizer's context (empty when the route has no authorizer).
#[derive(Debug)]
pub(crate) struct Matched<'a> {
    pub(crate) deployment: &'a Deployment,
    pub(crate) route: &'a ApiRoute,
    pub(crate) path: &'a str,
    pub(crate) authorizer: Map<String, Value>,
    /// Time spent before the integration, for `requestContext.authorizer.integrationLatency`;
    /// `None` when no Lambda authorizer took part (a Cognito authorizer's `claims` come alone).
    pub(crate) latency_ms: Option<u64>,
}

/// The event the integration receives.
pub(crate) fn proxy_event(request: &Request, matched: Matched<'_>) -> Value {
    let (headers, multi_headers) = single_and_multi(
        request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
    );
    let query: Vec<_> =
        form_urlencoded::parse(request.query.as_deref().unwrap_or("").as_bytes()).collect();
    let (query, multi_query) = single_and_multi(query.iter().map(|(n, v)| (&**n, &**v)));
    let path_parameters: Map<String, Value> = matched
        .route
        .pattern
        .path_parameters(&request.method, matched.path)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let (body, base64) = body(request);
    json!({
        "resource": matched.route.pattern.path,
        "path": matched.path,
        "httpMethod": request.method,
        "headers": or_null(headers),
        "multiValueHeaders": or_null(multi_headers),
        "queryStringParameters": or_null(query),
        "multiValueQueryStringParameters": or_null(multi_query),
        "pathParameters": or_null(path_parameters),
        "stageVariables": stage_variables(matched.deployment),
        "requestContext": request_context(request, matched),
        "body": body,
        "isBase64Encoded": base64,
    })
}

/// `requestContext`.
fn request_context(request: &Request, matched: Matched<'_>) -> Value {
    let Matched {
        deployment,
        route,
        path,
        mut authorizer,
        latency_ms,
    } = matched;
    if let Some(latency_ms) = latency_ms.filter(|_| !authorizer.is_empty()) {
        authorizer.insert("integrationLatency".to_owned(), json!(latency_ms));
    }
    let now = since_epoch();
    let request_id = authorizer::mint::random_id();
    let stage = &deployment.stage;
    json!({
        "resourceId": "offline",
        "authorizer": or_null(authorizer),
        "resourcePath": route.pattern.path,
        "httpMethod": request.method,
        "extendedRequestId": request_id,
        "requestTime": request_time(now.as_secs()),
        "path": deployment.stage_path(path),
        "accountId": ACCOUNT_ID,
        "protocol": "HTTP/1.1",
        "stage": stage,
        "domainPrefix": request.host.split('.').next().unwrap_or_default(),
        "requestTimeEpoch": now.as_millis() as u64,
        "requestId": request_id,
        "identity": {
            "cognitoIdentityPoolId": null, "accountId": null, "cognitoIdentityId": null,
            "caller": null, "sourceIp": request.source_ip, "principalOrgId": null,
            "accessKey": null, "cognitoAuthenticationType": null,
            "cognitoAuthenticationProvider": null, "userArn": null,
            "userAgent": request.header("user-agent"), "user": null,
        },
        "domainName": request.host,
        "apiId": deployment.api_id,
    })
}

/// `{name: last value}` and `{name: [every value]}`.
fn single_and_multi<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut single = Map::new();
    let mut multi: Map<String, Value> = Map::new();
    for (name, value) in pairs {
        single.insert(name.to_owned(), json!(value));
        match multi.get_mut(name).and_then(Value::as_array_mut) {
            Some(values) => values.push(json!(value)),
            None => {
                multi.insert(name.to_owned(), json!([value]));
            }
        }
    }
    (single, multi)
}

/// `stageVariables`: the stage's variables, `null` when it has none.
pub(crate) fn stage_variables(deployment: &Deployment) -> Value {
    let variables: Map<String, Value> = deployment
        .stage_variables
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    or_null(variables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_is_the_route_and_path_is_as_sent() {
        use crate::gateway::fixtures::{deployment, route};
        let (deployment, route) = (deployment(), route("GET", "/items/{id}", false, None));
        let request = Request {
            method: "GET".to_owned(),
            path: "/Prod/items//42/".to_owned(),
            ..Request::default()
        };
        let event = proxy_event(
            &request,
            Matched {
                deployment: &deployment,
                route: &route,
                path: "/items//42/",
                authorizer: Map::new(),
                latency_ms: Some(0),
            },
        );
        assert_eq!(event["resource"], "/items/{id}");
        assert_eq!(event["path"], "/items//42/");
        assert_eq!(event["pathParameters"], json!({"id": "42"}));
        assert_eq!(event["requestContext"]["resourcePath"], "/items/{id}");
        assert_eq!(event["requestContext"]["path"], "/Prod/items//42/");
        assert_eq!(event["stageVariables"], json!({"realm": "echo"}));
    }
}
