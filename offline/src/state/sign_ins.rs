//! Sign-in rows (`sign_ins`, one per sign-in, by `origin_jti`): recorded, found by their refresh
//! token's hash, revoked one by one or all of a user's, and forgotten once everything they issued
//! has expired, or when more than [`MAX_SIGN_INS`] are kept (the oldest first).

use rusqlite::{OptionalExtension, Row, params};

use super::error::StoreError;
use super::people::StoredSignIn;
use super::store::{People, int, unsigned};

/// Most sign-ins kept; past it the oldest are forgotten (their refresh tokens stop working), so
/// that a script signing in forever does not grow the database without end.
pub(crate) const MAX_SIGN_INS: u64 = 100_000;

const COLUMNS: &str = "origin_jti, sub, client_id, auth_time, event_id, scopes, hosted, \
                       refresh_hash, refresh_expires, tokens_expire, revoked";

/// `(origin_jti, sign-in)` of a row.
fn sign_in_row(row: &Row<'_>) -> rusqlite::Result<(String, StoredSignIn)> {
    let scopes: String = row.get(5)?;
    Ok((
        row.get(0)?,
        StoredSignIn {
            sub: row.get(1)?,
            client_id: row.get(2)?,
            auth_time: unsigned(row.get(3)?),
            event_id: row.get(4)?,
            scopes: scopes.split_whitespace().map(str::to_owned).collect(),
            hosted: row.get(6)?,
            refresh_hash: row.get(7)?,
            refresh_expires: unsigned(row.get(8)?),
            tokens_expire: unsigned(row.get(9)?),
            revoked: row.get(10)?,
        },
    ))
}

impl People<'_> {
    /// Records a sign-in under `origin_jti`, after forgetting those that ended by `now` and the
    /// oldest beyond [`MAX_SIGN_INS`].
    pub(crate) fn insert_sign_in(
        &self,
        origin_jti: &str,
        sign_in: &StoredSignIn,
        now: u64,
    ) -> Result<(), StoreError> {
        self.connection
            .prepare_cached("DELETE FROM sign_ins WHERE max(refresh_expires, tokens_expire) <= ?1")?
            .execute([int(now)])?;
        let sql = format!(
            "INSERT INTO sign_ins ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        );
        self.connection.prepare_cached(&sql)?.execute(params![
            origin_jti,
            sign_in.sub,
            sign_in.client_id,
            int(sign_in.auth_time),
            sign_in.event_id,
            sign_in.scopes.join(" "),
            sign_in.hosted,
            sign_in.refresh_hash,
            int(sign_in.refresh_expires),
            int(sign_in.tokens_expire),
            sign_in.revoked,
        ])?;
        // `seq` grows with each sign-in: those more than MAX_SIGN_INS behind the newest go.
        let newest = self.connection.last_insert_rowid();
        self.connection
            .prepare_cached("DELETE FROM sign_ins WHERE seq <= ?1")?
            .execute([newest.saturating_sub(int(MAX_SIGN_INS))])?;
        Ok(())
    }

    /// The sign-in recorded under `origin_jti`.
    pub(crate) fn sign_in(&self, origin_jti: &str) -> Result<Option<StoredSignIn>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sign_ins WHERE origin_jti = ?1");
        let found = self
            .connection
            .prepare_cached(&sql)?
            .query_row([origin_jti], sign_in_row)
            .optional()?;
        Ok(found.map(|(_, s)| s))
    }

    /// `(origin_jti, sign-in)` of the refresh token whose SHA-256 (hex) is `refresh_hash`.
    pub(crate) fn sign_in_by_refresh(
        &self,
        refresh_hash: &str,
    ) -> Result<Option<(String, StoredSignIn)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sign_ins WHERE refresh_hash = ?1");
        Ok(self
            .connection
            .prepare_cached(&sql)?
            .query_row([refresh_hash], sign_in_row)
            .optional()?)
    }

    /// Revokes the sign-in of the refresh token `refresh_hash` if `client_id` holds it; whether
    /// one was found.
    pub(crate) fn revoke_sign_in(
        &self,
        refresh_hash: &str,
        client_id: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .connection
            .prepare_cached(
                "UPDATE sign_ins SET revoked = 1 WHERE refresh_hash = ?1 AND client_id = ?2",
            )?
            .execute([refresh_hash, client_id])?;
        Ok(changed > 0)
    }

    /// Revokes every sign-in of the user `sub`.
    pub(crate) fn revoke_sign_ins_of(&self, sub: &str) -> Result<(), StoreError> {
        self.connection
            .prepare_cached("UPDATE sign_ins SET revoked = 1 WHERE sub = ?1")?
            .execute([sub])?;
        Ok(())
    }

    /// Notes that the sign-in `origin_jti` issued tokens lasting until `tokens_expire`.
    pub(crate) fn extend_sign_in(
        &self,
        origin_jti: &str,
        tokens_expire: u64,
    ) -> Result<(), StoreError> {
        self.connection
            .prepare_cached(
                "UPDATE sign_ins SET tokens_expire = max(tokens_expire, ?2) WHERE origin_jti = ?1",
            )?
            .execute(params![origin_jti, int(tokens_expire)])?;
        Ok(())
    }

    /// How many sign-ins are kept.
    #[cfg(test)]
    pub(crate) fn sign_in_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .connection
            .prepare_cached("SELECT count(*) FROM sign_ins")?
            .query_row([], |row| row.get(0))?;
        Ok(unsigned(n))
    }
}
