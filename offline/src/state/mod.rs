//! What the offline stack keeps between runs, so tokens, client secrets and users survive a
//! restart: the issuer's records (signing key, user pool id, app client credentials: `records`)
//! and the pool's people (users, group memberships, sign-ins with the hashes of their refresh
//! tokens and their revocation: `people`). Passwords are never stored: only a salted slow hash
//! and an SRP verifier; refresh tokens only as a SHA-256 hash.
//!
//! They are kept in a JSON file readable by its owner only (`file`), replaced whole at each save
//! (`private`). Only `file` knows the format: the rest of the crate opens a [`State`] from a
//! [`StateStore`], saves it, and hands the people to the issuer as a [`PeopleStore`].

mod error;
mod file;
mod people;
mod private;
mod records;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::mint::SigningKey;

pub(crate) use self::error::StateError;
use self::file::{PeopleFile, StateFile};
pub(crate) use self::people::{People, StoredSignIn, StoredUser, UserStatus};
pub use self::records::ClientCredentials;
pub(crate) use self::records::Records;

/// Where the key, pool id and client credentials live.
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
    /// `None`: kept in memory only.
    file: Option<StateFile>,
    records: Records,
    people: People,
}

impl State {
    /// A state kept in memory only: a new key, pool id and clients every time.
    pub(crate) fn ephemeral() -> Result<Self, StateError> {
        Ok(Self {
            file: None,
            records: Records::generate()?,
            people: People::default(),
        })
    }

    /// Reads `dir/state.json`, or starts a new state there (also when `fresh`). Call
    /// [`State::save`] once clients are known. An existing `dir` holding nothing but the state
    /// is made 0700.
    pub(crate) fn open(dir: &Path, fresh: bool) -> Result<Self, StateError> {
        let file = StateFile::in_folder(dir)?;
        let saved = if fresh { None } else { file.read()? };
        let (records, people) = match saved {
            Some(saved) => saved,
            None => (Records::generate()?, People::default()),
        };
        Ok(Self {
            file: Some(file),
            records,
            people,
        })
    }

    /// Writes the state (owner read/write only). A no-op for an ephemeral state.
    pub(crate) fn save(&self) -> Result<(), StateError> {
        match &self.file {
            Some(file) => file.write(&self.records, &self.people),
            None => Ok(()),
        }
    }

    /// The signing key and the people, for the issuer (after [`State::save`]): the people are
    /// saved with the rest of the state each time they change.
    pub(crate) fn into_parts(self) -> Result<(SigningKey, PeopleStore), StateError> {
        let store = match &self.file {
            Some(file) => {
                let people_file = file.for_people(&self.records, &self.people)?;
                PeopleStore::in_file(self.people, people_file)
            }
            None => PeopleStore::in_memory(self.people),
        };
        Ok((self.records.key, store))
    }

    /// `REGION_SUFFIX`, the local user pool's id in `region`.
    pub(crate) fn pool_id(&self, region: &str) -> String {
        self.records.pool_id(region)
    }

    #[cfg(test)]
    pub(crate) fn key(&self) -> &SigningKey {
        self.records.key()
    }

    /// The credentials of the app clients with these logical ids, each generated on first use.
    pub(crate) fn clients<'a>(
        &mut self,
        logical_ids: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, ClientCredentials> {
        logical_ids
            .into_iter()
            .map(|id| (id.to_owned(), self.records.client(id)))
            .collect()
    }
}

/// The pool's people as the issuer keeps them: changed in memory, then saved by
/// [`PeopleStore::replace`].
pub(crate) struct PeopleStore {
    pub(crate) people: People,
    /// Where they are saved; `None` for an ephemeral state.
    file: Option<PeopleFile>,
}

impl std::fmt::Debug for PeopleStore {
    // Not the file: it holds the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleStore")
            .field("users", &self.people.users.len())
            .field("sign_ins", &self.people.sign_ins.len())
            .field("file", &self.file.as_ref().map(PeopleFile::path))
            .finish()
    }
}

impl PeopleStore {
    /// A store kept in memory only.
    pub(crate) fn in_memory(people: People) -> Self {
        Self { people, file: None }
    }

    /// A store saving to `file`.
    fn in_file(people: People, file: PeopleFile) -> Self {
        Self {
            people,
            file: Some(file),
        }
    }

    /// Makes `people` the pool's people once the state file holds them (at once in memory): when
    /// the file cannot be written, nothing changes, in memory or on disk.
    pub(crate) fn replace(&mut self, people: People) -> Result<(), StateError> {
        if let Some(file) = &mut self.file {
            file.write(&people)?;
        }
        self.people = people;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::file::STATE_FILE;
    use super::*;
    use crate::random::{LOWER_DIGITS, random_string};

    #[test]
    fn saved_state_comes_back_and_fresh_replaces_it() {
        let dir = temp_dir();
        let mut state = State::open(&dir, false).unwrap();
        let client = state.records.client("AppClient");
        assert_eq!(
            (client.client_id.len(), client.client_secret.len()),
            (26, 51)
        );
        state.save().unwrap();
        let mut again = State::open(&dir, false).unwrap();
        assert_eq!(again.records.client("AppClient"), client);
        assert_eq!(again.pool_id("us-east-1"), state.pool_id("us-east-1"));
        assert_eq!(again.key().jwk(), state.key().jwk());
        let (_, mut people) = again.into_parts().unwrap();
        let mut changed = people.people.clone();
        changed.sign_ins.insert(
            "jti".into(),
            StoredSignIn {
                sub: "s".into(),
                client_id: client.client_id.clone(),
                auth_time: 1,
                event_id: "e".into(),
                scopes: vec![],
                hosted: false,
                refresh_hash: "00".into(),
                refresh_expires: 2,
                tokens_expire: 2,
                revoked: false,
            },
        );
        people.replace(changed).unwrap();
        let mut third = State::open(&dir, false).unwrap();
        assert_eq!(
            third.records.client("AppClient"),
            client,
            "the rest is kept"
        );
        assert_eq!(third.people.sign_ins.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(STATE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let mut fresh = State::open(&dir, true).unwrap();
        assert_ne!(fresh.records.client("AppClient"), client);
        assert_ne!(fresh.key().jwk(), state.key().jwk());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn temp_dir() -> PathBuf {
        std::env::temp_dir().join(format!("offline-state-{}", random_string(8, LOWER_DIGITS)))
    }

    /// A save writes a new file and renames it over the old one: the old file is never cut short
    /// (a second link to it keeps the old text whole), and no temporary file stays.
    #[test]
    fn a_save_replaces_the_file_whole() {
        let dir = temp_dir();
        let mut state = State::open(&dir, false).unwrap();
        state.records.client("First");
        state.save().unwrap();
        let before = std::fs::read_to_string(dir.join(STATE_FILE)).unwrap();
        let reader = temp_dir();
        std::fs::hard_link(dir.join(STATE_FILE), &reader).unwrap();
        state.records.client("Second");
        state.save().unwrap();
        // Not assert_eq: the text holds a (throwaway) private key.
        let kept = std::fs::read_to_string(&reader).unwrap() == before;
        assert!(kept, "the old file was rewritten in place");
        let after = std::fs::read_to_string(dir.join(STATE_FILE)).unwrap();
        assert!(after.contains("Second") && !before.contains("Second"));
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [STATE_FILE]);
        std::fs::remove_file(reader).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An existing folder holding only the state is made 0700 when the state is opened; a folder
    /// holding anything else keeps its mode.
    #[cfg(unix)]
    #[test]
    fn an_existing_state_folder_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |dir: &Path| std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
        let open =
            |dir: &Path| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
        let ours = temp_dir();
        State::open(&ours, false).unwrap().save().unwrap();
        open(&ours).unwrap();
        State::open(&ours, false).unwrap();
        assert_eq!(mode(&ours), 0o700, "a folder an earlier run made");
        let empty = temp_dir();
        std::fs::create_dir_all(&empty).unwrap();
        open(&empty).unwrap();
        State::open(&empty, false).unwrap();
        assert_eq!(mode(&empty), 0o700, "an empty folder");
        let shared = temp_dir();
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::write(shared.join("notes.txt"), "mine").unwrap();
        open(&shared).unwrap();
        State::open(&shared, false).unwrap().save().unwrap();
        assert_eq!(mode(&shared), 0o755, "someone's own folder");
        for dir in [ours, empty, shared] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn a_damaged_file_names_itself() {
        let dir = temp_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(STATE_FILE), "{not json").unwrap();
        let err = State::open(&dir, false).unwrap_err().to_string();
        assert!(
            err.contains("state.json") && err.contains("--fresh"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
