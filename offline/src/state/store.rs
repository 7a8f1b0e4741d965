//! The people as the issuer reads and changes them: [`PeopleStore`] holds the database
//! connection; [`PeopleStore::read`] and [`PeopleStore::change`] hand a [`People`] view to a
//! closure, inside one transaction. A change is one `BEGIN IMMEDIATE` transaction (it takes the
//! write lock first, so another stack on the same database waits instead of failing halfway),
//! committed whole or not at all: a closure that fails, or a commit that fails, changes nothing.
//! The rows are read and written by `users`, `sign_ins` and `lockouts`.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, TransactionBehavior};

use super::error::StoreError;
use super::presence::Presence;

/// The stored people of one pool.
pub(crate) struct PeopleStore {
    connection: Mutex<Connection>,
    /// `state.db`; `None` in memory.
    path: Option<PathBuf>,
    /// While the store lives, this stack is registered in its folder (`None` in memory).
    _presence: Option<Presence>,
}

impl std::fmt::Debug for PeopleStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The people inside one transaction: what `users`, `sign_ins` and `lockouts` read and write.
#[derive(Debug)]
pub(crate) struct People<'c> {
    pub(super) connection: &'c Connection,
}

impl PeopleStore {
    pub(super) fn new(
        connection: Connection,
        path: Option<PathBuf>,
        presence: Option<Presence>,
    ) -> Self {
        Self {
            connection: Mutex::new(connection),
            path,
            _presence: presence,
        }
    }

    /// The database file, `None` in memory.
    #[cfg(test)]
    pub(crate) fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a transaction rolled it back (the transaction's drop): the connection
        // is as usable as before.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the people, in one snapshot.
    pub(crate) fn read<R>(
        &self,
        f: impl FnOnce(&People<'_>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        f(&People {
            connection: &transaction,
        })
    }

    /// Changes the people in one transaction, committed when `f` succeeds.
    pub(crate) fn change<R, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&People<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let result = f(&People {
            connection: &transaction,
        })?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(result)
    }
}

/// Unix seconds (or a count) as SQLite stores integers.
pub(super) fn int(seconds: u64) -> i64 {
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

/// An integer column as Unix seconds or a count (a negative one, which this code never writes,
/// as 0).
pub(super) fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
