//! `GET|POST /oauth2/userInfo`: the user's attributes for an access token of a live sign-in
//! that carries `openid`, with Cognito's quirks (`email_verified` as the string `"true"`, and
//! `username`). A bad, expired or revoked token is 401 `invalid_token`.

use serde_json::{Map, Value, json};

use crate::issuer::Issuer;
use crate::issuer::sign_ins::{self, SessionProblem};
use crate::message::{Request, Response};

const INVALID: &str =
    "Access token is expired, disabled, or deleted, or the user has globally signed out.";

pub(crate) fn userinfo(issuer: &Issuer, request: &Request, now: u64) -> Response {
    let token = request
        .header("authorization")
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(token) = token else {
        return refusal(
            401,
            "invalid_request",
            "Authorization: Bearer <access token> is required.",
        );
    };
    let (claims, user) =
        match sign_ins::live_session(issuer.directory(), issuer.signer(), token, now) {
            Ok(session) => session,
            Err(SessionProblem::Unavailable) => {
                let error = json!({"error": "server_error"});
                return Response::json(500, &error, "server_error");
            }
            Err(_) => return refusal(401, "invalid_token", INVALID),
        };
    if !claims.scopes.iter().any(|s| s == "openid") {
        return refusal(
            403,
            "insufficient_scope",
            "The access token does not carry the openid scope.",
        );
    }
    let mut body = Map::new();
    body.insert("sub".into(), json!(user.sub));
    for (name, value) in &user.attributes {
        body.insert(name.clone(), json!(value));
    }
    body.insert("username".into(), json!(user.username));
    Response::json(200, &Value::Object(body), "ok")
}

fn refusal(status: u16, error: &str, description: &str) -> Response {
    let mut answer = Response::json(
        status,
        &json!({"error": error, "error_description": description}),
        error,
    );
    answer.headers.push((
        "www-authenticate".to_owned(),
        format!("Bearer error=\"{error}\", error_description=\"{description}\""),
    ));
    answer
}
