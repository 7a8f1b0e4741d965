//! SAM's CORS preflight: the `OPTIONS` method's mock integration answers 200 with the template's
//! static `Access-Control-Allow-*` headers, whatever the request's `Origin` (the browser compares
//! the origin, API Gateway does not), without calling a function.

use crate::message::{AuthorizerUse, Response};

/// The mock integration's answer: 200, `Content-Type: application/json`, body `{}`, `headers`.
pub(crate) fn preflight(
    headers: &[(String, String)],
    reason: &str,
    authorizer: AuthorizerUse,
) -> Response {
    let mut all = vec![("content-type".to_owned(), "application/json".to_owned())];
    all.extend(headers.iter().cloned());
    Response {
        status: 200,
        headers: all,
        body: b"{}".to_vec(),
        reason: reason.to_owned(),
        authorizer,
    }
}
