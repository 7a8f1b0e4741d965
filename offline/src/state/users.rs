//! User rows (`users`, one per user, and `user_attributes`): found by `sub`, by user name (as
//! written, or lower-cased for a case-insensitive pool), by an attribute's value (aliases), or
//! filtered and paged as `ListUsers` asks; inserted, rewritten, deleted.

use std::collections::BTreeMap;

use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Row, ToSql, params};

use super::error::StoreError;
use super::people::StoredUser;
use super::store::{People, int, unsigned};

const COLUMNS: &str = "sub, username, status, enabled, password_hash, srp_salt, srp_verifier, \
                       temporary_password_expires, groups, created, modified";

/// A `ListUsers` filter on one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserFilter {
    pub(crate) field: UserField,
    /// Whether `value` is a prefix (`^=`) rather than the whole value (`=`).
    pub(crate) prefix: bool,
    pub(crate) value: String,
}

/// What a [`UserFilter`] compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UserField {
    Username,
    Sub,
    /// `UserStatus` (`CONFIRMED`, ...).
    Status,
    /// `Enabled` or `Disabled`.
    Enabled,
    /// A standard attribute, by name.
    Attribute(String),
}

impl UserField {
    /// The SQL expression of the field, for the user row `u` (`:attribute` is an attribute's
    /// name).
    fn expression(&self) -> &'static str {
        match self {
            Self::Username => "u.username",
            Self::Sub => "u.sub",
            Self::Status => "u.status",
            Self::Enabled => "CASE u.enabled WHEN 1 THEN 'Enabled' ELSE 'Disabled' END",
            Self::Attribute(_) => {
                "(SELECT a.value FROM user_attributes a WHERE a.sub = u.sub AND a.name = :attribute)"
            }
        }
    }
}

/// A user row, without its attributes.
fn user_row(row: &Row<'_>) -> rusqlite::Result<StoredUser> {
    let groups: String = row.get(8)?;
    let groups = serde_json::from_str(&groups)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(8, Type::Text, Box::new(e)))?;
    Ok(StoredUser {
        sub: row.get(0)?,
        username: row.get(1)?,
        status: row.get(2)?,
        enabled: row.get(3)?,
        password_hash: row.get(4)?,
        srp_salt: row.get(5)?,
        srp_verifier: row.get(6)?,
        temporary_password_expires: row.get::<_, Option<i64>>(7)?.map(unsigned),
        groups,
        created: unsigned(row.get(9)?),
        modified: unsigned(row.get(10)?),
        attributes: BTreeMap::new(),
    })
}

impl People<'_> {
    /// The user with `sub`.
    pub(crate) fn user(&self, sub: &str) -> Result<Option<StoredUser>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE sub = ?1");
        let user = self
            .connection
            .prepare_cached(&sql)?
            .query_row([sub], user_row)
            .optional()?;
        self.with_attributes(user)
    }

    /// The user whose name is `name`: exactly, or (`case_sensitive` false) once both are
    /// lower-cased (the first by `sub` if several are).
    pub(crate) fn user_named(
        &self,
        name: &str,
        case_sensitive: bool,
    ) -> Result<Option<StoredUser>, StoreError> {
        let (column, key) = if case_sensitive {
            ("username", name.to_owned())
        } else {
            ("username_lower", name.to_lowercase())
        };
        let sql = format!("SELECT {COLUMNS} FROM users WHERE {column} = ?1 ORDER BY sub LIMIT 1");
        let user = self
            .connection
            .prepare_cached(&sql)?
            .query_row([key], user_row)
            .optional()?;
        self.with_attributes(user)
    }

    /// The users whose attribute `name` is `value`, compared ASCII-case-insensitively (as
    /// Cognito compares aliases), by `sub`.
    pub(crate) fn users_with_attribute(
        &self,
        name: &str,
        value: &str,
    ) -> Result<Vec<StoredUser>, StoreError> {
        let subs: Vec<String> = self
            .connection
            .prepare_cached(
                "SELECT sub FROM user_attributes WHERE name = ?1 AND value = ?2 COLLATE NOCASE \
                 ORDER BY sub",
            )?
            .query_map([name, value], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut users = Vec::with_capacity(subs.len());
        for sub in subs {
            users.extend(self.user(&sub)?);
        }
        Ok(users)
    }

    /// Saves a new user (its name must be free: the caller checks, in the same change).
    pub(crate) fn insert_user(&self, user: &StoredUser) -> Result<(), StoreError> {
        self.write_user(user)?;
        self.insert_attributes(&user.sub, &user.attributes)
    }

    /// Rewrites the user with `user.sub` (its attributes only if they changed from `before`'s).
    pub(crate) fn update_user(
        &self,
        before: &StoredUser,
        user: &StoredUser,
    ) -> Result<(), StoreError> {
        self.write_user(user)?;
        if before.attributes != user.attributes {
            self.connection
                .prepare_cached("DELETE FROM user_attributes WHERE sub = ?1")?
                .execute([&user.sub])?;
            self.insert_attributes(&user.sub, &user.attributes)?;
        }
        Ok(())
    }

    /// The user's row, inserted or replaced (by `sub`).
    fn write_user(&self, user: &StoredUser) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO users ({COLUMNS}, username_lower) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
             ON CONFLICT (sub) DO UPDATE SET username = excluded.username, \
             username_lower = excluded.username_lower, status = excluded.status, \
             enabled = excluded.enabled, password_hash = excluded.password_hash, \
             srp_salt = excluded.srp_salt, srp_verifier = excluded.srp_verifier, \
             temporary_password_expires = excluded.temporary_password_expires, \
             groups = excluded.groups, created = excluded.created, modified = excluded.modified"
        );
        self.connection.prepare_cached(&sql)?.execute(params![
            user.sub,
            user.username,
            user.status,
            user.enabled,
            user.password_hash,
            user.srp_salt,
            user.srp_verifier,
            user.temporary_password_expires.map(int),
            groups_json(&user.groups),
            int(user.created),
            int(user.modified),
            user.username.to_lowercase(),
        ])?;
        Ok(())
    }

    /// Deletes the user with `sub`, its attributes and its sign-ins; whether there was one.
    pub(crate) fn delete_user(&self, sub: &str) -> Result<bool, StoreError> {
        let deleted = self
            .connection
            .prepare_cached("DELETE FROM users WHERE sub = ?1")?
            .execute([sub])?;
        Ok(deleted > 0)
    }

    /// The users `filter` matches (all without one), by user name, `limit` of them from the
    /// `offset`th; and whether more follow.
    pub(crate) fn list_users(
        &self,
        filter: Option<&UserFilter>,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<StoredUser>, bool), StoreError> {
        let condition = match filter {
            None => "1".to_owned(),
            Some(f) if f.prefix => format!(
                "substr({0}, 1, length(:value)) = :value",
                f.field.expression()
            ),
            Some(f) => format!("{} = :value", f.field.expression()),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM users u WHERE {condition} ORDER BY u.username \
             LIMIT :limit OFFSET :offset"
        );
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let mut bound: Vec<(&str, &dyn ToSql)> = vec![(":limit", &fetch), (":offset", &offset)];
        if let Some(f) = filter {
            bound.push((":value", &f.value));
            if let UserField::Attribute(name) = &f.field {
                bound.push((":attribute", name));
            }
        }
        let mut rows: Vec<StoredUser> = self
            .connection
            .prepare_cached(&sql)?
            .query_map(bound.as_slice(), user_row)?
            .collect::<rusqlite::Result<_>>()?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let mut users = Vec::with_capacity(rows.len());
        for user in rows {
            users.extend(self.with_attributes(Some(user))?);
        }
        Ok((users, more))
    }

    /// How many users there are.
    pub(crate) fn user_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .connection
            .prepare_cached("SELECT count(*) FROM users")?
            .query_row([], |row| row.get(0))?;
        Ok(unsigned(n))
    }

    fn with_attributes(&self, user: Option<StoredUser>) -> Result<Option<StoredUser>, StoreError> {
        let Some(mut user) = user else {
            return Ok(None);
        };
        let mut statement = self
            .connection
            .prepare_cached("SELECT name, value FROM user_attributes WHERE sub = ?1")?;
        let rows = statement.query_map([&user.sub], |row| Ok((row.get(0)?, row.get(1)?)))?;
        user.attributes = rows.collect::<rusqlite::Result<_>>()?;
        Ok(Some(user))
    }

    fn insert_attributes(
        &self,
        sub: &str,
        attributes: &BTreeMap<String, String>,
    ) -> Result<(), StoreError> {
        let mut insert = self
            .connection
            .prepare_cached("INSERT INTO user_attributes (sub, name, value) VALUES (?1, ?2, ?3)")?;
        for (name, value) in attributes {
            insert.execute([sub, name, value])?;
        }
        Ok(())
    }
}

fn groups_json(groups: &[String]) -> String {
    serde_json::Value::from(groups.to_vec()).to_string()
}
