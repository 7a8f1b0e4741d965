//! Checking a person's password as Cognito does, for the password flows (`USER_PASSWORD_AUTH`,
//! `ADMIN_USER_PASSWORD_AUTH`) and the hosted UI: the user looked up by name or alias, the
//! lockout after failed attempts (`lockout`), unknown users reported per the client's
//! `PreventUserExistenceErrors`, disabled users and expired temporary passwords refused (once the
//! password is right), and a temporary password leading to `NEW_PASSWORD_REQUIRED`.

use std::sync::LazyLock;

use super::cognito_error::CognitoError;
use super::directory::Directory;
use super::lockout::{self, Subject};
use super::password;
use super::users;
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

/// Whose failed attempts a sign-in as `user` (or, for a name nobody has, `name`) counts; `None`
/// for an unknown name when the client tells who exists anyway (`LEGACY`).
pub(crate) fn subject(
    directory: &Directory,
    client: &AppClient,
    user: Option<&StoredUser>,
    name: &str,
) -> Option<Subject> {
    match (user, client.user_existence_errors) {
        (Some(user), _) => Some(Subject::User(user.sub.clone())),
        (None, UserExistenceErrors::Enabled) => Some(Subject::Unknown(users::name_key(
            directory.settings(),
            name,
        ))),
        (None, UserExistenceErrors::Legacy) => None,
    }
}

/// The user `name` if `password` is theirs, at `now`, signing in through `client`; during a
/// lockout, `Password attempts exceeded` whatever the password.
pub(crate) fn password(
    directory: &Directory,
    client: &AppClient,
    name: &str,
    password: &str,
    now: u64,
) -> Result<Outcome, CognitoError> {
    let user = directory.find(name)?;
    let Some(subject) = subject(directory, client, user.as_ref(), name) else {
        let _ = password::verify(password, &DECOY);
        return Err(unknown_user(client));
    };
    let attempt = lockout::begin(directory, &subject, now)?;
    let user = match user {
        Some(user) if Directory::password_matches(&user, password) => user,
        Some(_) => return Err(CognitoError::wrong_password()),
        None => {
            let _ = password::verify(password, &DECOY);
            return Err(unknown_user(client));
        }
    };
    lockout::forgive(directory, attempt)?;
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
