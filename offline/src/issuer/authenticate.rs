//! Checking a person's password as Cognito does, for the password flow and the hosted UI: the
//! user looked up by name or alias, unknown users reported per the client's
//! `PreventUserExistenceErrors`, disabled users and expired temporary passwords refused, and a
//! temporary password leading to `NEW_PASSWORD_REQUIRED`.

use std::sync::LazyLock;

use super::cognito_error::CognitoError;
use super::directory::Directory;
use super::password;
use crate::state::{StoredUser, UserStatus};
use crate::template::AppClient;
use crate::template::resources::cognito::UserExistenceErrors;

/// What a right password leads to.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// Tokens can be issued.
    SignedIn(StoredUser),
    /// The password was temporary: a new one is needed first.
    MustChange(StoredUser),
}

/// A hash of nothing anyone knows, checked for unknown users so that they take as long as known
/// ones.
static DECOY: LazyLock<String> = LazyLock::new(|| password::hash("decoy").unwrap_or_default());

/// `UserNotFoundException`, or `Incorrect username or password.` when the client prevents
/// user-existence errors.
pub(crate) fn unknown_user(client: &AppClient) -> CognitoError {
    match client.user_existence_errors {
        UserExistenceErrors::Enabled => CognitoError::wrong_password(),
        UserExistenceErrors::Legacy => CognitoError::UserNotFound,
    }
}

/// The user `name` if `password` is theirs, at `now`, signing in through `client`.
pub(crate) fn password(
    directory: &Directory,
    client: &AppClient,
    name: &str,
    password: &str,
    now: u64,
) -> Result<Outcome, CognitoError> {
    let Some(user) = directory.find(name)? else {
        let _ = password::verify(password, &DECOY);
        return Err(unknown_user(client));
    };
    if !Directory::password_matches(&user, password) {
        return Err(CognitoError::wrong_password());
    }
    usable(user, now)
}

/// After the password (or its SRP proof) was right: disabled users and expired temporary
/// passwords are refused; a temporary password asks for a new one.
pub(crate) fn usable(user: StoredUser, now: u64) -> Result<Outcome, CognitoError> {
    if !user.enabled {
        return Err(CognitoError::NotAuthorized("User is disabled.".to_owned()));
    }
    match user.status {
        UserStatus::Confirmed => Ok(Outcome::SignedIn(user)),
        UserStatus::ForceChangePassword
            if user.temporary_password_expires.is_some_and(|t| t <= now) =>
        {
            Err(CognitoError::NotAuthorized(
                "Temporary password has expired and must be reset by an administrator.".to_owned(),
            ))
        }
        UserStatus::ForceChangePassword => Ok(Outcome::MustChange(user)),
    }
}
