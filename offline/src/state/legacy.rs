//! The former state file, `state.json` (version 1: the records and the people as one JSON
//! document, rewritten whole at each change). Read once, when a folder that has one but no
//! database is first opened: its content moves into the database, and the file is renamed
//! `state.json.migrated`. The only part of the state that knows that format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::mint::SigningKey;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::error::StateProblem;
use super::people::{StoredSignIn, StoredUser};
use super::records::{ClientCredentials, PoolSecret, Records};

/// The former file inside the state folder.
pub(crate) const LEGACY_FILE: &str = "state.json";
/// What it is renamed to once migrated.
pub(crate) const MIGRATED_FILE: &str = "state.json.migrated";

/// The file's JSON document.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Saved {
    version: u32,
    /// The user pool id's part after `REGION_`.
    pool_suffix: String,
    kid: String,
    /// PKCS#8 DER, base64.
    private_key: String,
    /// By the template's logical id of the app client.
    clients: BTreeMap<String, ClientCredentials>,
    /// Absent in files written before people could sign in.
    #[serde(default)]
    people: SavedPeople,
}

/// Users and sign-ins as the file kept them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SavedPeople {
    /// By `sub`.
    #[serde(default)]
    pub(crate) users: BTreeMap<String, StoredUser>,
    /// By `origin_jti`.
    #[serde(default)]
    pub(crate) sign_ins: BTreeMap<String, StoredSignIn>,
}

/// What a former state file held.
#[derive(Debug)]
pub(crate) struct Legacy {
    pub(crate) path: PathBuf,
    pub(crate) records: Records,
    pub(crate) clients: BTreeMap<String, ClientCredentials>,
    pub(crate) people: SavedPeople,
}

/// The former state file of `dir`, if there is one.
pub(crate) fn read(dir: &Path) -> Result<Option<Legacy>, crate::state::StateError> {
    let path = dir.join(LEGACY_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let legacy = parse(&path).map_err(|p| p.at(&path))?;
    Ok(Some(legacy))
}

fn parse(path: &Path) -> Result<Legacy, StateProblem> {
    let text = std::fs::read_to_string(path)?;
    let saved: Saved = serde_json::from_str(&text)?;
    if saved.version != 1 {
        return Err(StateProblem::Version(saved.version));
    }
    let der = STANDARD.decode(&saved.private_key)?;
    let key = SigningKey::from_pkcs8(saved.kid, &der).map_err(StateProblem::PrivateKey)?;
    let secret = PoolSecret::generate().map_err(|e| e.problem)?;
    Ok(Legacy {
        path: path.to_owned(),
        records: Records {
            pool_suffix: saved.pool_suffix,
            key,
            secret,
        },
        clients: saved.clients,
        people: saved.people,
    })
}

/// Renames the migrated file, so that it is read only once (and its secrets are not mistaken for
/// the live state).
pub(crate) fn retire(legacy: &Legacy) -> std::io::Result<()> {
    std::fs::rename(&legacy.path, legacy.path.with_file_name(MIGRATED_FILE))
}
