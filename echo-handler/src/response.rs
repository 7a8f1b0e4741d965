//! Shapes an answer (status + JSON document) as the proxy response of the event's payload version.

use crate::cors::Cors;
use crate::error::EchoError;
use crate::request::PayloadVersion;
use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, header};
use serde_json::Value;

/// An HTTP answer before it is shaped for API Gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// JSON document sent as the body.
    pub body: Value,
}

impl Answer {
    /// An answer with `status` and a JSON `body`.
    #[must_use]
    pub fn new(status: u16, body: Value) -> Self {
        Self { status, body }
    }
}

fn headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // The echo reflects per-caller data: no shared cache may keep it.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers
}

/// Renders `answer` as an `ApiGatewayProxyResponse` (V1) or `ApiGatewayV2httpResponse` (V2), with
/// `Content-Type: application/json`, `Cache-Control: no-store` and the headers of `cors` for a
/// request whose `Origin` header is `request_origin` ([`Cors::apply`]), serialised to JSON.
///
/// # Errors
/// [`EchoError::Serialize`] if serialisation fails (not expected for plain JSON values).
pub fn render(
    version: PayloadVersion,
    answer: Answer,
    cors: &Cors,
    request_origin: Option<&[u8]>,
) -> Result<Value, EchoError> {
    let body = serde_json::to_string(&answer.body).map_err(|_| EchoError::Serialize)?;
    let mut headers = headers();
    cors.apply(request_origin, &mut headers);
    let rendered = match version {
        PayloadVersion::V1 => {
            let mut response = ApiGatewayProxyResponse::default();
            response.status_code = i64::from(answer.status);
            response.headers = headers;
            response.body = Some(Body::Text(body));
            response.is_base64_encoded = false;
            serde_json::to_value(response)
        }
        PayloadVersion::V2 => {
            let mut response = ApiGatewayV2httpResponse::default();
            response.status_code = i64::from(answer.status);
            response.headers = headers;
            response.body = Some(Body::Text(body));
            response.is_base64_encoded = false;
            serde_json::to_value(response)
        }
    };
    rendered.map_err(|_| EchoError::Serialize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_versions_carry_status_json_body_and_headers() {
        for version in [PayloadVersion::V1, PayloadVersion::V2] {
            let answer = Answer::new(413, json!({"message": "too big"}));
            let out = render(version, answer, &Cors::disabled(), None).unwrap();
            assert_eq!(out["statusCode"], 413, "{version:?}");
            assert_eq!(out["headers"]["content-type"], "application/json");
            assert_eq!(out["headers"]["cache-control"], "no-store");
            assert!(out["headers"].get("access-control-allow-origin").is_none());
            assert_eq!(out["isBase64Encoded"], false);
            let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
            assert_eq!(body, json!({"message": "too big"}));
        }
    }

    #[test]
    fn both_versions_carry_the_cors_headers() {
        let cors = Cors::for_origin("https://app.example.com").unwrap();
        for version in [PayloadVersion::V1, PayloadVersion::V2] {
            let sent = Some(&b"https://app.example.com"[..]);
            let out = render(version, Answer::new(200, json!({})), &cors, sent).unwrap();
            let headers = &out["headers"];
            assert_eq!(
                headers["access-control-allow-origin"], "https://app.example.com",
                "{version:?}"
            );
            assert_eq!(headers["vary"], "Origin", "{version:?}");
            assert_eq!(headers["content-type"], "application/json");
            let other = Some(&b"https://evil.example"[..]);
            let out = render(version, Answer::new(200, json!({})), &cors, other).unwrap();
            assert!(out["headers"].get("access-control-allow-origin").is_none());
            assert_eq!(out["headers"]["vary"], "Origin", "{version:?}");
        }
    }
}
