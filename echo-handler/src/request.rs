//! One view of a REST API (payload 1.0) or HTTP API (payload 2.0) proxy event.

use crate::error::EchoError;
use aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayRequestAuthorizerJwtDescription, ApiGatewayV2httpRequest,
};
use aws_lambda_events::http::HeaderMap;
use aws_lambda_events::query_map::QueryMap;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Most header names a proxy event may carry in `headers` or `multiValueHeaders`.
///
/// API Gateway delivers at most 10 KB of request headers, far fewer names than this. The `http`
/// header map the event types deserialize into panics (`size overflows MAX_SIZE`) for a map of
/// more than 24,576 names, which only a direct invocation could send: such a payload is refused
/// as [`EchoError::InvalidEvent`] before it is deserialized.
pub const MAX_HEADERS: usize = 4096;

/// Which proxy payload format the event uses; the response is shaped to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadVersion {
    /// REST API proxy integration (and HTTP API payload 1.0): `version` absent or `"1.0"`.
    V1,
    /// HTTP API payload 2.0: `"version": "2.0"`.
    V2,
}

impl PayloadVersion {
    /// Detects the version from the payload's `version` field.
    ///
    /// # Errors
    /// [`EchoError::NotAnObject`] for a non-object payload, [`EchoError::UnsupportedVersion`] for a
    /// `version` other than `"1.0"` or `"2.0"`.
    pub fn detect(event: &Value) -> Result<Self, EchoError> {
        let object = event.as_object().ok_or(EchoError::NotAnObject)?;
        match object.get("version") {
            None | Some(Value::Null) => Ok(Self::V1),
            Some(Value::String(v)) if v == "1.0" => Ok(Self::V1),
            Some(Value::String(v)) if v == "2.0" => Ok(Self::V2),
            Some(_) => Err(EchoError::UnsupportedVersion),
        }
    }

    /// Human-readable name, used in error messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::V1 => "REST API (payload 1.0)",
            Self::V2 => "HTTP API (payload 2.0)",
        }
    }
}

/// The parts of a proxy request the echo needs, whichever the payload version.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Payload version of the event, and so of the response.
    pub version: PayloadVersion,
    /// HTTP method (REST: `httpMethod`; HTTP API: `requestContext.http.method`).
    pub method: String,
    /// Request path (REST: `path`; HTTP API: `rawPath`).
    pub path: Option<String>,
    /// Path parameters (empty when none).
    pub path_parameters: BTreeMap<String, String>,
    /// Query string parameters; repeated keys joined with `,` as HTTP API does.
    pub query_string_parameters: BTreeMap<String, String>,
    /// Single-value request headers (HTTP API's `cookies` array is never read).
    pub headers: HeaderMap,
    /// Raw body as delivered, if any.
    pub body: Option<String>,
    /// Whether `body` is base64 (binary).
    pub is_base64_encoded: bool,
    /// Authorizer context (REST: `requestContext.authorizer`, a Cognito authorizer's `claims`
    /// included; HTTP API: `requestContext.authorizer.lambda`); empty when the request had no
    /// Lambda or Cognito authorizer.
    pub authorizer: HashMap<String, Value>,
    /// HTTP API: a JWT authorizer's `requestContext.authorizer.jwt` (`claims`, `scopes`).
    pub jwt: Option<ApiGatewayRequestAuthorizerJwtDescription>,
    /// API Gateway request id, for logs.
    pub request_id: Option<String>,
}

/// Each key's values joined with `,`; a key with no values (`{"a": []}`) is left out.
///
/// Read through the map's serialized form, `{"key": ["value", ...]}`: `QueryMap::iter`
/// (query_map 0.7) indexes each key's first value and panics on a key with none.
fn query(map: &QueryMap) -> BTreeMap<String, String> {
    let Ok(Value::Object(keys)) = serde_json::to_value(map) else {
        return BTreeMap::new();
    };
    keys.into_iter()
        .filter_map(|(key, values)| {
            let values: Vec<&str> = values
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            (!values.is_empty()).then(|| (key, values.join(",")))
        })
        .collect()
}

/// Whether `headers` or `multiValueHeaders` is an object with more than [`MAX_HEADERS`] names.
fn too_many_headers(event: &Value) -> bool {
    ["headers", "multiValueHeaders"].iter().any(|field| {
        event
            .get(field)
            .and_then(Value::as_object)
            .is_some_and(|headers| headers.len() > MAX_HEADERS)
    })
}

impl Incoming {
    /// Parses a proxy event of either version.
    ///
    /// # Errors
    /// See [`PayloadVersion::detect`]; [`EchoError::InvalidEvent`] when the payload does not have
    /// the detected version's shape (the serde message is dropped: it could quote header values)
    /// or has more than [`MAX_HEADERS`] header names.
    pub fn from_event(event: Value) -> Result<Self, EchoError> {
        let version = PayloadVersion::detect(&event)?;
        if too_many_headers(&event) {
            return Err(EchoError::InvalidEvent(version.name()));
        }
        match version {
            PayloadVersion::V1 => {
                let request: ApiGatewayProxyRequest = serde_json::from_value(event)
                    .map_err(|_| EchoError::InvalidEvent(version.name()))?;
                Ok(Self::from_v1(request))
            }
            PayloadVersion::V2 => {
                let request: ApiGatewayV2httpRequest = serde_json::from_value(event)
                    .map_err(|_| EchoError::InvalidEvent(version.name()))?;
                Ok(Self::from_v2(request))
            }
        }
    }

    fn from_v1(request: ApiGatewayProxyRequest) -> Self {
        Self {
            version: PayloadVersion::V1,
            method: request.http_method.as_str().to_owned(),
            path: request.path,
            path_parameters: request.path_parameters.into_iter().collect(),
            query_string_parameters: query(&request.query_string_parameters),
            headers: request.headers,
            body: request.body,
            is_base64_encoded: request.is_base64_encoded,
            authorizer: request.request_context.authorizer.fields,
            jwt: None,
            request_id: request.request_context.request_id,
        }
    }

    fn from_v2(request: ApiGatewayV2httpRequest) -> Self {
        let context = request.request_context;
        Self {
            version: PayloadVersion::V2,
            method: context.http.method.as_str().to_owned(),
            path: request.raw_path.or(context.http.path),
            path_parameters: request.path_parameters.into_iter().collect(),
            query_string_parameters: query(&request.query_string_parameters),
            headers: request.headers,
            body: request.body,
            is_base64_encoded: request.is_base64_encoded,
            jwt: context.authorizer.as_ref().and_then(|a| a.jwt.clone()),
            authorizer: context.authorizer.map(|a| a.fields).unwrap_or_default(),
            request_id: context.request_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_detection() {
        assert_eq!(
            PayloadVersion::detect(&json!({})).unwrap(),
            PayloadVersion::V1
        );
        assert_eq!(
            PayloadVersion::detect(&json!({"version": "1.0"})).unwrap(),
            PayloadVersion::V1
        );
        assert_eq!(
            PayloadVersion::detect(&json!({"version": "2.0"})).unwrap(),
            PayloadVersion::V2
        );
        assert!(matches!(
            PayloadVersion::detect(&json!({"version": "3.0"})),
            Err(EchoError::UnsupportedVersion)
        ));
        assert!(matches!(
            PayloadVersion::detect(&json!({"version": 2})),
            Err(EchoError::UnsupportedVersion)
        ));
        assert!(matches!(
            PayloadVersion::detect(&json!("GET /echo")),
            Err(EchoError::NotAnObject)
        ));
    }

    #[test]
    fn v2_reads_method_from_request_context_and_joins_repeated_query_keys() {
        let incoming = Incoming::from_event(json!({
            "version": "2.0",
            "routeKey": "POST /echo",
            "rawPath": "/echo",
            "rawQueryString": "a=1&a=2",
            "queryStringParameters": {"a": "1,2"},
            "cookies": ["session=abc"],
            "headers": {"content-type": "application/json"},
            "requestContext": {
                "http": {"method": "POST", "path": "/echo"},
                "authorizer": {"lambda": {"sub": "s"}}
            },
            "isBase64Encoded": false
        }))
        .unwrap();
        assert_eq!(incoming.version, PayloadVersion::V2);
        assert_eq!(incoming.method, "POST");
        assert_eq!(incoming.path.as_deref(), Some("/echo"));
        assert_eq!(
            incoming
                .query_string_parameters
                .get("a")
                .map(String::as_str),
            Some("1,2")
        );
        assert_eq!(incoming.authorizer.get("sub"), Some(&json!("s")));
    }

    #[test]
    fn more_header_names_than_max_headers_are_refused_without_panicking() {
        let event = |field: &str, names: usize| {
            let headers: serde_json::Map<String, Value> =
                (0..names).map(|i| (format!("h{i}"), json!("v"))).collect();
            json!({
                "httpMethod": "GET",
                field: headers,
                "requestContext": {"httpMethod": "GET"},
            })
        };
        for field in ["headers", "multiValueHeaders"] {
            assert!(Incoming::from_event(event(field, MAX_HEADERS)).is_ok());
            for names in [MAX_HEADERS + 1, 24_577] {
                assert!(
                    matches!(
                        Incoming::from_event(event(field, names)),
                        Err(EchoError::InvalidEvent("REST API (payload 1.0)"))
                    ),
                    "{field}: {names}"
                );
            }
        }
    }

    #[test]
    fn a_query_key_without_values_is_left_out_instead_of_panicking() {
        let query = json!({"": [], "a": [], "b": ["1", "2"], "c": "3"});
        let rest = json!({
            "httpMethod": "GET",
            "queryStringParameters": query,
            "requestContext": {"httpMethod": "GET"},
        });
        let http = json!({
            "version": "2.0",
            "queryStringParameters": query,
            "requestContext": {"http": {"method": "GET"}},
        });
        for event in [rest, http] {
            let incoming = Incoming::from_event(event).unwrap();
            assert_eq!(
                incoming.query_string_parameters,
                BTreeMap::from([
                    ("b".to_owned(), "1,2".to_owned()),
                    ("c".to_owned(), "3".to_owned())
                ]),
                "{:?}",
                incoming.version
            );
        }
    }

    #[test]
    fn malformed_events_are_errors_that_do_not_quote_the_event() {
        // REST event without `httpMethod` and with a header of the wrong type.
        let err = Incoming::from_event(json!({
            "path": "/echo",
            "headers": {"authorization": ["Bearer SECRET-TOKEN"]},
            "requestContext": {}
        }))
        .unwrap_err();
        assert!(matches!(err, EchoError::InvalidEvent(_)));
        assert!(!err.to_string().contains("SECRET"), "{err}");

        // HTTP API event without requestContext.http.
        let err =
            Incoming::from_event(json!({"version": "2.0", "requestContext": {}})).unwrap_err();
        assert!(matches!(
            err,
            EchoError::InvalidEvent("HTTP API (payload 2.0)")
        ));
    }
}
