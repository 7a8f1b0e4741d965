//! Sign-ins: what a successful authentication leaves behind (the refresh token's hash, the
//! `origin_jti` its tokens share, whether it was revoked), the tokens it issues, their renewal with
//! the refresh token, and revocation: `RevokeToken` ends one sign-in, `GlobalSignOut` all of a
//! user's. Access tokens of a revoked sign-in are refused by `GetUser` and `/oauth2/userInfo`, as
//! Cognito refuses them (the authorizer, which checks tokens offline, cannot see it).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::cognito_error::CognitoError;
use super::directory::Directory;
use super::pre_token::{PreToken, PreTokenError, Subject, TriggerSource};
use super::signer::Signer;
use super::tokens::{self, AccessClaims, AccessProblem, Grant};
use crate::state::{StoredSignIn, StoredUser};
use crate::template::AppClient;

/// Tokens issued by a sign-in or a refresh.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) access: String,
    pub(crate) id: Option<String>,
    /// Only at sign-in (a refresh does not rotate it).
    pub(crate) refresh: Option<String>,
    pub(crate) expires_in: u64,
}

/// How a person signed in.
#[derive(Debug, Clone)]
pub(crate) struct SignIn<'a> {
    pub(crate) user: &'a StoredUser,
    pub(crate) client: &'a AppClient,
    pub(crate) scopes: Vec<String>,
    /// From the hosted UI (tokens carry `version`, `at_hash`); the API flows otherwise.
    pub(crate) hosted: bool,
    pub(crate) nonce: Option<&'a str>,
    /// Whether an ID token is issued (the API flows always; the hosted UI with `openid`).
    pub(crate) with_id: bool,
    /// What the pre token generation trigger is told.
    pub(crate) source: TriggerSource,
}

/// How tokens are made: the pool's key, and its pre token generation trigger if it has one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Minter<'a> {
    pub(crate) signer: &'a Signer,
    pub(crate) pre_token: Option<&'a PreToken>,
}

/// Runs the trigger, records the sign-in and issues its tokens at `now`.
pub(crate) fn sign_in(
    directory: &Directory,
    minter: Minter<'_>,
    request: &SignIn<'_>,
    now: u64,
) -> Result<Issued, CognitoError> {
    let validity = &request.client.validity;
    let refresh = tokens::new_refresh_token();
    let origin_jti = authorizer::mint::random_id();
    let record = StoredSignIn {
        sub: request.user.sub.clone(),
        client_id: request.client.credentials.client_id.clone(),
        auth_time: now,
        event_id: authorizer::mint::random_id(),
        scopes: request.scopes.clone(),
        hosted: request.hosted,
        refresh_hash: tokens::refresh_hash(&refresh),
        refresh_expires: now + validity.refresh_seconds,
        tokens_expire: now + validity.access_seconds.max(validity.id_seconds),
        revoked: false,
    };
    let groups = directory.groups_of(request.user);
    let grant = Grant {
        user: request.user,
        groups: &groups,
        sign_in: &record,
        origin_jti: &origin_jti,
        nonce: request.nonce,
    };
    // The trigger runs before anything is recorded: when it fails, there is no sign-in.
    let mut issued = issue(
        minter,
        &grant,
        request.client,
        request.with_id,
        request.source,
        now,
    )?;
    directory.change(|people| Ok(people.insert_sign_in(&origin_jti, &record, now)?))?;
    issued.refresh = Some(refresh);
    Ok(issued)
}

/// The tokens of `grant`, through the pool's trigger when it has one.
fn issue(
    minter: Minter<'_>,
    grant: &Grant<'_>,
    client: &AppClient,
    with_id: bool,
    source: TriggerSource,
    now: u64,
) -> Result<Issued, PreTokenError> {
    let (signer, validity) = (minter.signer, &client.validity);
    let mut access = tokens::access_claims(signer, grant, now, validity.access_seconds);
    let mut id = tokens::id_claims(signer, grant, now, validity.id_seconds);
    if let Some(trigger) = minter.pre_token {
        let mut user_attributes = grant.user.attributes.clone();
        user_attributes.insert("sub".into(), grant.user.sub.clone());
        user_attributes.insert(
            "cognito:user_status".into(),
            grant.user.status.as_str().into(),
        );
        let subject = Subject {
            source,
            client_id: &client.credentials.client_id,
            username: Some(&grant.user.username),
            user_attributes,
            groups: grant.groups,
            scopes: &grant.sign_in.scopes,
            client_metadata: BTreeMap::new(),
        };
        if let Some(overrides) = trigger.run(&subject)? {
            overrides.apply_to_access(&mut access);
            overrides.apply_to_id(&mut id);
        }
    }
    let access = signer.sign(&Value::Object(access));
    if grant.sign_in.hosted {
        id.insert("at_hash".into(), json!(tokens::at_hash(&access)));
    }
    let id = with_id.then(|| signer.sign(&Value::Object(id)));
    Ok(Issued {
        access,
        id,
        refresh: None,
        expires_in: validity.access_seconds,
    })
}

/// Why a refresh token does not renew.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RefreshProblem {
    /// The pre token generation trigger failed.
    #[error(transparent)]
    Trigger(#[from] PreTokenError),
    /// Unknown, or issued to another client, or its user is gone.
    #[error("Invalid Refresh Token")]
    Invalid,
    #[error("Refresh Token has been revoked")]
    Revoked,
    #[error("Refresh Token has expired")]
    Expired,
    #[error("User is disabled.")]
    Disabled,
    /// The state database failed (logged).
    #[error("The offline stack could not read its state.")]
    Unavailable,
}

/// New access and ID tokens for `refresh_token`, presented by `client` at `now`; the user's
/// current groups and attributes go in them.
pub(crate) fn refresh(
    directory: &Directory,
    minter: Minter<'_>,
    client: &AppClient,
    refresh_token: &str,
    now: u64,
) -> Result<(Issued, StoredUser), RefreshProblem> {
    let hash = tokens::refresh_hash(refresh_token);
    let found = directory.read(|people| people.sign_in_by_refresh(&hash));
    let (origin_jti, record) = found
        .map_err(|_| RefreshProblem::Unavailable)?
        .ok_or(RefreshProblem::Invalid)?;
    if record.client_id != client.credentials.client_id {
        return Err(RefreshProblem::Invalid);
    }
    if record.revoked {
        return Err(RefreshProblem::Revoked);
    }
    if record.refresh_expires <= now {
        return Err(RefreshProblem::Expired);
    }
    let user = directory
        .by_sub(&record.sub)
        .map_err(|_| RefreshProblem::Unavailable)?
        .ok_or(RefreshProblem::Invalid)?;
    if !user.enabled {
        return Err(RefreshProblem::Disabled);
    }
    let groups = directory.groups_of(&user);
    let grant = Grant {
        user: &user,
        groups: &groups,
        sign_in: &record,
        origin_jti: &origin_jti,
        nonce: None,
    };
    let with_id = !record.hosted || record.scopes.iter().any(|s| s == "openid");
    let issued = issue(
        minter,
        &grant,
        client,
        with_id,
        TriggerSource::RefreshTokens,
        now,
    )?;
    let tokens_expire = now
        + client
            .validity
            .access_seconds
            .max(client.validity.id_seconds);
    // Only to know when the sign-in may be forgotten; a failed save changes no answer.
    let _ = directory.change(|people| Ok(people.extend_sign_in(&origin_jti, tokens_expire)?));
    Ok((issued, user))
}

/// Revokes the sign-in of `refresh_token` if `client_id` holds it; `Ok(false)` when no such
/// sign-in exists for that client.
pub(crate) fn revoke(
    directory: &Directory,
    client_id: &str,
    refresh_token: &str,
) -> Result<bool, CognitoError> {
    let hash = tokens::refresh_hash(refresh_token);
    directory.change(|people| Ok(people.revoke_sign_in(&hash, client_id)?))
}

/// Revokes every sign-in of the user with `sub`.
pub(crate) fn sign_out_everywhere(directory: &Directory, sub: &str) -> Result<(), CognitoError> {
    directory.change(|people| Ok(people.revoke_sign_ins_of(sub)?))
}

/// Why an access token handed back to `GetUser`, `GlobalSignOut` or `/oauth2/userInfo` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SessionProblem {
    #[error(transparent)]
    Token(#[from] AccessProblem),
    /// Its sign-in was revoked (`RevokeToken`, `GlobalSignOut`).
    #[error("Access Token has been revoked")]
    Revoked,
    #[error("User does not exist.")]
    UserGone,
    #[error("User is disabled.")]
    Disabled,
    /// The state database failed (logged).
    #[error("The offline stack could not read its state.")]
    Unavailable,
}

/// The claims and user of an access token of a live sign-in.
pub(crate) fn live_session(
    directory: &Directory,
    signer: &Signer,
    token: &str,
    now: u64,
) -> Result<(AccessClaims, StoredUser), SessionProblem> {
    let claims = tokens::check_access(signer, token, now)?;
    // A token without a recorded sign-in (`offline user-token`, or one whose state was reset)
    // is not one Cognito would know either.
    let jti = claims.origin_jti.as_deref().ok_or(AccessProblem::Invalid)?;
    let record = directory
        .read(|people| people.sign_in(jti))
        .map_err(|_| SessionProblem::Unavailable)?
        .ok_or(AccessProblem::Invalid)?;
    if record.revoked {
        return Err(SessionProblem::Revoked);
    }
    if record.sub != claims.sub {
        return Err(AccessProblem::Invalid.into());
    }
    let user = directory
        .by_sub(&claims.sub)
        .map_err(|_| SessionProblem::Unavailable)?
        .ok_or(SessionProblem::UserGone)?;
    if !user.enabled {
        return Err(SessionProblem::Disabled);
    }
    Ok((claims, user))
}
