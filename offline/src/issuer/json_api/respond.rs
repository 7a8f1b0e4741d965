//! `RespondToAuthChallenge`: `PASSWORD_VERIFIER` (the SRP proof, Cognito's variant) and
//! `NEW_PASSWORD_REQUIRED` (a new password after a temporary one, checked against the pool's
//! policy). Other challenges (MFA, custom, devices) are not emulated and say so.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;

use super::Call;
use super::initiate::{client, finish, param};
use super::secret_hash;
use crate::issuer::authenticate;
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::lockout;
use crate::issuer::pending::ChallengeWait;
use crate::issuer::pre_token::TriggerSource;
use crate::issuer::users::{self, Attribute};
use crate::template::AppClient;
use crate::template::resources::cognito::CustomAttribute;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Respond {
    client_id: Option<String>,
    challenge_name: Option<String>,
    session: Option<String>,
    #[serde(default)]
    challenge_responses: BTreeMap<String, String>,
}

pub(crate) fn respond_to_auth_challenge(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: Respond = call.input()?;
    let client = client(call, input.client_id.as_deref())?;
    let name = input
        .challenge_name
        .as_deref()
        .ok_or_else(|| CognitoError::missing("challengeName"))?;
    let responses = &input.challenge_responses;
    match name {
        "PASSWORD_VERIFIER" => password_verifier(call, client, responses),
        "NEW_PASSWORD_REQUIRED" => new_password(call, client, input.session.as_deref(), responses),
        "SMS_MFA"
        | "SOFTWARE_TOKEN_MFA"
        | "EMAIL_OTP"
        | "SMS_OTP"
        | "SELECT_MFA_TYPE"
        | "MFA_SETUP"
        | "CUSTOM_CHALLENGE"
        | "DEVICE_SRP_AUTH"
        | "DEVICE_PASSWORD_VERIFIER"
        | "ADMIN_NO_SRP_AUTH"
        | "SELECT_CHALLENGE"
        | "PASSWORD"
        | "PASSWORD_SRP"
        | "WEB_AUTHN" => Err(CognitoError::UnsupportedOperation(format!(
            "The {name} challenge is not emulated by the offline stack"
        ))),
        _ => Err(CognitoError::InvalidParameter(format!(
            "Invalid challenge name {name}"
        ))),
    }
}

/// The client's SRP proof for the exchange its `PASSWORD_CLAIM_SECRET_BLOCK` names.
fn password_verifier(
    call: &Call<'_>,
    client: &AppClient,
    responses: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let username = param(responses, "USERNAME")?;
    let block_text = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let wait = call.issuer.pending().lock().srp.take(block_text, call.now);
    let wait = wait
        .filter(|w| w.client_id == client.credentials.client_id)
        .ok_or_else(CognitoError::wrong_password)?;
    secret_hash::check(
        client,
        responses.get("SECRET_HASH").map(String::as_str),
        &[username, &wait.user_id],
    )?;
    let block = STANDARD
        .decode(block_text)
        .map_err(|_| CognitoError::wrong_password())?;
    let directory = call.issuer.directory();
    let attempt = lockout::begin(directory, &wait.subject, call.now)?;
    let proven = wait.exchange.verify_claim(
        &wait.verifier,
        directory.pool_name(),
        &wait.user_id,
        &block,
        timestamp,
        signature,
    );
    let user = wait
        .sub
        .filter(|_| proven)
        .map(|sub| directory.by_sub(&sub))
        .transpose()?
        .flatten()
        .ok_or_else(CognitoError::wrong_password)?;
    lockout::forgive(directory, attempt)?;
    let outcome = authenticate::usable(user, call.now)?;
    finish(call, client, outcome, TriggerSource::Authentication)
}

/// A new password for the user of `session`, then tokens.
fn new_password(
    call: &Call<'_>,
    client: &AppClient,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let session = session.ok_or_else(|| {
        CognitoError::InvalidParameter("Missing required parameter Session".to_owned())
    })?;
    let (wait, expires) = take_session(call, client, session)?;
    let directory = call.issuer.directory();
    let user = directory
        .by_sub(&wait.proof.sub)?
        .ok_or(CognitoError::UserNotFound)?;
    let retry = |e: CognitoError| {
        // A refused password leaves the session usable for another try until it expires, as on
        // Cognito: its expiry is the one `InitiateAuth` set (`AuthSessionValidity`), not renewed.
        // A session the user's state ended (`NotAuthorizedException`) is not put back.
        if !matches!(e, CognitoError::NotAuthorized(_)) {
            call.issuer.pending().lock().challenges.insert(
                session.to_owned(),
                wait.clone(),
                expires,
                call.now,
            );
        }
        e
    };
    let username = responses
        .get("USERNAME")
        .map_or(user.username.as_str(), String::as_str);
    secret_hash::check(
        client,
        responses.get("SECRET_HASH").map(String::as_str),
        &[username, &user.username],
    )
    .map_err(retry)?;
    let password = param(responses, "NEW_PASSWORD").map_err(retry)?;
    let custom = &directory.settings().custom_attributes;
    let attributes = new_attributes(responses, custom).map_err(retry)?;
    let user = directory
        .replace_temporary(&wait.proof, password, attributes, call.now)
        .map_err(retry)?;
    let outcome = authenticate::usable(user, call.now)?;
    finish(call, client, outcome, TriggerSource::NewPasswordChallenge)
}

/// The `NEW_PASSWORD_REQUIRED` session `session` of `client`, taken (each is answered once, or
/// put back after a refused password), with its expiry.
fn take_session(
    call: &Call<'_>,
    client: &AppClient,
    session: &str,
) -> Result<(ChallengeWait, u64), CognitoError> {
    let wait = call
        .issuer
        .pending()
        .lock()
        .challenges
        .take_with_expiry(session, call.now);
    wait.filter(|(w, _)| {
        w.client_id == client.credentials.client_id && w.challenge == "NEW_PASSWORD_REQUIRED"
    })
    .ok_or_else(|| {
        CognitoError::NotAuthorized("Invalid session for the user, session is expired.".to_owned())
    })
}

/// `userAttributes.<name>` responses: standard attributes the user sets while changing password.
fn new_attributes(
    responses: &BTreeMap<String, String>,
    custom: &[CustomAttribute],
) -> Result<Vec<(String, String)>, CognitoError> {
    let list: Vec<Attribute> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.").map(|name| Attribute {
                name: name.to_owned(),
                value: Some(v.clone()),
            })
        })
        .collect();
    users::read_attributes(&list, custom)
}
