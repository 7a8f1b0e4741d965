//! `InitiateAuth`: `USER_SRP_AUTH` (answered with the `PASSWORD_VERIFIER` challenge),
//! `USER_PASSWORD_AUTH` and `REFRESH_TOKEN_AUTH`, each only where the client's
//! `ExplicitAuthFlows` allow it; and what every successful sign-in answers (`finish`): tokens, or
//! the `NEW_PASSWORD_REQUIRED` challenge after a temporary password.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Call;
use super::secret_hash;
use crate::issuer::USER_ADMIN_SCOPE;
use crate::issuer::authenticate::{self, Outcome};
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::directory::{Directory, TemporaryProof, hex};
use crate::issuer::lockout::Subject;
use crate::issuer::pending::{self, ChallengeWait, SrpWait};
use crate::issuer::pre_token::TriggerSource;
use crate::issuer::sign_ins::{self, Issued, RefreshProblem, SignIn};
use crate::issuer::srp::{Exchange, SrpVerifier};
use crate::state::StoredUser;
use crate::template::{AppClient, AuthFlow};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitiateAuth {
    auth_flow: Option<String>,
    #[serde(default)]
    auth_parameters: BTreeMap<String, String>,
    client_id: Option<String>,
}

/// The app client `id`, or `ResourceNotFoundException`.
pub(crate) fn client<'a>(call: &Call<'a>, id: Option<&str>) -> Result<&'a AppClient, CognitoError> {
    let id = id.ok_or_else(|| CognitoError::missing("clientId"))?;
    call.issuer.client(id).ok_or_else(|| {
        CognitoError::ResourceNotFound(format!("User pool client {id} does not exist."))
    })
}

/// `InvalidParameterException` unless the client's `ExplicitAuthFlows` allow `flow` (`name`).
pub(crate) fn allowed(client: &AppClient, flow: AuthFlow, name: &str) -> Result<(), CognitoError> {
    if client.auth_flows.contains(&flow) {
        Ok(())
    } else {
        Err(CognitoError::InvalidParameter(format!(
            "{name} flow not enabled for this client"
        )))
    }
}

/// `AuthParameters[name]` / `ChallengeResponses[name]`, required.
pub(crate) fn param<'a>(
    params: &'a BTreeMap<String, String>,
    name: &str,
) -> Result<&'a str, CognitoError> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| CognitoError::InvalidParameter(format!("Missing required parameter {name}")))
}

pub(crate) fn initiate_auth(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: InitiateAuth = call.input()?;
    let client = client(call, input.client_id.as_deref())?;
    let name = input
        .auth_flow
        .ok_or_else(|| CognitoError::missing("authFlow"))?;
    let flow = flow(&name)?;
    allowed(client, flow, &name)?;
    let params = &input.auth_parameters;
    match flow {
        AuthFlow::UserPassword => password_auth(call, client, params),
        AuthFlow::UserSrp => srp_auth(call, client, params),
        AuthFlow::RefreshToken => refresh_auth(call, client, params),
        AuthFlow::Custom | AuthFlow::UserAuth | AuthFlow::AdminUserPassword => {
            Err(CognitoError::UnsupportedOperation(format!(
                "{name} is not emulated by the offline stack (custom challenges need Lambda triggers; choice-based sign-in is not served)"
            )))
        }
    }
}

fn flow(name: &str) -> Result<AuthFlow, CognitoError> {
    match name {
        "USER_SRP_AUTH" => Ok(AuthFlow::UserSrp),
        "USER_PASSWORD_AUTH" => Ok(AuthFlow::UserPassword),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => Ok(AuthFlow::RefreshToken),
        "CUSTOM_AUTH" => Ok(AuthFlow::Custom),
        "USER_AUTH" => Ok(AuthFlow::UserAuth),
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => Err(CognitoError::InvalidParameter(
            "Initiate Auth method not supported.".to_owned(),
        )),
        _ => Err(unknown_flow()),
    }
}

/// `AuthFlow` is not one of the service's.
pub(crate) fn unknown_flow() -> CognitoError {
    CognitoError::InvalidParameter(
        "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]".to_owned(),
    )
}

/// `USERNAME` and `PASSWORD` (`USER_PASSWORD_AUTH`, `ADMIN_USER_PASSWORD_AUTH`): tokens, or the
/// `NEW_PASSWORD_REQUIRED` challenge.
pub(crate) fn password_auth(
    call: &Call<'_>,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let username = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    secret_hash::check(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username],
    )?;
    let outcome = authenticate::password(
        call.issuer.directory(),
        client,
        username,
        password,
        call.now,
    )?;
    finish(call, client, outcome, TriggerSource::Authentication)
}

fn srp_auth(
    call: &Call<'_>,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let username = param(params, "USERNAME")?;
    let srp_a = param(params, "SRP_A")?;
    secret_hash::check(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username],
    )?;
    let (verifier, subject, user_id) = srp_user(call, client, username)?;
    let sub = match &subject {
        Subject::User(sub) => Some(sub.clone()),
        Subject::Unknown(_) => None,
    };
    let exchange = Exchange::start(srp_a, &verifier)
        .map_err(|e| CognitoError::InvalidParameter(format!("SRP_A: {e}")))?;
    let mut block = [0u8; 128];
    aws_lc_rs::rand::fill(&mut block)
        .map_err(|_| CognitoError::Internal("no randomness".to_owned()))?;
    let secret_block = STANDARD.encode(block);
    let parameters = json!({
        "SALT": hex(&verifier.salt),
        "SECRET_BLOCK": secret_block,
        "SRP_B": exchange.srp_b_hex(),
        "USERNAME": user_id,
        "USER_ID_FOR_SRP": user_id,
    });
    let wait = SrpWait {
        exchange,
        verifier,
        sub,
        subject,
        user_id,
        client_id: client.credentials.client_id.clone(),
    };
    let expires = call.now + client.auth_session_minutes * 60;
    call.issuer
        .pending()
        .lock()
        .srp
        .insert(secret_block, wait, expires, call.now);
    Ok(json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters}))
}

/// The SRP verifier, lockout subject and `USER_ID_FOR_SRP` of the user signing in as `username` (their
/// user name, whatever alias they typed; a disabled user too: that is said only once their
/// password is proven). For a name nobody has, when the client hides who exists, Cognito's
/// simulated response: the same salt and a user id in UUID form for the same name and pool
/// ([`SrpVerifier::simulated`]), an exchange nobody can complete.
fn srp_user(
    call: &Call<'_>,
    client: &AppClient,
    username: &str,
) -> Result<(SrpVerifier, Subject, String), CognitoError> {
    let directory = call.issuer.directory();
    let user = directory.find(username)?;
    let subject = authenticate::subject(directory, client, user.as_ref(), username)
        .ok_or_else(|| authenticate::unknown_user(client))?;
    match (user, &subject) {
        (Some(user), _) => Ok((Directory::srp_verifier(&user), subject, user.username)),
        (None, Subject::User(_)) => Err(CognitoError::UserNotFound),
        (None, Subject::Unknown(key)) => {
            let (verifier, user_id) = SrpVerifier::simulated(&directory.secret().0, key);
            Ok((verifier, subject, user_id))
        }
    }
}

pub(crate) fn refresh_auth(
    call: &Call<'_>,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let token = param(params, "REFRESH_TOKEN")?;
    let directory = call.issuer.directory();
    if client.has_secret {
        let hash = crate::issuer::tokens::refresh_hash(token);
        let found = directory.read(|p| match p.sign_in_by_refresh(&hash)? {
            Some((_, sign_in)) => p.user(&sign_in.sub),
            None => Ok(None),
        })?;
        let user =
            found.ok_or_else(|| CognitoError::NotAuthorized("Invalid Refresh Token".to_owned()))?;
        let names = [
            params.get("USERNAME").map_or("", String::as_str),
            user.username.as_str(),
            user.sub.as_str(),
        ];
        secret_hash::check(
            client,
            params.get("SECRET_HASH").map(String::as_str),
            &names,
        )?;
    }
    let (issued, _) = sign_ins::refresh(directory, call.issuer.minter(), client, token, call.now)
        .map_err(|problem| match problem {
        RefreshProblem::Unavailable => CognitoError::Internal(problem.to_string()),
        RefreshProblem::Trigger(e) => e.into(),
        _ => CognitoError::NotAuthorized(problem.to_string()),
    })?;
    Ok(authentication_result(&issued))
}

/// Tokens for a right password, or the `NEW_PASSWORD_REQUIRED` challenge.
pub(crate) fn finish(
    call: &Call<'_>,
    client: &AppClient,
    outcome: Outcome,
    source: TriggerSource,
) -> Result<Value, CognitoError> {
    match outcome {
        Outcome::SignedIn(user) => {
            let request = SignIn {
                user: &user,
                client,
                scopes: vec![USER_ADMIN_SCOPE.to_owned()],
                hosted: false,
                nonce: None,
                with_id: true,
                source,
            };
            let issued = sign_ins::sign_in(
                call.issuer.directory(),
                call.issuer.minter(),
                &request,
                call.now,
            )?;
            Ok(authentication_result(&issued))
        }
        Outcome::MustChange(user) => Ok(new_password_required(call, client, &user)),
    }
}

/// `{"AuthenticationResult": {...}, "ChallengeParameters": {}}`.
pub(crate) fn authentication_result(issued: &Issued) -> Value {
    let mut result = json!({
        "AccessToken": issued.access,
        "ExpiresIn": issued.expires_in,
        "TokenType": "Bearer",
    });
    if let Some(id) = &issued.id {
        result["IdToken"] = json!(id);
    }
    if let Some(refresh) = &issued.refresh {
        result["RefreshToken"] = json!(refresh);
    }
    json!({"AuthenticationResult": result, "ChallengeParameters": {}})
}

/// The `NEW_PASSWORD_REQUIRED` challenge, with a `Session` valid for the client's
/// `AuthSessionValidity`.
fn new_password_required(call: &Call<'_>, client: &AppClient, user: &StoredUser) -> Value {
    let session = pending::new_key();
    let wait = ChallengeWait {
        proof: TemporaryProof::of(user),
        client_id: client.credentials.client_id.clone(),
        challenge: "NEW_PASSWORD_REQUIRED",
    };
    let expires = call.now + client.auth_session_minutes * 60;
    call.issuer
        .pending()
        .lock()
        .challenges
        .insert(session.clone(), wait, expires, call.now);
    let attributes: serde_json::Map<String, Value> = user
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": session,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": "[]",
            "userAttributes": Value::Object(attributes).to_string(),
        },
    })
}
