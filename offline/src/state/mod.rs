//! What the offline stack keeps between runs, so tokens, client secrets and users survive a
//! restart: the issuer's records (signing key, user pool id, the pool's secret, app client
//! credentials: `records`) and the pool's people (users, group memberships, sign-ins with the
//! hashes of their refresh tokens and their revocation, failed sign-ins: `people`, `store`,
//! `users`, `sign_ins`, `lockouts`). Passwords are never stored: only a salted slow hash and an
//! SRP verifier; refresh tokens only as a SHA-256 hash.
//!
//! They are kept in a SQLite database, `state.db` in the state folder (`database`, `schema.sql`):
//! one row per user and per sign-in, each change one transaction, mode 0600 in a 0700 folder
//! (`private`). Stacks may share a folder: they see each other's changes at once, and `--fresh`
//! refuses to start over under a running one, naming it (`presence`). A folder holding the former
//! `state.json` is migrated on first start (`legacy`). An ephemeral state is the same database in
//! memory.

mod database;
mod error;
mod legacy;
mod lockouts;
mod people;
mod presence;
mod private;
mod records;
mod sign_ins;
mod store;
mod users;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::mint::SigningKey;
use rusqlite::{Connection, TransactionBehavior};

use self::database::DB_FILE;
use self::error::StateProblem;
pub(crate) use self::error::{StateError, StoreError};
pub(crate) use self::people::{StoredSignIn, StoredUser, UserStatus};
use self::presence::{Gate, Presence};
pub use self::records::ClientCredentials;
pub(crate) use self::records::PoolSecret;
use self::records::Records;
pub(crate) use self::store::{People, PeopleStore};
pub(crate) use self::users::{UserField, UserFilter};

/// Where the key, pool id, client credentials and people live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateStore {
    /// A folder (`.offline/` by default); `fresh` starts over.
    Folder { path: PathBuf, fresh: bool },
    /// New ones every start, nothing written.
    Ephemeral,
}

impl StateStore {
    /// Opens the state.
    pub(crate) fn open(&self) -> Result<State, StateError> {
        match self {
            Self::Folder { path, fresh } => State::open(path, *fresh),
            Self::Ephemeral => State::ephemeral(),
        }
    }
}

/// The local user pool's identity, secrets and people.
#[derive(Debug)]
pub(crate) struct State {
    records: Records,
    connection: Connection,
    /// `state.db`; `None` in memory.
    path: Option<PathBuf>,
    presence: Option<Presence>,
}

/// What the issuer takes of the state.
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) key: SigningKey,
    pub(crate) secret: PoolSecret,
    pub(crate) people: PeopleStore,
}

impl State {
    /// A state kept in memory only: a new key, pool id and clients every time.
    pub(crate) fn ephemeral() -> Result<Self, StateError> {
        let at = |p: StateProblem| p.at(":memory:");
        let connection = database::open_memory().map_err(at)?;
        let records = Records::generate()?;
        let transaction = connection
            .unchecked_transaction()
            .map_err(|e| at(e.into()))?;
        database::ensure_schema(&transaction).map_err(at)?;
        records.insert(&transaction).map_err(at)?;
        transaction.commit().map_err(|e| at(e.into()))?;
        Ok(Self {
            records,
            connection,
            path: None,
            presence: None,
        })
    }

    /// Opens `dir/state.db`, made and filled on first use: from `dir/state.json` when an earlier
    /// version left one, else new (also when `fresh`, which other stacks using `dir` forbid).
    /// `dir` is made 0700 if new, or if it holds nothing but the state.
    pub(crate) fn open(dir: &Path, fresh: bool) -> Result<Self, StateError> {
        let io = |e: std::io::Error| StateProblem::Io(e).at(dir);
        private::prepare_folder(dir).map_err(io)?;
        let gate = Gate::enter(dir, fresh).map_err(io)?;
        let presence = Presence::register(dir).map_err(io)?;
        if fresh {
            let others = presence.others(dir).map_err(io)?;
            if !others.is_empty() {
                return Err(StateProblem::InUse(others).at(dir));
            }
            start_over(dir).map_err(io)?;
        }
        let path = dir.join(DB_FILE);
        let at = |p: StateProblem| p.at(&path);
        let mut connection = database::open_file(&path).map_err(at)?;
        let records = fill(&mut connection, dir, fresh)?;
        drop(gate);
        Ok(Self {
            records,
            connection,
            path: Some(path),
            presence: Some(presence),
        })
    }

    /// `REGION_SUFFIX`, the local user pool's id in `region`.
    pub(crate) fn pool_id(&self, region: &str) -> String {
        self.records.pool_id(region)
    }

    #[cfg(test)]
    pub(crate) fn key(&self) -> &SigningKey {
        self.records.key()
    }

    /// The credentials of the app clients with these logical ids, each generated (and saved) on
    /// first use.
    pub(crate) fn clients<'a>(
        &mut self,
        logical_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeMap<String, ClientCredentials>, StateError> {
        records::clients(&mut self.connection, logical_ids)
            .map_err(|e| StateProblem::Database(e).at(self.location()))
    }

    /// The signing key, the pool's secret and the people, for the issuer.
    pub(crate) fn into_parts(self) -> Parts {
        Parts {
            key: self.records.key,
            secret: self.records.secret,
            people: PeopleStore::new(self.connection, self.path, self.presence),
        }
    }

    fn location(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from(":memory:"))
    }
}

/// Removes the database (and the former state file) of `dir`, whose gate is held exclusively.
fn start_over(dir: &Path) -> std::io::Result<()> {
    for name in [
        DB_FILE,
        "state.db-wal",
        "state.db-shm",
        "state.db-journal",
        legacy::LEGACY_FILE,
        legacy::MIGRATED_FILE,
    ] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// The records of the database, which a new database gets, in one transaction: from the former
/// state file of `dir` (then renamed), unless `fresh`, else new ones.
fn fill(connection: &mut Connection, dir: &Path, fresh: bool) -> Result<Records, StateError> {
    let path = dir.join(DB_FILE);
    let at = |p: StateProblem| p.at(&path);
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| at(e.into()))?;
    database::ensure_schema(&transaction).map_err(at)?;
    if let Some(records) = Records::load(&transaction).map_err(at)? {
        return Ok(records);
    }
    let legacy = if fresh { None } else { legacy::read(dir)? };
    let records = match &legacy {
        Some(old) => {
            migrate(&transaction, old).map_err(|p| p.at(&old.path))?;
            Records::load(&transaction)
                .map_err(at)?
                .ok_or_else(|| at(StateProblem::Database(rusqlite::Error::QueryReturnedNoRows)))?
        }
        None => {
            let records = Records::generate()?;
            records.insert(&transaction).map_err(at)?;
            records
        }
    };
    transaction.commit().map_err(|e| at(e.into()))?;
    if let Some(old) = &legacy {
        if let Err(e) = legacy::retire(old) {
            tracing::warn!(target: "offline::state", error = %e, file = %old.path.display(),
                           "migrated, but the former state file could not be renamed");
        }
        tracing::info!(target: "offline::state", from = %old.path.display(), to = %path.display(),
                       users = old.people.users.len(), "state migrated");
    }
    Ok(records)
}

/// Copies what the former state file held into the (new) database.
fn migrate(connection: &Connection, old: &legacy::Legacy) -> Result<(), StateProblem> {
    old.records.insert(connection)?;
    records::insert_clients(connection, &old.clients)?;
    let people = People { connection };
    let err = |e: StoreError| StateProblem::Database(e.0);
    for user in old.people.users.values() {
        people.insert_user(user).map_err(err)?;
    }
    for (jti, sign_in) in &old.people.sign_ins {
        // Sign-ins of users deleted since were forgotten with them.
        if old.people.users.contains_key(&sign_in.sub) {
            people.insert_sign_in(jti, sign_in, 0).map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
