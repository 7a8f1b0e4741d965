//! An HTTP API's CORS at run time ("Configure CORS for HTTP APIs in API Gateway"): API Gateway
//! answers the preflight itself (an `OPTIONS` request with `Origin` and
//! `Access-Control-Request-Method`), before any route or authorizer, and adds the CORS headers to
//! the other answers of a request with an allowed `Origin`; the integration's own CORS headers
//! are ignored. An origin that is not allowed gets no CORS header at all.

use crate::message::{AuthorizerUse, Request, Response};
use crate::template::HttpCors;

/// The preflight answer (204, no body), when `request` is a preflight.
pub(crate) fn preflight(cors: &HttpCors, request: &Request) -> Option<Response> {
    if request.method != "OPTIONS" {
        return None;
    }
    let origin = request.header("origin")?;
    request.header("access-control-request-method")?;
    let headers = cors
        .allowed_origin(origin)
        .map(|allowed| cors.preflight_headers(allowed))
        .unwrap_or_default();
    Some(Response {
        status: 204,
        headers,
        body: Vec::new(),
        reason: "cors_preflight".to_owned(),
        authorizer: AuthorizerUse::None,
    })
}

/// `response` as the API sends it: without the integration's CORS headers, with the configured
/// ones when the request's origin is allowed.
pub(crate) fn add_headers(cors: &HttpCors, request: &Request, response: &mut Response) {
    response
        .headers
        .retain(|(name, _)| !name.to_ascii_lowercase().starts_with("access-control-"));
    let allowed = request
        .header("origin")
        .and_then(|origin| cors.allowed_origin(origin));
    if let Some(allowed) = allowed {
        response.headers.extend(cors.response_headers(allowed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cors() -> HttpCors {
        HttpCors {
            allow_origins: vec!["http://localhost:3000".to_owned()],
            allow_methods: vec!["GET".to_owned()],
            ..HttpCors::default()
        }
    }

    fn request(method: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            method: method.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            ..Request::default()
        }
    }

    #[test]
    fn only_a_preflight_is_answered_and_only_an_allowed_origin_named() {
        let origin = ("Origin", "http://localhost:3000");
        let method = ("Access-Control-Request-Method", "GET");
        let answer = preflight(&cors(), &request("OPTIONS", &[origin, method])).unwrap();
        assert_eq!(answer.status, 204);
        assert!(answer.headers.contains(&(
            "Access-Control-Allow-Origin".to_owned(),
            "http://localhost:3000".to_owned()
        )));
        let other = ("Origin", "http://evil.example");
        let answer = preflight(&cors(), &request("OPTIONS", &[other, method])).unwrap();
        assert_eq!((answer.status, answer.headers.len()), (204, 0));
        assert!(preflight(&cors(), &request("OPTIONS", &[origin])).is_none());
        assert!(preflight(&cors(), &request("GET", &[origin, method])).is_none());

        let mut response = Response::json(200, &serde_json::json!({}), "ok");
        response
            .headers
            .push(("access-control-allow-origin".to_owned(), "x".to_owned()));
        add_headers(&cors(), &request("GET", &[other]), &mut response);
        assert!(
            !response
                .headers
                .iter()
                .any(|(n, _)| n.starts_with("access-control"))
        );
        add_headers(&cors(), &request("GET", &[origin]), &mut response);
        assert_eq!(response.headers.last().unwrap().1, "http://localhost:3000");
    }
}
