//! Event adapters: recognise the API Gateway authorizer event in a payload and shape the answer.

pub(crate) use auth_context::AuthContext;

use crate::rules::Routed;
use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequest, ApiGatewayCustomAuthorizerRequestTypeRequest,
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use serde_json::Value;

/// The authorizer events this Lambda answers, detected from the payload by
/// [`AuthorizerEvent::from_value`].
#[derive(Debug)]
pub enum AuthorizerEvent {
    /// REST API, `type: TOKEN`.
    Token(ApiGatewayCustomAuthorizerRequest),
    /// REST API, `type: REQUEST`.
    Request(Box<ApiGatewayCustomAuthorizerRequestTypeRequest>),
    /// HTTP API, payload format 2.0 (simple responses).
    HttpV2(Box<ApiGatewayV2CustomAuthorizerV2Request>),
}

/// Most header names a REQUEST or HTTP API event may carry in `headers` or `multiValueHeaders`.
///
/// API Gateway delivers at most 10 KB of request headers, far fewer names than this. The `http`
/// header map the event types deserialize into panics (`size overflows MAX_SIZE`) for a map of
/// more than 24,576 names, which only a direct invocation could send: such a payload is refused
/// before it is deserialized.
pub(crate) const MAX_HEADERS: usize = 4096;

/// Longest API Gateway request id logged (they are 36-character UUIDs).
pub(crate) const MAX_LOGGED_ID: usize = 128;

/// Longest route logged from an event (`METHOD /path`; API Gateway paths stay far below).
pub(crate) const MAX_LOGGED_ROUTE: usize = 1024;

/// Whether a value from the event may go into a log line: bounded, one line.
fn loggable(value: &str, max: usize) -> bool {
    !value.is_empty() && value.len() <= max && !value.chars().any(char::is_control)
}

/// Why a payload is not an authorizer event this Lambda answers (the [`Authorizer`] answers it
/// with [`HandlerError::InvalidEvent`], which API Gateway turns into 500).
///
/// [`Authorizer`]: crate::Authorizer
/// [`HandlerError::InvalidEvent`]: crate::HandlerError::InvalidEvent
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an API Gateway authorizer event: {0}")]
pub struct EventError(
    /// What is wrong with the payload, for a human (it names no value from the payload).
    pub &'static str,
);

impl AuthorizerEvent {
    /// Recognises the event: `version: "2.0"` is HTTP API; otherwise `type` picks REST TOKEN or
    /// REQUEST. HTTP API payload format 1.0, a malformed event and one with more header names
    /// than API Gateway could send (4,096) are refused.
    pub fn from_value(payload: Value) -> Result<Self, EventError> {
        if too_many_headers(&payload) {
            return Err(EventError("too many header names"));
        }
        let version = payload.get("version").and_then(Value::as_str);
        let kind = payload.get("type").and_then(Value::as_str);
        match (version, kind) {
            (Some("2.0"), _) => serde_json::from_value(payload)
                .map(|e| Self::HttpV2(Box::new(e)))
                .map_err(|_| EventError("malformed HTTP API 2.0 event")),
            (Some("1.0"), _) => Err(EventError(
                "HTTP API payload format 1.0 is not supported; use 2.0",
            )),
            (_, Some("TOKEN")) => serde_json::from_value(payload)
                .map(Self::Token)
                .map_err(|_| EventError("malformed TOKEN event")),
            (_, Some("REQUEST")) => serde_json::from_value(payload)
                .map(|e| Self::Request(Box::new(e)))
                .map_err(|_| EventError("malformed REQUEST event")),
            _ => Err(EventError(
                "no `type` TOKEN or REQUEST and no `version` 2.0",
            )),
        }
    }

    /// The `Authorization` value: TOKEN's `authorizationToken`, else the header matched without
    /// regard to case. `None` when absent or not text.
    pub fn authorization(&self) -> Option<&str> {
        match self {
            Self::Token(e) => e.authorization_token.as_deref(),
            Self::Request(e) => e.headers.get("authorization").and_then(|v| v.to_str().ok()),
            Self::HttpV2(e) => e.headers.get("authorization").and_then(|v| v.to_str().ok()),
        }
    }

    /// The ARN of what is being called (`methodArn` or `routeArn`).
    pub fn resource_arn(&self) -> Option<&str> {
        match self {
            Self::Token(e) => e.method_arn.as_deref(),
            Self::Request(e) => e.method_arn.as_deref(),
            Self::HttpV2(e) => e.route_arn.as_deref(),
        }
    }

    /// API Gateway's id of the request (`requestContext.requestId`), for logs. REQUEST and HTTP
    /// API events carry it; TOKEN events carry none. `None` also when it holds a control
    /// character or is longer than 128 bytes (a direct invocation can send anything).
    pub fn api_request_id(&self) -> Option<&str> {
        let id = match self {
            Self::Token(_) => None,
            Self::Request(e) => e.request_context.request_id.as_deref(),
            Self::HttpV2(e) => e.request_context.request_id.as_deref(),
        };
        id.filter(|id| loggable(id, MAX_LOGGED_ID))
    }

    /// The API Gateway route the event names, for logs: HTTP API's `routeKey` (`GET /items/{id}`),
    /// REST REQUEST's `httpMethod` and `resource`. TOKEN events name none. `None` also when
    /// absent, holding a control character or longer than 1,024 bytes.
    pub fn route_key(&self) -> Option<String> {
        let route = match self {
            Self::Token(_) => None,
            Self::Request(e) => match (&e.http_method, &e.resource) {
                (Some(method), Some(resource)) => Some(format!("{method} {resource}")),
                _ => None,
            },
            Self::HttpV2(e) => e.route_key.clone(),
        };
        route.filter(|r| loggable(r, MAX_LOGGED_ROUTE))
    }

    /// The route a REST API's REQUEST event names: its method and resource path template.
    pub fn routed(&self) -> Option<Routed<'_>> {
        match self {
            Self::Request(e) => Some(Routed {
                method: e.http_method.as_ref()?.as_str(),
                resource: e.resource.as_deref()?,
            }),
            Self::Token(_) | Self::HttpV2(_) => None,
        }
    }

    /// Short name for logs: `TOKEN`, `REQUEST` or `HTTP_V2`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Token(_) => "TOKEN",
            Self::Request(_) => "REQUEST",
            Self::HttpV2(_) => "HTTP_V2",
        }
    }

    /// Whether this is an HTTP API event (answered with a simple response).
    pub fn is_http_api(&self) -> bool {
        matches!(self, Self::HttpV2(_))
    }
}

/// Whether `headers` or `multiValueHeaders` is an object with more than [`MAX_HEADERS`] names.
fn too_many_headers(payload: &Value) -> bool {
    ["headers", "multiValueHeaders"].iter().any(|field| {
        payload
            .get(field)
            .and_then(Value::as_object)
            .is_some_and(|headers| headers.len() > MAX_HEADERS)
    })
}

/// An HTTP API simple answer; the context is an empty object when there is none.
pub(crate) fn simple_response(
    authorized: bool,
    context: Option<AuthContext>,
) -> ApiGatewayV2CustomAuthorizerSimpleResponse<Value> {
    let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::<Value>::default();
    response.is_authorized = authorized;
    response.context = context
        .and_then(|c| serde_json::to_value(c).ok())
        .unwrap_or_else(|| Value::Object(Default::default()));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request_with_headers(field: &str, names: usize) -> Value {
        let headers: serde_json::Map<String, Value> =
            (0..names).map(|i| (format!("h{i}"), json!("v"))).collect();
        json!({
            "type": "REQUEST",
            "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/echo",
            field: headers,
            "requestContext": {},
        })
    }

    #[test]
    fn request_id_and_route_for_logs() {
        let request = AuthorizerEvent::from_value(json!({
            "type": "REQUEST",
            "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/items/42",
            "resource": "/items/{id}",
            "httpMethod": "GET",
            "requestContext": {"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
        }))
        .unwrap();
        assert_eq!(
            request.api_request_id(),
            Some("c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
        );
        assert_eq!(request.route_key().as_deref(), Some("GET /items/{id}"));

        let http = AuthorizerEvent::from_value(json!({
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": "arn:aws:execute-api:us-east-1:123456789012:abc/$default/GET/items/42",
            "routeKey": "GET /items/{id}",
            "requestContext": {"requestId": "JKJaXmPLvHcESHA=", "http": {"method": "GET", "path": "/items/42", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "t"}},
        }))
        .unwrap();
        assert_eq!(http.api_request_id(), Some("JKJaXmPLvHcESHA="));
        assert_eq!(http.route_key().as_deref(), Some("GET /items/{id}"));

        let token = AuthorizerEvent::from_value(json!({
            "type": "TOKEN",
            "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/echo",
            "authorizationToken": "Bearer x",
        }))
        .unwrap();
        assert_eq!(token.api_request_id(), None);
        assert_eq!(token.route_key(), None);

        let forged = AuthorizerEvent::from_value(json!({
            "type": "REQUEST",
            "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/echo",
            "resource": "/echo\n{\"outcome\":\"allowed\"}",
            "httpMethod": "GET",
            "requestContext": {"requestId": "x".repeat(MAX_LOGGED_ID + 1)},
        }))
        .unwrap();
        assert_eq!(forged.api_request_id(), None);
        assert_eq!(forged.route_key(), None);
    }

    #[test]
    fn refuses_more_header_names_than_max_headers_without_panicking() {
        for field in ["headers", "multiValueHeaders"] {
            assert!(AuthorizerEvent::from_value(request_with_headers(field, MAX_HEADERS)).is_ok());
            for names in [MAX_HEADERS + 1, 24_577] {
                assert_eq!(
                    AuthorizerEvent::from_value(request_with_headers(field, names)).unwrap_err(),
                    EventError("too many header names"),
                    "{field}: {names}"
                );
            }
        }
    }
}
