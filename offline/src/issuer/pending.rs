//! Short-lived records kept in memory only (a restart ends them, as a deploy would not, which
//! only makes people sign in again): SRP exchanges between `InitiateAuth` and
//! `RespondToAuthChallenge`, challenge sessions, the hosted UI's login forms, authorization
//! codes and browser sessions. Each kind is bounded in count, so no caller can grow them without
//! end; expired records are dropped as new ones come.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::directory::TemporaryProof;
use super::lockout::Subject;
use super::srp::{Exchange, SrpVerifier};

/// Most records of one kind kept at once; past it the one closest to expiry goes.
pub(crate) const MAX_RECORDS: usize = 10_000;

/// Records of one kind, by an unguessable key.
#[derive(Debug)]
pub(crate) struct Expiring<T> {
    records: HashMap<String, (u64, T)>,
}

impl<T> Default for Expiring<T> {
    fn default() -> Self {
        Self {
            records: HashMap::new(),
        }
    }
}

impl<T> Expiring<T> {
    /// Keeps `value` under `key` until `expires` (Unix seconds).
    pub(crate) fn insert(&mut self, key: String, value: T, expires: u64, now: u64) {
        self.records.retain(|_, (until, _)| *until > now);
        if self.records.len() >= MAX_RECORDS {
            let soonest = self
                .records
                .iter()
                .min_by_key(|(_, (until, _))| *until)
                .map(|(k, _)| k.clone());
            if let Some(soonest) = soonest {
                self.records.remove(&soonest);
            }
        }
        self.records.insert(key, (expires, value));
    }

    /// Removes and returns the record, if it has not expired.
    pub(crate) fn take(&mut self, key: &str, now: u64) -> Option<T> {
        self.take_with_expiry(key, now).map(|(value, _)| value)
    }

    /// [`Expiring::take`], with the record's expiry (to put it back unchanged).
    pub(crate) fn take_with_expiry(&mut self, key: &str, now: u64) -> Option<(T, u64)> {
        let (until, value) = self.records.remove(key)?;
        (until > now).then_some((value, until))
    }

    /// The record, if it has not expired.
    pub(crate) fn get(&self, key: &str, now: u64) -> Option<&T> {
        self.records
            .get(key)
            .filter(|(until, _)| *until > now)
            .map(|(_, v)| v)
    }

    /// Applies `f` to the record in place (its expiry kept), if it has not expired.
    pub(crate) fn update<R>(
        &mut self,
        key: &str,
        now: u64,
        f: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        self.records
            .get_mut(key)
            .filter(|(until, _)| *until > now)
            .map(|(_, v)| f(v))
    }

    pub(crate) fn remove(&mut self, key: &str) {
        self.records.remove(key);
    }
}

/// An SRP exchange waiting for the client's `PASSWORD_VERIFIER` answer.
#[derive(Debug, Clone)]
pub(crate) struct SrpWait {
    pub(crate) exchange: Exchange,
    pub(crate) verifier: SrpVerifier,
    /// `None` for a user that does not exist (the exchange then always fails, so that the first
    /// step does not tell who exists when the client prevents user-existence errors).
    pub(crate) sub: Option<String>,
    /// Whose failed attempts a wrong proof counts (the user's, or the unknown name's).
    pub(crate) subject: Subject,
    pub(crate) user_id: String,
    pub(crate) client_id: String,
}

/// A challenge the client must answer next (`Session`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChallengeWait {
    /// The user, and the temporary password they gave.
    pub(crate) proof: TemporaryProof,
    pub(crate) client_id: String,
    pub(crate) challenge: &'static str,
}

/// What the hosted UI's login form is bound to (by its nonce, also the `XSRF-TOKEN` cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoginForm {
    pub(crate) request: super::oauth::authorize_request::AuthorizeRequest,
    /// Set once a temporary password was right: a new one is required.
    pub(crate) must_change_for: Option<TemporaryProof>,
}

/// An authorization code not yet redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeGrant {
    pub(crate) request: super::oauth::authorize_request::AuthorizeRequest,
    pub(crate) sub: String,
}

/// A browser signed in to the hosted UI (the `cognito` cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrowserSession {
    pub(crate) sub: String,
}

/// Every kind of short-lived record.
#[derive(Debug, Default)]
pub(crate) struct Records {
    pub(crate) srp: Expiring<SrpWait>,
    pub(crate) challenges: Expiring<ChallengeWait>,
    pub(crate) logins: Expiring<LoginForm>,
    pub(crate) codes: Expiring<CodeGrant>,
    pub(crate) browsers: Expiring<BrowserSession>,
}

/// The records behind a lock.
#[derive(Debug, Default)]
pub(crate) struct Pending(Mutex<Records>);

impl Pending {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Records> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A random key for a record: 32 bytes, base64url.
pub(crate) fn new_key() -> String {
    crate::random::random_string(
        43,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_expire_are_taken_once_and_are_bounded() {
        let mut e = Expiring::default();
        e.insert("a".into(), 1, 10, 0);
        assert_eq!(e.get("a", 9), Some(&1));
        assert_eq!(e.get("a", 10), None);
        assert_eq!(e.update("a", 5, |v| *v += 1), Some(()));
        assert_eq!(e.update("a", 10, |v| *v += 1), None, "expired");
        assert_eq!(e.update("b", 5, |v| *v += 1), None, "absent");
        assert_eq!(e.take("a", 5), Some(2));
        assert_eq!(e.take("a", 5), None, "once");
        for i in 0..MAX_RECORDS + 5 {
            e.insert(i.to_string(), i, 100 + i as u64, 0);
        }
        assert_eq!(e.records.len(), MAX_RECORDS);
        assert_eq!(e.get("0", 0), None, "the soonest to expire went first");
    }
}
