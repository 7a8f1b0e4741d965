//! `GET /logout`: ends the browser's hosted-UI session, then sends it to a registered sign-out
//! URL (`client_id` and `logout_uri`), or back to the login form (`client_id`, `redirect_uri`,
//! `response_type`, as an authorization request).

use super::authorize::refused;
use super::{
    ERROR_PATH, LOGIN_PATH, SESSION_COOKIE, cookie, query_params, redirect, set_cookie, with_query,
};
use crate::issuer::Issuer;
use crate::issuer::oauth::AuthorizeRequest;
use crate::message::{Request, Response};

pub(crate) fn logout(issuer: &Issuer, request: &Request) -> Response {
    let params = query_params(request);
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let client = get("client_id").and_then(|id| issuer.client(id));
    let Some(client) = client else {
        let location = with_query(
            ERROR_PATH,
            &[
                ("error", "invalid_request"),
                ("error_description", "unknown client_id"),
            ],
        );
        return redirect(&location, "invalid_request");
    };
    let mut answer = match get("logout_uri") {
        Some(uri) if client.logout_urls.iter().any(|u| u == uri) => redirect(uri, "logged_out"),
        Some(_) => {
            let location = with_query(
                ERROR_PATH,
                &[
                    ("error", "redirect_mismatch"),
                    (
                        "error_description",
                        "logout_uri is not one of the client's sign-out URLs",
                    ),
                ],
            );
            return redirect(&location, "redirect_mismatch");
        }
        None => match AuthorizeRequest::read(&params, issuer.clients()) {
            Ok(authorize) => redirect(&format!("{LOGIN_PATH}?{}", authorize.query()), "logged_out"),
            Err(refusal) => return refused(&refusal),
        },
    };
    if let Some(key) = cookie(request, SESSION_COOKIE) {
        issuer.pending().lock().browsers.remove(key);
    }
    answer.headers.push(set_cookie(SESSION_COOKIE, None, 0));
    answer
}
