//! The issuer's records: the signing key, the user pool id, the pool's secret, and the app
//! clients' credentials, generated once and kept (tables `pool` and `clients`) so that tokens and
//! client secrets outlive a restart.

use std::collections::BTreeMap;

use authorizer::mint::SigningKey;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::error::{StateError, StateProblem};
use crate::random::{ALNUM, LOWER_DIGITS, random_string};

/// An app client's generated credentials, shaped like Cognito's (26-character id, 51-character secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl ClientCredentials {
    fn generate() -> Self {
        Self {
            client_id: random_string(26, LOWER_DIGITS),
            client_secret: random_string(51, LOWER_DIGITS),
        }
    }
}

/// The local user pool's identity and secrets.
#[derive(Debug)]
pub(crate) struct Records {
    /// The user pool id's part after `REGION_`.
    pub(super) pool_suffix: String,
    pub(super) key: SigningKey,
    /// Keys what is answered for user names nobody has (`PoolSecret`).
    pub(super) secret: PoolSecret,
}

/// 32 random bytes of the pool, never shown: the key of what SRP answers for a name nobody has
/// (the same salt and user id every time, as Cognito answers) and of the lockout's record of
/// such a name.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PoolSecret(pub(crate) [u8; 32]);

impl std::fmt::Debug for PoolSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolSecret(..)")
    }
}

impl PoolSecret {
    pub(crate) fn generate() -> Result<Self, StateError> {
        let mut bytes = [0u8; 32];
        aws_lc_rs::rand::fill(&mut bytes)
            .map_err(|_| StateProblem::Io(std::io::Error::other("no randomness")).at("(secret)"))?;
        Ok(Self(bytes))
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        if text.len() != 64 {
            return None;
        }
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl Records {
    /// New ones: a new key, pool id and secret.
    pub(crate) fn generate() -> Result<Self, StateError> {
        Ok(Self {
            pool_suffix: random_string(9, ALNUM),
            key: new_key()?,
            secret: PoolSecret::generate()?,
        })
    }

    /// `REGION_SUFFIX`, the local user pool's id in `region`.
    pub(crate) fn pool_id(&self, region: &str) -> String {
        format!("{region}_{}", self.pool_suffix)
    }

    #[cfg(test)]
    pub(crate) fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The records saved in `connection`, if any.
    pub(super) fn load(connection: &Connection) -> Result<Option<Self>, StateProblem> {
        let row = connection
            .query_row(
                "SELECT suffix, kid, private_key, secret FROM pool WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((pool_suffix, kid, private_key, secret)) = row else {
            return Ok(None);
        };
        let der = STANDARD.decode(private_key)?;
        let key = SigningKey::from_pkcs8(kid, &der).map_err(StateProblem::PrivateKey)?;
        let secret = PoolSecret::from_hex(&secret).ok_or_else(|| {
            StateProblem::Database(rusqlite::Error::InvalidColumnType(
                3,
                "secret".to_owned(),
                rusqlite::types::Type::Text,
            ))
        })?;
        Ok(Some(Self {
            pool_suffix,
            key,
            secret,
        }))
    }

    /// Saves these records (the database has none yet).
    pub(super) fn insert(&self, connection: &Connection) -> Result<(), StateProblem> {
        let der = self.key.to_pkcs8().map_err(StateProblem::Key)?;
        connection.execute(
            "INSERT INTO pool (id, suffix, kid, private_key, secret) VALUES (1, ?1, ?2, ?3, ?4)",
            params![
                self.pool_suffix,
                self.key.kid(),
                STANDARD.encode(der),
                self.secret.hex()
            ],
        )?;
        Ok(())
    }
}

/// Saves `clients` (read from the former state file), keeping any already saved.
pub(super) fn insert_clients(
    connection: &Connection,
    clients: &BTreeMap<String, ClientCredentials>,
) -> rusqlite::Result<()> {
    let mut insert = connection.prepare_cached(
        "INSERT OR IGNORE INTO clients (logical_id, client_id, client_secret) VALUES (?1, ?2, ?3)",
    )?;
    for (logical_id, c) in clients {
        insert.execute(params![logical_id, c.client_id, c.client_secret])?;
    }
    Ok(())
}

/// The credentials of the app clients with these logical ids, each generated on first use, in
/// one transaction (another stack on the same folder generating the same client at the same
/// time gets the same credentials).
pub(super) fn clients<'a>(
    connection: &mut Connection,
    logical_ids: impl IntoIterator<Item = &'a str>,
) -> rusqlite::Result<BTreeMap<String, ClientCredentials>> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = BTreeMap::new();
    for id in logical_ids {
        let new = ClientCredentials::generate();
        insert_clients(&transaction, &BTreeMap::from([(id.to_owned(), new)]))?;
        let saved = transaction.query_row(
            "SELECT client_id, client_secret FROM clients WHERE logical_id = ?1",
            [id],
            |row| {
                Ok(ClientCredentials {
                    client_id: row.get(0)?,
                    client_secret: row.get(1)?,
                })
            },
        )?;
        out.insert(id.to_owned(), saved);
    }
    transaction.commit()?;
    Ok(out)
}

fn new_key() -> Result<SigningKey, StateError> {
    let kid = format!("{}=", random_string(43, ALNUM));
    SigningKey::generate(kid).map_err(|e| StateProblem::Key(e).at("(new key)"))
}
