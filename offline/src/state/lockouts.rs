//! Lockout rows (`lockouts`): the failed password sign-ins of a user (or of a name nobody has),
//! which `issuer::lockout` counts as Cognito does. Rows idle long enough to be reset are deleted.

use rusqlite::{OptionalExtension, params};

use super::error::StoreError;
use super::store::{People, int, unsigned};

// `Lockout` is named only here and by `issuer::lockout` through the methods below.

/// The failed sign-ins recorded for one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lockout {
    /// Failed attempts counted (`n`), attempts refused during a lockout excluded.
    pub(crate) failures: u32,
    /// Until when (Unix seconds) attempts are refused.
    pub(crate) locked_until: u64,
    /// The last attempt, refused ones included (Unix seconds).
    pub(crate) last_attempt: u64,
}

impl People<'_> {
    /// The record of `key`, if any.
    pub(crate) fn lockout(&self, key: &str) -> Result<Option<Lockout>, StoreError> {
        Ok(self
            .connection
            .prepare_cached(
                "SELECT failures, locked_until, last_attempt FROM lockouts WHERE key = ?1",
            )?
            .query_row([key], |row| {
                Ok(Lockout {
                    failures: u32::try_from(row.get::<_, i64>(0)?).unwrap_or(u32::MAX),
                    locked_until: unsigned(row.get(1)?),
                    last_attempt: unsigned(row.get(2)?),
                })
            })
            .optional()?)
    }

    /// Saves the record of `key`; `None` deletes it.
    pub(crate) fn set_lockout(
        &self,
        key: &str,
        lockout: Option<&Lockout>,
    ) -> Result<(), StoreError> {
        match lockout {
            Some(l) => self
                .connection
                .prepare_cached(
                    "INSERT INTO lockouts (key, failures, locked_until, last_attempt) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET \
                     failures = excluded.failures, locked_until = excluded.locked_until, \
                     last_attempt = excluded.last_attempt",
                )?
                .execute(params![
                    key,
                    i64::from(l.failures),
                    int(l.locked_until),
                    int(l.last_attempt)
                ])?,
            None => self
                .connection
                .prepare_cached("DELETE FROM lockouts WHERE key = ?1")?
                .execute([key])?,
        };
        Ok(())
    }

    /// Deletes the records whose last attempt was before `before`.
    pub(crate) fn forget_lockouts_idle_since(&self, before: u64) -> Result<(), StoreError> {
        self.connection
            .prepare_cached("DELETE FROM lockouts WHERE last_attempt < ?1")?
            .execute([int(before)])?;
        Ok(())
    }
}
