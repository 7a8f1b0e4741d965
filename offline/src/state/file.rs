//! The state file, `state.json` in the state folder: the records and the people as one JSON
//! document (version 1), replaced whole at each save (`private`). The only part of the state that
//! knows how it is kept on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::mint::SigningKey;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::error::{StateError, StateProblem};
use super::people::People;
use super::private;
use super::records::{ClientCredentials, Records};

/// The file inside the state folder.
pub(crate) const STATE_FILE: &str = "state.json";

/// The file's JSON document.
#[derive(Serialize, Deserialize)]
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
    people: People,
}

impl Saved {
    fn new(records: &Records, people: &People) -> Result<Self, StateProblem> {
        let der = records.key.to_pkcs8().map_err(StateProblem::Key)?;
        Ok(Self {
            version: 1,
            pool_suffix: records.pool_suffix.clone(),
            kid: records.key.kid().to_owned(),
            private_key: STANDARD.encode(der),
            clients: records.clients.clone(),
            people: people.clone(),
        })
    }

    fn read(path: &Path) -> Result<(Records, People), StateProblem> {
        let text = std::fs::read_to_string(path)?;
        let saved: Saved = serde_json::from_str(&text)?;
        if saved.version != 1 {
            return Err(StateProblem::Version(saved.version));
        }
        let der = STANDARD.decode(&saved.private_key)?;
        let key = SigningKey::from_pkcs8(saved.kid, &der).map_err(StateProblem::PrivateKey)?;
        let records = Records {
            pool_suffix: saved.pool_suffix,
            key,
            clients: saved.clients,
        };
        Ok((records, saved.people))
    }

    fn write(&self, path: &Path) -> Result<(), StateProblem> {
        let text = serde_json::to_string_pretty(self)?;
        Ok(private::write(path, text.as_bytes())?)
    }
}

/// `state.json` in a state folder.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
}

impl StateFile {
    /// The state file of `dir`. An existing `dir` holding nothing but the state is made 0700.
    pub(crate) fn in_folder(dir: &Path) -> Result<Self, StateError> {
        if dir.is_dir() {
            private::secure_folder(dir, STATE_FILE).map_err(|e| StateProblem::Io(e).at(dir))?;
        }
        Ok(Self {
            path: dir.join(STATE_FILE),
        })
    }

    /// What the file holds; `None` when there is no file yet.
    pub(crate) fn read(&self) -> Result<Option<(Records, People)>, StateError> {
        if !self.path.exists() {
            return Ok(None);
        }
        let state = Saved::read(&self.path).map_err(|p| p.at(&self.path))?;
        Ok(Some(state))
    }

    /// Replaces the file with `records` and `people` (owner read/write only).
    pub(crate) fn write(&self, records: &Records, people: &People) -> Result<(), StateError> {
        Saved::new(records, people)
            .and_then(|saved| saved.write(&self.path))
            .map_err(|p| p.at(&self.path))
    }

    /// The file as the people store writes it: `records` encoded once, the people at each change.
    pub(crate) fn for_people(
        &self,
        records: &Records,
        people: &People,
    ) -> Result<PeopleFile, StateError> {
        let saved = Saved::new(records, people).map_err(|p| p.at(&self.path))?;
        Ok(PeopleFile {
            path: self.path.clone(),
            saved,
        })
    }
}

/// The state file with the records as they were when the people store was made.
pub(crate) struct PeopleFile {
    path: PathBuf,
    saved: Saved,
}

impl std::fmt::Debug for PeopleFile {
    // Not what it saves: that holds the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl PeopleFile {
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces the file with the records and `people`; when it cannot be written, the file, and
    /// what this holds, stay as they were.
    pub(crate) fn write(&mut self, people: &People) -> Result<(), StateError> {
        let before = std::mem::replace(&mut self.saved.people, people.clone());
        if let Err(problem) = self.saved.write(&self.path) {
            self.saved.people = before;
            return Err(problem.at(&self.path));
        }
        Ok(())
    }
}
