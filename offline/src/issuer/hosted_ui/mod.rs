//! The hosted UI, on the pool's domain as Cognito serves it: `/oauth2/authorize` (code grant,
//! `authorize`), the plain HTML login form (`login`, `page`), `/logout` (`logout`) and the error
//! page. The endpoints a client calls with `fetch` (token, userInfo, revoke) are `oauth`'s.
//!
//! Cookies: `XSRF-TOKEN` binds a login form to its authorization request (the form's `_csrf`
//! must equal it and name a request the server keeps), `cognito` is the browser's sign-in
//! session (one hour), so a second `/oauth2/authorize` signs in without the form until `/logout`.
//! Both are `HttpOnly; SameSite=Lax` and, on plain-HTTP localhost, not `Secure`.

pub(crate) mod authorize;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod page;

use crate::message::{AuthorizerUse, Request, Response};

pub(crate) const AUTHORIZE_PATH: &str = "/oauth2/authorize";
pub(crate) const LOGIN_PATH: &str = "/login";
pub(crate) const LOGOUT_PATH: &str = "/logout";
pub(crate) const ERROR_PATH: &str = "/error";

/// The browser session cookie, as Cognito names it.
pub(crate) const SESSION_COOKIE: &str = "cognito";
/// The login form's anti-forgery cookie, as Cognito names it.
pub(crate) const XSRF_COOKIE: &str = "XSRF-TOKEN";
/// How long a browser stays signed in to the hosted UI.
pub(crate) const SESSION_SECONDS: u64 = 3600;

/// Whether `path` is one of the hosted UI's.
pub(crate) fn serves(path: &str) -> bool {
    [AUTHORIZE_PATH, LOGIN_PATH, LOGOUT_PATH, ERROR_PATH].contains(&path)
}

/// The query's parameters, in order.
pub(crate) fn query_params(request: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(request.query.as_deref().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The value of cookie `name` in the request's `Cookie` header.
pub(crate) fn cookie<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// `Set-Cookie` for `name=value`, host-only, `HttpOnly; SameSite=Lax`; `None` clears it.
pub(crate) fn set_cookie(name: &str, value: Option<&str>, max_age: u64) -> (String, String) {
    let value = match value {
        Some(v) => format!("{name}={v}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"),
        None => format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    };
    ("set-cookie".to_owned(), value)
}

/// A 302 to `location`.
pub(crate) fn redirect(location: &str, reason: &str) -> Response {
    Response {
        status: 302,
        headers: vec![
            ("location".to_owned(), location.to_owned()),
            ("cache-control".to_owned(), "no-store".to_owned()),
        ],
        body: Vec::new(),
        reason: reason.to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

/// `base` with `params` appended to its query.
pub(crate) fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        query.append_pair(name, value);
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", query.finish())
}

/// The answer of the hosted UI to `request` at `now`.
pub fn answer(issuer: &super::Issuer, request: &Request, now: u64) -> Response {
    let method = request.method.as_str();
    match (request.path.as_str(), method) {
        (AUTHORIZE_PATH, "GET") => authorize::authorize(issuer, request, now),
        (LOGIN_PATH, "GET") => login::show(issuer, request, now),
        (LOGIN_PATH, "POST") => login::submit(issuer, request, now),
        (LOGOUT_PATH, "GET") => logout::logout(issuer, request),
        (ERROR_PATH, "GET") => error_page(request),
        _ => method_not_allowed(),
    }
}

/// The page refusing a method an endpoint does not take.
pub(crate) fn method_not_allowed() -> Response {
    page::html(
        405,
        &page::message(
            "Method not allowed",
            "This endpoint does not take this method.",
        ),
        "method_not_allowed",
    )
}

/// `/error?error=...`: what went wrong, for a browser that cannot be sent back to its app.
fn error_page(request: &Request) -> Response {
    let params = query_params(request);
    let get = |n: &str| {
        params
            .iter()
            .find(|(k, _)| k == n)
            .map_or("", |(_, v)| v.as_str())
    };
    let detail = format!("{} {}", get("error"), get("error_description"));
    page::html(
        400,
        &page::message(
            "An error was encountered with the requested page.",
            detail.trim(),
        ),
        "error_page",
    )
}
