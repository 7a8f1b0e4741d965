use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::*;
use crate::random::{LOWER_DIGITS, random_string};

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("offline-state-{}", random_string(8, LOWER_DIGITS)))
}

fn user(name: &str) -> StoredUser {
    StoredUser {
        username: name.to_owned(),
        sub: format!("sub-{name}"),
        attributes: [("email".to_owned(), format!("{name}@example.com"))].into(),
        password_hash: "pbkdf2-sha256$1$00$00".to_owned(),
        srp_salt: "10".to_owned(),
        srp_verifier: "02".to_owned(),
        status: UserStatus::Confirmed,
        temporary_password_expires: None,
        enabled: true,
        groups: vec!["readers".to_owned()],
        created: 1,
        modified: 2,
    }
}

fn sign_in(sub: &str, hash: &str) -> StoredSignIn {
    StoredSignIn {
        sub: sub.to_owned(),
        client_id: "c".to_owned(),
        auth_time: 1,
        event_id: "e".to_owned(),
        scopes: vec!["openid".to_owned(), "email".to_owned()],
        hosted: true,
        refresh_hash: hash.to_owned(),
        refresh_expires: u64::MAX / 2,
        tokens_expire: 2,
        revoked: false,
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn saved_state_comes_back_and_fresh_replaces_it() {
    let dir = temp_dir();
    let mut state = State::open(&dir, false).unwrap();
    let clients = state.clients(["AppClient"]).unwrap();
    let client = clients["AppClient"].clone();
    assert_eq!(
        (client.client_id.len(), client.client_secret.len()),
        (26, 51)
    );
    let (pool_id, jwk) = (state.pool_id("us-east-1"), state.key().jwk());
    let people = state.into_parts().people;
    people
        .change(|p| {
            p.insert_user(&user("alice"))?;
            p.insert_sign_in("jti", &sign_in("sub-alice", "00"), 0)
        })
        .unwrap();
    drop(people);

    let mut again = State::open(&dir, false).unwrap();
    assert_eq!(again.clients(["AppClient"]).unwrap()["AppClient"], client);
    assert_eq!(again.pool_id("us-east-1"), pool_id);
    assert_eq!(again.key().jwk(), jwk);
    let people = again.into_parts().people;
    let (alice, kept) = people
        .read(|p| Ok((p.user("sub-alice")?, p.sign_in("jti")?)))
        .unwrap();
    assert_eq!(alice, Some(user("alice")));
    assert_eq!(kept, Some(sign_in("sub-alice", "00")));
    #[cfg(unix)]
    {
        for file in ["state.db", "state.db-wal", "state.db-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
        assert_eq!(mode(&dir), 0o700);
    }
    drop(people);

    let mut fresh = State::open(&dir, true).unwrap();
    assert_ne!(fresh.clients(["AppClient"]).unwrap()["AppClient"], client);
    assert_ne!(fresh.key().jwk(), jwk);
    let people = fresh.into_parts().people;
    assert_eq!(people.read(|p| p.user_count()).unwrap(), 0);
    drop(people);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An existing folder holding only the state is made 0700 when the state is opened; a folder
/// holding anything else keeps its mode.
#[cfg(unix)]
#[test]
fn an_existing_state_folder_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let open = |dir: &Path| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    let ours = temp_dir();
    drop(State::open(&ours, false).unwrap());
    open(&ours).unwrap();
    drop(State::open(&ours, false).unwrap());
    assert_eq!(mode(&ours), 0o700, "a folder an earlier run made");
    let empty = temp_dir();
    std::fs::create_dir_all(&empty).unwrap();
    open(&empty).unwrap();
    drop(State::open(&empty, false).unwrap());
    assert_eq!(mode(&empty), 0o700, "an empty folder");
    let shared = temp_dir();
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("notes.txt"), "mine").unwrap();
    open(&shared).unwrap();
    drop(State::open(&shared, false).unwrap());
    assert_eq!(mode(&shared), 0o755, "someone's own folder");
    assert_eq!(mode(&shared.join("state.db")), 0o600, "the file still 0600");
    for dir in [ours, empty, shared] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn a_damaged_database_names_itself() {
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("state.db"),
        "not a database, but long enough to look like one ".repeat(20),
    )
    .unwrap();
    let err = State::open(&dir, false).unwrap_err().to_string();
    assert!(err.contains("state.db") && err.contains("--fresh"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A folder an earlier version left with `state.json` is migrated on first start: the key, pool
/// id, clients, users and sign-ins move into the database, the file is renamed so that it is
/// read once, and a second start reads the database.
#[test]
fn a_former_state_file_is_migrated_once() {
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let key = SigningKey::generate("kid-1").unwrap();
    let mut alice = serde_json::to_value(user("alice")).unwrap();
    alice
        .as_object_mut()
        .unwrap()
        .remove("temporaryPasswordExpires");
    let legacy = json!({
        "version": 1,
        "poolSuffix": "Legacy123",
        "kid": "kid-1",
        "privateKey": STANDARD.encode(key.to_pkcs8().unwrap()),
        "clients": {"AppClient": {"clientId": "c".repeat(26), "clientSecret": "s".repeat(51)}},
        "people": {
            "users": {"sub-alice": alice},
            "signIns": {
                "jti-1": serde_json::to_value(sign_in("sub-alice", "aa")).unwrap(),
                "jti-gone": serde_json::to_value(sign_in("sub-deleted", "bb")).unwrap(),
            }
        }
    });
    std::fs::write(dir.join("state.json"), legacy.to_string()).unwrap();

    let mut state = State::open(&dir, false).unwrap();
    assert_eq!(state.pool_id("eu-west-1"), "eu-west-1_Legacy123");
    assert_eq!(state.key().jwk(), key.jwk());
    assert_eq!(
        state.clients(["AppClient"]).unwrap()["AppClient"].client_id,
        "c".repeat(26)
    );
    let people = state.into_parts().people;
    let (alice, sign_in_kept, count) = people
        .read(|p| {
            Ok((
                p.user("sub-alice")?,
                p.sign_in("jti-1")?,
                p.sign_in_count()?,
            ))
        })
        .unwrap();
    assert_eq!(alice, Some(user("alice")));
    assert_eq!(sign_in_kept, Some(sign_in("sub-alice", "aa")));
    assert_eq!(count, 1, "a deleted user's sign-in is not carried over");
    drop(people);
    assert!(!dir.join("state.json").exists());
    assert!(dir.join("state.json.migrated").exists());

    // Read once: a state.json that comes back later is not read again.
    std::fs::write(dir.join("state.json"), "{not json").unwrap();
    let again = State::open(&dir, false).unwrap();
    assert_eq!(again.pool_id("eu-west-1"), "eu-west-1_Legacy123");
    drop(again);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_former_state_file_names_itself() {
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.json"), "{not json").unwrap();
    let err = State::open(&dir, false).unwrap_err().to_string();
    assert!(
        err.contains("state.json") && err.contains("--fresh"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two states opened on one folder share it: a change through one is seen by the other at once;
/// `--fresh` is refused while the other is open, naming its process, and allowed after.
#[test]
fn stacks_share_a_folder_and_fresh_waits_for_the_others() {
    let dir = temp_dir();
    let mut first = State::open(&dir, false).unwrap();
    let mut second = State::open(&dir, false).unwrap();
    assert_eq!(first.pool_id("r"), second.pool_id("r"), "one pool");
    assert_eq!(
        first.clients(["A"]).unwrap(),
        second.clients(["A"]).unwrap(),
        "one client"
    );
    let (one, two) = (first.into_parts().people, second.into_parts().people);
    one.change(|p| p.insert_user(&user("ann"))).unwrap();
    assert!(two.read(|p| p.user("sub-ann")).unwrap().is_some());
    two.change(|p| p.insert_sign_in("j", &sign_in("sub-ann", "cc"), 0))
        .unwrap();
    one.change(|p| p.revoke_sign_in("cc", "c")).unwrap();
    assert!(two.read(|p| p.sign_in("j")).unwrap().unwrap().revoked);

    let refused = State::open(&dir, true).unwrap_err().to_string();
    assert!(
        refused.contains(&format!("in use by process {}", std::process::id())),
        "{refused}"
    );
    assert!(
        one.read(|p| p.user("sub-ann")).unwrap().is_some(),
        "nothing was replaced"
    );
    drop((one, two));
    let fresh = State::open(&dir, true).unwrap();
    assert_eq!(
        fresh.into_parts().people.read(|p| p.user_count()).unwrap(),
        0
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_ephemeral_state_writes_nothing() {
    let mut state = State::ephemeral().unwrap();
    let clients = state.clients(["A", "B"]).unwrap();
    assert_ne!(clients["A"], clients["B"]);
    let parts = state.into_parts();
    assert_eq!(parts.people.path(), None);
    parts
        .people
        .change(|p| p.insert_user(&user("eve")))
        .unwrap();
    assert_eq!(parts.people.read(|p| p.user_count()).unwrap(), 1);
}

/// Sign-ins whose refresh token and tokens have all expired are forgotten at the next sign-in,
/// and beyond `MAX_SIGN_INS` the oldest go first.
#[test]
fn ended_sign_ins_are_forgotten_and_the_count_is_bounded() {
    use super::sign_ins::MAX_SIGN_INS;
    let people = State::ephemeral().unwrap().into_parts().people;
    let ending = |hash: &str, at: u64| {
        let mut s = sign_in("sub-s", hash);
        (s.refresh_expires, s.tokens_expire) = (at, at);
        s
    };
    people
        .change(|p| {
            p.insert_user(&user("s"))?;
            p.insert_sign_in("old", &ending("h-old", 10), 0)?;
            p.insert_sign_in("live", &ending("h-live", 100), 0)?;
            // As many more as make MAX_SIGN_INS, in bulk.
            p.connection.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
                 INSERT INTO sign_ins (origin_jti, sub, client_id, auth_time, event_id, scopes, \
                 hosted, refresh_hash, refresh_expires, tokens_expire, revoked) \
                 SELECT 'bulk' || i, 'sub-s', 'c', 1, 'e', '', 0, 'hb' || i, 1000, 1000, 0 FROM n",
                [super::store::int(MAX_SIGN_INS - 2)],
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let count = || people.read(|p| p.sign_in_count()).unwrap();
    let kept = |jti: &str| people.read(|p| p.sign_in(jti)).unwrap().is_some();
    assert_eq!(count(), MAX_SIGN_INS);
    people
        .change(|p| p.insert_sign_in("new", &ending("h-new", 1000), 50))
        .unwrap();
    assert!(!kept("old"), "ended at 10, forgotten at 50");
    assert!(kept("live") && kept("new"));
    assert_eq!(count(), MAX_SIGN_INS);
    people
        .change(|p| p.insert_sign_in("newer", &ending("h-newer", 1000), 50))
        .unwrap();
    assert!(!kept("live"), "the oldest went first");
    assert!(kept("newer") && kept("bulk1"));
    assert_eq!(count(), MAX_SIGN_INS);
}
