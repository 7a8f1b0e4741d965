//! The SQLite database, `state.db` in the state folder (SQLite's `:memory:` for an ephemeral
//! state): opened in WAL mode (readers never wait for the writer; a crash leaves the last committed
//! transaction), every commit flushed to disk (`synchronous = FULL`: a revocation, once answered,
//! survives a power cut), foreign keys enforced, a writer of another stack waited for up to
//! [`BUSY_TIMEOUT`]. The schema (`schema.sql`) is created on first use.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::StateProblem;
use super::private::private_file;

/// The database inside the state folder.
pub(crate) const DB_FILE: &str = "state.db";

/// `PRAGMA user_version` of the schema this code reads and writes.
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// How long a change waits for another stack's transaction to end before it fails.
/// Transactions last microseconds to milliseconds: only a stuck program (an open `sqlite3` shell
/// in a transaction) holds the lock this long.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

const SCHEMA: &str = include_str!("schema.sql");

/// Opens (creating, mode 0600) the database at `path`.
pub(crate) fn open_file(path: &Path) -> Result<Connection, StateProblem> {
    // Created by us first, so that SQLite opens a 0600 file and gives its -wal and -shm files
    // the same mode.
    drop(private_file(path)?);
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // Returns the mode it is in; `memory` cannot happen for a file.
    let _: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    configure(&connection)?;
    Ok(connection)
}

/// A database in memory only.
pub(crate) fn open_memory() -> Result<Connection, StateProblem> {
    let connection = Connection::open_in_memory()?;
    configure(&connection)?;
    Ok(connection)
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Creates the schema if the database is new; refuses one a newer version wrote. Call inside the
/// transaction that fills a new database.
pub(crate) fn ensure_schema(connection: &Connection) -> Result<(), StateProblem> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            connection.execute_batch(SCHEMA)?;
            connection.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            Ok(())
        }
        SCHEMA_VERSION => Ok(()),
        found => Err(StateProblem::NewerSchema {
            found,
            reads: SCHEMA_VERSION,
        }),
    }
}
