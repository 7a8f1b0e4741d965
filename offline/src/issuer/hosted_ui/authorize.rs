//! `GET /oauth2/authorize`: the authorization request checked as Cognito checks it (an unknown
//! client or a `redirect_uri` that is not a callback URL goes to the error page, never to the
//! URL; other errors go back to `redirect_uri` with `error` and `state`), then either a code
//! straight away for a browser already signed in, or the login form.

use super::{LOGIN_PATH, SESSION_COOKIE, cookie, query_params, redirect, with_query};
use crate::issuer::Issuer;
use crate::issuer::oauth::{AuthorizeRefusal, AuthorizeRequest};
use crate::issuer::pending::{self, CodeGrant};
use crate::message::{Request, Response};
use crate::state::UserStatus;

/// How long an authorization code may be redeemed, as Cognito's (5 minutes).
pub(crate) const CODE_SECONDS: u64 = 300;

pub(crate) fn authorize(issuer: &Issuer, request: &Request, now: u64) -> Response {
    let params = query_params(request);
    let authorize = match AuthorizeRequest::read(&params, issuer.clients()) {
        Ok(r) => r,
        Err(refusal) => return refused(&refusal),
    };
    match signed_in(issuer, request, now) {
        Some(sub) => code(issuer, &authorize, sub, now),
        None => redirect(&format!("{LOGIN_PATH}?{}", authorize.query()), "login"),
    }
}

/// The user of the browser's hosted-UI session, if it is live and the user may still sign in.
pub(crate) fn signed_in(issuer: &Issuer, request: &Request, now: u64) -> Option<String> {
    let key = cookie(request, SESSION_COOKIE)?;
    let sub = issuer.pending().lock().browsers.get(key, now)?.sub.clone();
    let user = issuer.directory().by_sub(&sub).ok()??;
    (user.enabled && user.status == UserStatus::Confirmed).then_some(sub)
}

/// A new code for `sub`, sent to the request's `redirect_uri` with its `state`.
pub(crate) fn code(
    issuer: &Issuer,
    authorize: &AuthorizeRequest,
    sub: String,
    now: u64,
) -> Response {
    let code = pending::new_key();
    let mut params = vec![("code", code.as_str())];
    if let Some(state) = &authorize.state {
        params.push(("state", state));
    }
    let location = with_query(&authorize.redirect_uri, &params);
    let grant = CodeGrant {
        request: authorize.clone(),
        sub,
    };
    issuer
        .pending()
        .lock()
        .codes
        .insert(code.clone(), grant, now + CODE_SECONDS, now);
    redirect(&location, "code_issued")
}

/// Where a refused request goes: the error page, or back to the app with `error`.
pub(crate) fn refused(refusal: &AuthorizeRefusal) -> Response {
    match refusal {
        AuthorizeRefusal::Page(error, description) => redirect(
            &with_query(
                super::ERROR_PATH,
                &[("error", error.code()), ("error_description", description)],
            ),
            error.code(),
        ),
        AuthorizeRefusal::Redirect {
            redirect_uri,
            state,
            error,
            description,
        } => {
            let mut params = vec![
                ("error", error.code()),
                ("error_description", description.as_str()),
            ];
            if let Some(state) = state {
                params.push(("state", state));
            }
            redirect(&with_query(redirect_uri, &params), error.code())
        }
    }
}
