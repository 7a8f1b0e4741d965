//! Cognito's lockout after failed password sign-ins, for every way a password is checked
//! (`USER_PASSWORD_AUTH`, SRP's `PASSWORD_VERIFIER`, `ADMIN_USER_PASSWORD_AUTH`, the hosted UI's
//! form), counted per user whichever the way, in the state database (so every stack sharing it,
//! and a restart, see the same count). AWS documents it (Amazon Cognito Developer Guide,
//! "Lockout behavior for failed sign-in attempts"):
//!
//! > After five failed unauthenticated or IAM-authorized sign-in attempts with a password, Amazon
//! > Cognito locks out your user for one second. The lockout duration then doubles after each
//! > additional one failed attempt, up to a maximum of approximately 15 minutes. Attempts made
//! > during a lockout period generate a `Password attempts exceeded` exception, and don't affect
//! > the duration of subsequent lockout periods. For a cumulative number of failed sign-in
//! > attempts *n*, not including `Password attempts exceeded` exceptions, Amazon Cognito locks out
//! > your user for *2^(n-5)* seconds. To reset the lockout to its *n=0* initial state, your user
//! > must either sign in successfully after a lockout period expires, or not initiate any sign-in
//! > attempts for 15 consecutive minutes at any time after a lockout.
//!
//! Read here as: the lockout lasts `min(2^(n-5), 900)` seconds; a right password when no lockout
//! is running resets `n` (also before the fifth failure); fifteen minutes without an attempt
//! reset it. An attempt is counted as failed when it begins, before the (slow) password check,
//! and forgiven if the password is right, so that attempts sent in parallel cannot check more
//! passwords than the count allows. Names nobody has are counted too (by a keyed hash of the
//! name), when the client hides who exists: otherwise a lockout would tell a user from a stranger.

use aws_lc_rs::hmac;

use super::cognito_error::CognitoError;
use super::directory::Directory;

/// Failures before the first lockout.
pub(crate) const FREE_FAILURES: u32 = 5;
/// The longest lockout, "approximately 15 minutes".
pub(crate) const MAX_LOCKOUT_SECONDS: u64 = 900;
/// Attempt-free time after which the count starts over.
pub(crate) const RESET_AFTER_SECONDS: u64 = 900;

/// Whose attempts are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A user, by `sub`.
    User(String),
    /// A name nobody has, by its key (lower-cased in a case-insensitive pool).
    Unknown(String),
}

/// A password check that may go ahead: counted as failed until [`forgive`]n.
#[derive(Debug)]
#[must_use = "a right password must forgive the attempt"]
pub(crate) struct Attempt {
    key: String,
}

/// `Password attempts exceeded`, the answer during a lockout.
pub(crate) fn exceeded() -> CognitoError {
    CognitoError::NotAuthorized("Password attempts exceeded".to_owned())
}

/// How long the `n`th cumulative failure locks the user out (none before the fifth).
pub(crate) fn lockout_seconds(n: u32) -> u64 {
    match n.checked_sub(FREE_FAILURES) {
        None => 0,
        Some(extra) if extra >= 10 => MAX_LOCKOUT_SECONDS,
        Some(extra) => (1u64 << extra).min(MAX_LOCKOUT_SECONDS),
    }
}

/// The row key of `subject`: a user's `sub`; for a name nobody has, a hash of it keyed by the
/// pool's secret (the name itself, which may be a mistyped password, is not stored).
fn key(directory: &Directory, subject: &Subject) -> String {
    match subject {
        Subject::User(sub) => sub.clone(),
        Subject::Unknown(name) => {
            let mac = hmac::sign(
                &hmac::Key::new(hmac::HMAC_SHA256, &directory.secret().0),
                [b"lockout\0", name.as_bytes()].concat().as_slice(),
            );
            let hex: String = mac.as_ref()[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("unknown:{hex}")
        }
    }
}

/// Begins a password check for `subject` at `now`: refused with [`exceeded`] during a lockout
/// (the attempt is noted, not counted), else counted as a failure until forgiven.
pub(crate) fn begin(
    directory: &Directory,
    subject: &Subject,
    now: u64,
) -> Result<Attempt, CognitoError> {
    let key = key(directory, subject);
    let allowed = directory.change(|people| {
        // Fifteen minutes without an attempt: the count starts over.
        people.forget_lockouts_idle_since((now + 1).saturating_sub(RESET_AFTER_SECONDS))?;
        let mut record = people.lockout(&key)?.unwrap_or_default();
        let allowed = now >= record.locked_until;
        if allowed {
            record.failures = record.failures.saturating_add(1);
            let seconds = lockout_seconds(record.failures);
            if seconds > 0 {
                record.locked_until = now + seconds;
            }
        }
        record.last_attempt = now;
        people.set_lockout(&key, Some(&record))?;
        Ok(allowed)
    })?;
    if allowed {
        Ok(Attempt { key })
    } else {
        Err(exceeded())
    }
}

/// The password was right: the count starts over.
pub(crate) fn forgive(directory: &Directory, attempt: Attempt) -> Result<(), CognitoError> {
    directory.change(|people| Ok(people.set_lockout(&attempt.key, None)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_from_the_fifth_failure_up_to_fifteen_minutes() {
        let seconds: Vec<u64> = (0..=17).map(lockout_seconds).collect();
        assert_eq!(
            seconds,
            [
                0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900
            ]
        );
        assert_eq!(lockout_seconds(u32::MAX), 900);
    }
}
