//! What the offline stack keeps between runs (signing key, user pool id, app client credentials,
//! and the pool's people: users, group memberships, sign-ins with the hashes of their refresh
//! tokens and their revocation), in a JSON file readable by its owner only, so tokens, client
//! secrets and users survive a restart. Passwords are never stored: only a salted slow hash and an
//! SRP verifier; refresh tokens only as a SHA-256 hash. Each save replaces the file whole
//! (`private`).

mod private;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::mint::{KeyError, SigningKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// The file inside the state folder.
pub const STATE_FILE: &str = "state.json";

/// The saved state cannot be read or written, or a key cannot be made.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem} (delete the folder or run with --fresh to start over)", path.display())]
pub struct StateError {
    pub path: PathBuf,
    pub problem: StateProblem,
}

#[derive(Debug, thiserror::Error)]
pub enum StateProblem {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("unknown version {0}")]
    Version(u32),
    #[error("privateKey: {0}")]
    PrivateKeyEncoding(#[from] base64::DecodeError),
    #[error("privateKey: {0}")]
    PrivateKey(KeyError),
    /// The key cannot be generated or encoded.
    #[error(transparent)]
    Key(KeyError),
}

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
    pub fn open(&self) -> Result<State, StateError> {
        match self {
            Self::Folder { path, fresh } => State::open(path, *fresh),
            Self::Ephemeral => State::ephemeral(),
        }
    }
}

const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An app client's generated credentials, shaped like Cognito's (26-character id, 51-character secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

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

/// The local user pool's identity and secrets.
#[derive(Debug)]
pub struct State {
    path: Option<PathBuf>,
    pool_suffix: String,
    key: SigningKey,
    clients: BTreeMap<String, ClientCredentials>,
    people: People,
}

impl State {
    /// A state kept in memory only: a new key, pool id and clients every time.
    pub fn ephemeral() -> Result<Self, StateError> {
        Ok(Self {
            path: None,
            pool_suffix: random_string(9, ALNUM),
            key: new_key()?,
            clients: BTreeMap::new(),
            people: People::default(),
        })
    }

    /// Reads `dir/state.json`, or starts a new state there (also when `fresh`). Call
    /// [`State::save`] once clients are known. An existing `dir` holding nothing but the state
    /// is made 0700.
    pub fn open(dir: &Path, fresh: bool) -> Result<Self, StateError> {
        if dir.is_dir() {
            private::secure_folder(dir, STATE_FILE).map_err(|e| StateError {
                path: dir.to_owned(),
                problem: StateProblem::Io(e),
            })?;
        }
        let path = dir.join(STATE_FILE);
        if fresh || !path.exists() {
            return Ok(Self {
                path: Some(path),
                ..Self::ephemeral()?
            });
        }
        let saved = read(&path).map_err(|problem| StateError {
            path: path.clone(),
            problem,
        })?;
        Ok(Self {
            path: Some(path),
            ..saved
        })
    }

    /// Writes the state (owner read/write only). A no-op for an ephemeral state.
    pub fn save(&self) -> Result<(), StateError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        self.write(path).map_err(|problem| StateError {
            path: path.clone(),
            problem,
        })
    }

    fn write(&self, path: &Path) -> Result<(), StateProblem> {
        write_saved(path, &self.saved()?)
    }

    fn saved(&self) -> Result<Saved, StateProblem> {
        let der = self.key.to_pkcs8().map_err(StateProblem::Key)?;
        Ok(Saved {
            version: 1,
            pool_suffix: self.pool_suffix.clone(),
            kid: self.key.kid().to_owned(),
            private_key: STANDARD.encode(der),
            clients: self.clients.clone(),
            people: self.people.clone(),
        })
    }

    /// The signing key and the people, for the issuer (after [`State::save`]): the people are
    /// saved with the rest of the state each time they change.
    pub fn into_parts(self) -> Result<(SigningKey, PeopleStore), StateError> {
        let file = match &self.path {
            Some(path) => {
                let saved = self.saved().map_err(|problem| StateError {
                    path: path.clone(),
                    problem,
                })?;
                Some((path.clone(), saved))
            }
            None => None,
        };
        let store = PeopleStore {
            people: self.people,
            file,
        };
        Ok((self.key, store))
    }

    /// `REGION_SUFFIX`, the local user pool's id in `region`.
    pub fn pool_id(&self, region: &str) -> String {
        format!("{region}_{}", self.pool_suffix)
    }

    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The credentials of the app client with this logical id, generated on first use.
    pub fn client(&mut self, logical_id: &str) -> ClientCredentials {
        self.clients
            .entry(logical_id.to_owned())
            .or_insert_with(|| ClientCredentials {
                client_id: random_string(26, LOWER_DIGITS),
                client_secret: random_string(51, LOWER_DIGITS),
            })
            .clone()
    }
}

/// The state saved at `path` (without its path).
fn read(path: &Path) -> Result<State, StateProblem> {
    let text = std::fs::read_to_string(path)?;
    let saved: Saved = serde_json::from_str(&text)?;
    if saved.version != 1 {
        return Err(StateProblem::Version(saved.version));
    }
    let der = STANDARD.decode(&saved.private_key)?;
    let key = SigningKey::from_pkcs8(saved.kid, &der).map_err(StateProblem::PrivateKey)?;
    Ok(State {
        path: None,
        pool_suffix: saved.pool_suffix,
        key,
        clients: saved.clients,
        people: saved.people,
    })
}

fn write_saved(path: &Path, saved: &Saved) -> Result<(), StateProblem> {
    let text = serde_json::to_string_pretty(saved)?;
    Ok(private::write(path, text.as_bytes())?)
}

/// The pool's people as the issuer keeps them: changed in memory, then saved (with the key, pool
/// id and clients the state was opened with) by [`PeopleStore::save`].
pub struct PeopleStore {
    pub people: People,
    /// Where to save, and the rest of the state; `None` for an ephemeral state.
    file: Option<(PathBuf, Saved)>,
}

impl std::fmt::Debug for PeopleStore {
    // Not the saved state: it holds the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeopleStore")
            .field("users", &self.people.users.len())
            .field("sign_ins", &self.people.sign_ins.len())
            .field("file", &self.file.as_ref().map(|(path, _)| path))
            .finish()
    }
}

impl PeopleStore {
    /// A store kept in memory only.
    pub fn in_memory(people: People) -> Self {
        Self { people, file: None }
    }

    /// Makes `people` the pool's people once the state file holds them (at once in memory): when
    /// the file cannot be written, nothing changes, in memory or on disk.
    pub fn replace(&mut self, people: People) -> Result<(), StateError> {
        if let Some((path, saved)) = &mut self.file {
            let before = std::mem::replace(&mut saved.people, people.clone());
            if let Err(problem) = write_saved(path, saved) {
                saved.people = before;
                return Err(StateError {
                    path: path.clone(),
                    problem,
                });
            }
        }
        self.people = people;
        Ok(())
    }
}

/// Users and sign-ins of the local pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct People {
    /// By `sub`.
    #[serde(default)]
    pub users: BTreeMap<String, StoredUser>,
    /// By `origin_jti`: one per sign-in, shared by the tokens it issued.
    #[serde(default)]
    pub sign_ins: BTreeMap<String, StoredSignIn>,
}

/// A user's account status (`UserStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Signs in with their password.
    Confirmed,
    /// Has a temporary password set by an administrator: sign-in asks for a new one
    /// (`NEW_PASSWORD_REQUIRED`).
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A user, without the password: a PBKDF2 hash of it and an SRP verifier.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StoredUser {
    pub username: String,
    pub sub: String,
    /// Standard attributes other than `sub` (`email`, `email_verified`, ...).
    pub attributes: BTreeMap<String, String>,
    /// `pbkdf2-sha256$...` (see `issuer::password`).
    pub password_hash: String,
    /// Hex.
    pub srp_salt: String,
    /// Hex.
    pub srp_verifier: String,
    pub status: UserStatus,
    /// Unix seconds after which a temporary password no longer signs in.
    #[serde(default)]
    pub temporary_password_expires: Option<u64>,
    pub enabled: bool,
    /// Group names, in the order they were added.
    pub groups: Vec<String>,
    pub created: u64,
    pub modified: u64,
}

/// One sign-in: what its refresh token may renew, and whether it was revoked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StoredSignIn {
    pub sub: String,
    pub client_id: String,
    pub auth_time: u64,
    pub event_id: String,
    /// The scopes of its access tokens.
    pub scopes: Vec<String>,
    /// Whether it came from the hosted UI (its tokens carry `version` and `at_hash`).
    pub hosted: bool,
    /// SHA-256 of the refresh token, hex.
    pub refresh_hash: String,
    pub refresh_expires: u64,
    /// When the last token it issued expires (it is forgotten after this and `refresh_expires`).
    pub tokens_expire: u64,
    pub revoked: bool,
}

fn new_key() -> Result<SigningKey, StateError> {
    let kid = format!("{}=", random_string(43, ALNUM));
    SigningKey::generate(kid).map_err(|e| StateError {
        path: PathBuf::from("(new key)"),
        problem: StateProblem::Key(e),
    })
}

/// `len` characters drawn uniformly from `alphabet` with the system RNG.
pub fn random_string(len: usize, alphabet: &[u8]) -> String {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        // The system RNG does not fail where aws-lc-rs runs; on failure the buffer stays zero
        // and the loop draws again.
        if aws_lc_rs::rand::fill(&mut buf).is_err() {
            continue;
        }
        for &b in &buf {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_state_comes_back_and_fresh_replaces_it() {
        let dir =
            std::env::temp_dir().join(format!("offline-state-{}", random_string(8, LOWER_DIGITS)));
        let mut state = State::open(&dir, false).unwrap();
        let client = state.client("AppClient");
        assert_eq!(
            (client.client_id.len(), client.client_secret.len()),
            (26, 51)
        );
        state.save().unwrap();
        let mut again = State::open(&dir, false).unwrap();
        assert_eq!(again.client("AppClient"), client);
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
        assert_eq!(third.client("AppClient"), client, "the rest is kept");
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
        assert_ne!(fresh.client("AppClient"), client);
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
        state.client("First");
        state.save().unwrap();
        let before = std::fs::read_to_string(dir.join(STATE_FILE)).unwrap();
        let reader = temp_dir();
        std::fs::hard_link(dir.join(STATE_FILE), &reader).unwrap();
        state.client("Second");
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
        let dir =
            std::env::temp_dir().join(format!("offline-state-{}", random_string(8, LOWER_DIGITS)));
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
