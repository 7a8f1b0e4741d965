//! CORS for the endpoints a browser app calls with `fetch` (the token, userInfo and revoke
//! endpoints): a public client in a page served from another origin redeems its code and reads
//! the user from there. The caller's `Origin` is allowed (without credentials: these endpoints
//! read no cookie), and the preflight allows `Authorization` and `Content-Type`.

use crate::message::{AuthorizerUse, Request, Response};

/// `response` with `Access-Control-Allow-Origin` for the request's origin (`*` without one).
pub(crate) fn allow(request: &Request, mut response: Response) -> Response {
    let origin = request.header("origin").unwrap_or("*");
    response
        .headers
        .push(("access-control-allow-origin".to_owned(), origin.to_owned()));
    response
        .headers
        .push(("vary".to_owned(), "Origin".to_owned()));
    response
}

/// The answer to a preflight.
pub(crate) fn preflight(request: &Request) -> Response {
    let answer = Response {
        status: 204,
        headers: vec![
            (
                "access-control-allow-methods".to_owned(),
                "GET, POST, OPTIONS".to_owned(),
            ),
            (
                "access-control-allow-headers".to_owned(),
                "Authorization, Content-Type".to_owned(),
            ),
            ("access-control-max-age".to_owned(), "3600".to_owned()),
        ],
        body: Vec::new(),
        reason: "preflight".to_owned(),
        authorizer: AuthorizerUse::None,
    };
    allow(request, answer)
}
