//! `/login`: the sign-in form (GET) and its submission (POST). The form is bound to its
//! authorization request by a nonce the server keeps: it is the form's `_csrf` field and the
//! `XSRF-TOKEN` cookie, and a submission must carry both, equal, naming a live form, so another
//! site can neither forge a sign-in nor swap the request. Wrong passwords count toward the user's
//! lockout (`issuer::lockout`), as every other way of signing in does, whatever form or page they
//! were posted from: during a lockout the form says `Password attempts exceeded`.
//! A temporary password leads to a new-password form (bound to that temporary password); success
//! sets the browser's session cookie and sends the code to the app.

use super::authorize::{code, refused};
use super::page;
use super::{
    LOGIN_PATH, SESSION_COOKIE, SESSION_SECONDS, XSRF_COOKIE, cookie, query_params, set_cookie,
};
use crate::issuer::Issuer;
use crate::issuer::authenticate::{self, Outcome};
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::directory::TemporaryProof;
use crate::issuer::lockout;
use crate::issuer::oauth::AuthorizeRequest;
use crate::issuer::pending::{self, BrowserSession, LoginForm};
use crate::message::{Request, Response};

/// How long a login form may be submitted.
pub(crate) const FORM_SECONDS: u64 = 900;

pub(crate) fn show(issuer: &Issuer, request: &Request, now: u64) -> Response {
    let authorize = match AuthorizeRequest::read(&query_params(request), issuer.clients()) {
        Ok(r) => r,
        Err(refusal) => return refused(&refusal),
    };
    let nonce = pending::new_key();
    let form = LoginForm {
        request: authorize.clone(),
        must_change_for: None,
    };
    issuer
        .pending()
        .lock()
        .logins
        .insert(nonce.clone(), form, now + FORM_SECONDS, now);
    let mut answer = page::html(
        200,
        &login_page(issuer, &authorize, &nonce, "", None),
        "login_form",
    );
    answer
        .headers
        .push(set_cookie(XSRF_COOKIE, Some(&nonce), FORM_SECONDS));
    answer
}

fn login_page(
    issuer: &Issuer,
    authorize: &AuthorizeRequest,
    nonce: &str,
    username: &str,
    error: Option<&str>,
) -> String {
    let name = issuer
        .client(&authorize.client_id)
        .map_or("", |c| c.name.as_str());
    page::login(&action(authorize), nonce, name, username, error)
}

fn action(authorize: &AuthorizeRequest) -> String {
    format!("{LOGIN_PATH}?{}", authorize.query())
}

pub(crate) fn submit(issuer: &Issuer, request: &Request, now: u64) -> Response {
    let fields: Vec<(String, String)> =
        form_urlencoded::parse(&request.body).into_owned().collect();
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let nonce = field("_csrf").unwrap_or_default();
    let cookie_nonce = cookie(request, XSRF_COOKIE).unwrap_or_default();
    let same = !nonce.is_empty()
        && aws_lc_rs::constant_time::verify_slices_are_equal(
            nonce.as_bytes(),
            cookie_nonce.as_bytes(),
        )
        .is_ok();
    let form = issuer.pending().lock().logins.get(nonce, now).cloned();
    let Some(form) = form.filter(|_| same) else {
        return expired();
    };
    match form.must_change_for.clone() {
        Some(proof) => change_password(
            issuer,
            form,
            nonce,
            &proof,
            field("new_password").unwrap_or_default(),
            now,
        ),
        None => check(
            issuer,
            form,
            nonce,
            field("username").unwrap_or_default(),
            field("password").unwrap_or_default(),
            now,
        ),
    }
}

fn check(
    issuer: &Issuer,
    form: LoginForm,
    nonce: &str,
    username: &str,
    password: &str,
    now: u64,
) -> Response {
    let Some(client) = issuer.client(&form.request.client_id) else {
        return page::html(400, &page::message("Unknown client", ""), "unknown_client");
    };
    match authenticate::password(issuer.directory(), client, username, password, now) {
        Ok(Outcome::SignedIn(user)) => signed_in(issuer, &form.request, nonce, user.sub, now),
        Ok(Outcome::MustChange(user)) => {
            let kept = issuer.pending().lock().logins.update(nonce, now, |f| {
                f.must_change_for = Some(TemporaryProof::of(&user));
            });
            match kept {
                Some(()) => page::html(
                    200,
                    &page::new_password(&action(&form.request), nonce, None),
                    "new_password_required",
                ),
                None => expired(),
            }
        }
        Err(e) => {
            let reason = match &e {
                CognitoError::UserNotFound => "user_not_found",
                e if *e == lockout::exceeded() => "attempts_exceeded",
                CognitoError::Internal(_) => "state_failed",
                _ => "wrong_password",
            };
            page::html(
                200,
                &login_page(issuer, &form.request, nonce, username, Some(&e.to_string())),
                reason,
            )
        }
    }
}

fn expired() -> Response {
    let text = page::message(
        "Sign-in expired",
        "This sign-in form expired or was not sent by this page. Go back to the app and sign in again.",
    );
    page::html(403, &text, "csrf_refused")
}

fn change_password(
    issuer: &Issuer,
    form: LoginForm,
    nonce: &str,
    proof: &TemporaryProof,
    new_password: &str,
    now: u64,
) -> Response {
    let changed = issuer
        .directory()
        .replace_temporary(proof, new_password, Vec::new(), now);
    match changed {
        Ok(user) => signed_in(issuer, &form.request, nonce, user.sub, now),
        // The user was disabled, or given another password, since the temporary one: the form
        // ends.
        Err(e @ CognitoError::NotAuthorized(_)) => {
            issuer.pending().lock().logins.remove(nonce);
            let text = page::message(&e.to_string(), "Go back to the app and sign in again.");
            page::html(400, &text, "new_password_session_ended")
        }
        Err(e) => page::html(
            200,
            &page::new_password(&action(&form.request), nonce, Some(&e.to_string())),
            "password_refused",
        ),
    }
}

/// Ends the form, starts the browser's session, and sends the code.
fn signed_in(
    issuer: &Issuer,
    authorize: &AuthorizeRequest,
    nonce: &str,
    sub: String,
    now: u64,
) -> Response {
    let session = pending::new_key();
    {
        let mut records = issuer.pending().lock();
        records.logins.remove(nonce);
        records.browsers.insert(
            session.clone(),
            BrowserSession { sub: sub.clone() },
            now + SESSION_SECONDS,
            now,
        );
    }
    let mut answer = code(issuer, authorize, sub, now);
    answer
        .headers
        .push(set_cookie(SESSION_COOKIE, Some(&session), SESSION_SECONDS));
    answer.headers.push(set_cookie(XSRF_COOKIE, None, 0));
    answer
}
