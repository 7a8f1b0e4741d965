//! The local pool's users in the state database, each change one transaction: creation,
//! passwords (a PBKDF2 hash and an SRP verifier, made before the transaction since they are slow
//! on purpose), groups, enabling, deletion. Sign-ins live beside them (`sign_ins`).

use super::cognito_error::CognitoError;
use super::password;
use super::password_policy;
use super::srp::SrpVerifier;
use super::users;
use crate::state::{People, PeopleStore, PoolSecret, StoreError, StoredUser, UserStatus};
use crate::template::{UserPoolGroup, UserPoolSettings};

/// The users of the local pool.
#[derive(Debug)]
pub(crate) struct Directory {
    store: PeopleStore,
    settings: UserPoolSettings,
    groups: Vec<UserPoolGroup>,
    /// The pool id's part after `_`, which SRP hashes.
    pool_name: String,
    /// Keys what is answered for names nobody has.
    secret: PoolSecret,
}

/// What is kept of a password.
#[derive(Debug, Clone)]
pub(crate) struct Secrets {
    password_hash: String,
    srp_salt: String,
    srp_verifier: String,
}

/// What a sign-in proved with a temporary password: whose, and which one. A new password answering
/// it is set only while that user is enabled and still has that temporary password: disabling the
/// user, or an administrator setting another password, ends it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct TemporaryProof {
    pub(crate) sub: String,
    /// The temporary password's hash as stored when it was proven (unique: salted).
    password_hash: String,
}

impl std::fmt::Debug for TemporaryProof {
    // Not the hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryProof")
            .field("sub", &self.sub)
            .finish_non_exhaustive()
    }
}

impl TemporaryProof {
    /// The proof that `user`'s current (temporary) password was given.
    pub(crate) fn of(user: &StoredUser) -> Self {
        Self {
            sub: user.sub.clone(),
            password_hash: user.password_hash.clone(),
        }
    }

    /// Whether `user` is still as proven: why not, as Cognito words it, otherwise.
    fn holds_for(&self, user: &StoredUser) -> Result<(), CognitoError> {
        if !user.enabled {
            return Err(CognitoError::NotAuthorized("User is disabled.".to_owned()));
        }
        if user.status != UserStatus::ForceChangePassword
            || user.password_hash != self.password_hash
        {
            return Err(CognitoError::NotAuthorized(
                "Invalid session for the user, session is expired.".to_owned(),
            ));
        }
        Ok(())
    }
}

/// A user to create (`AdminCreateUser`).
#[derive(Debug, Clone)]
pub(crate) struct NewUser {
    pub(crate) username: String,
    pub(crate) attributes: Vec<(String, String)>,
    /// `None`: one is generated (nobody learns it offline).
    pub(crate) temporary_password: Option<String>,
}

impl Directory {
    pub(crate) fn new(
        store: PeopleStore,
        secret: PoolSecret,
        settings: UserPoolSettings,
        groups: Vec<UserPoolGroup>,
        pool_id: &str,
    ) -> Self {
        let pool_name = pool_id
            .split_once('_')
            .map_or(pool_id, |(_, n)| n)
            .to_owned();
        Self {
            store,
            settings,
            groups,
            pool_name,
            secret,
        }
    }

    pub(crate) fn secret(&self) -> &PoolSecret {
        &self.secret
    }

    pub(crate) fn settings(&self) -> &UserPoolSettings {
        &self.settings
    }

    pub(crate) fn groups(&self) -> &[UserPoolGroup] {
        &self.groups
    }

    pub(crate) fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// Reads the people (a failure is `InternalErrorException`).
    pub(crate) fn read<R>(
        &self,
        f: impl FnOnce(&People<'_>) -> Result<R, StoreError>,
    ) -> Result<R, CognitoError> {
        Ok(self.store.read(f)?)
    }

    /// Changes the people in one transaction, committed when `f` succeeds: a refusal, or a change
    /// the database cannot take (`InternalErrorException`), changes nothing.
    pub(crate) fn change<R>(
        &self,
        f: impl FnOnce(&People<'_>) -> Result<R, CognitoError>,
    ) -> Result<R, CognitoError> {
        self.store.change(f)
    }

    /// The user signing in as `name` (user name or alias).
    pub(crate) fn find(&self, name: &str) -> Result<Option<StoredUser>, CognitoError> {
        self.read(|people| users::find(people, &self.settings, name))
    }

    pub(crate) fn by_sub(&self, sub: &str) -> Result<Option<StoredUser>, CognitoError> {
        self.read(|people| people.user(sub))
    }

    /// The user named `name`, or `UserNotFoundException`.
    pub(crate) fn existing(&self, name: &str) -> Result<StoredUser, CognitoError> {
        self.find(name)?.ok_or(CognitoError::UserNotFound)
    }

    /// The hash and SRP verifier of `password` for `user_id`, if the policy allows it.
    pub(crate) fn secrets(&self, user_id: &str, password: &str) -> Result<Secrets, CognitoError> {
        password_policy::check(&self.settings.password_policy, password)
            .map_err(|why| CognitoError::InvalidPassword(why.to_owned()))?;
        let failed = |_| CognitoError::Internal("no randomness".to_owned());
        let salt = SrpVerifier::random_salt().map_err(failed)?;
        let verifier = SrpVerifier::new(&self.pool_name, user_id, password, salt);
        Ok(Secrets {
            password_hash: password::hash(password).map_err(failed)?,
            srp_salt: hex(&verifier.salt),
            srp_verifier: hex(&verifier.verifier),
        })
    }

    /// Whether `password` is `user`'s.
    pub(crate) fn password_matches(user: &StoredUser, password: &str) -> bool {
        password::verify(password, &user.password_hash).unwrap_or(false)
    }

    /// The SRP verifier stored for `user`.
    pub(crate) fn srp_verifier(user: &StoredUser) -> SrpVerifier {
        SrpVerifier {
            salt: unhex(&user.srp_salt),
            verifier: unhex(&user.srp_verifier),
        }
    }

    /// Creates a user whose status is `FORCE_CHANGE_PASSWORD`.
    pub(crate) fn create(&self, new: NewUser, now: u64) -> Result<StoredUser, CognitoError> {
        users::check_username(&new.username)?;
        if self.find(&new.username)?.is_some() {
            return Err(CognitoError::UsernameExists);
        }
        let temporary = match new.temporary_password {
            Some(password) => password,
            None => password_policy::temporary(&self.settings.password_policy),
        };
        let secrets = self.secrets(&new.username, &temporary)?;
        let user = StoredUser {
            username: new.username,
            sub: authorizer::mint::random_id(),
            attributes: new.attributes.into_iter().collect(),
            password_hash: secrets.password_hash,
            srp_salt: secrets.srp_salt,
            srp_verifier: secrets.srp_verifier,
            status: UserStatus::ForceChangePassword,
            temporary_password_expires: Some(self.temporary_expiry(now)),
            enabled: true,
            groups: Vec::new(),
            created: now,
            modified: now,
        };
        self.change(|people| {
            if users::find(people, &self.settings, &user.username)?.is_some() {
                return Err(CognitoError::UsernameExists);
            }
            people.insert_user(&user)?;
            Ok(user)
        })
    }

    fn temporary_expiry(&self, now: u64) -> u64 {
        let days = self
            .settings
            .password_policy
            .temporary_password_validity_days
            .max(1);
        now + days * 86_400
    }

    #[cfg(test)]
    /// Sets `name`'s password: permanent (`CONFIRMED`) or temporary (`FORCE_CHANGE_PASSWORD`).
    pub(crate) fn set_password(
        &self,
        name: &str,
        password: &str,
        permanent: bool,
        now: u64,
    ) -> Result<StoredUser, CognitoError> {
        let user = self.existing(name)?;
        self.set_password_for(&user, password, permanent, now)
    }

    /// [`Directory::set_password`] for a user already looked up.
    pub(crate) fn set_password_for(
        &self,
        user: &StoredUser,
        password: &str,
        permanent: bool,
        now: u64,
    ) -> Result<StoredUser, CognitoError> {
        let secrets = self.secrets(&user.username, password)?;
        let expires = (!permanent).then(|| self.temporary_expiry(now));
        self.update(&user.sub, now, |user| {
            user.password_hash = secrets.password_hash;
            user.srp_salt = secrets.srp_salt;
            user.srp_verifier = secrets.srp_verifier;
            user.temporary_password_expires = expires;
            user.status = if permanent {
                UserStatus::Confirmed
            } else {
                UserStatus::ForceChangePassword
            };
            Ok(())
        })
    }

    /// Replaces the temporary password `proof` names with the permanent `password` (and sets
    /// `attributes`), in one change that first checks the user is still as proven: enabled, with
    /// that temporary password. A refusal changes nothing.
    pub(crate) fn replace_temporary(
        &self,
        proof: &TemporaryProof,
        password: &str,
        attributes: Vec<(String, String)>,
        now: u64,
    ) -> Result<StoredUser, CognitoError> {
        let user = self.by_sub(&proof.sub)?.ok_or(CognitoError::UserNotFound)?;
        proof.holds_for(&user)?;
        let secrets = self.secrets(&user.username, password)?;
        self.update(&proof.sub, now, |user| {
            proof.holds_for(user)?;
            user.password_hash = secrets.password_hash;
            user.srp_salt = secrets.srp_salt;
            user.srp_verifier = secrets.srp_verifier;
            user.temporary_password_expires = None;
            user.status = UserStatus::Confirmed;
            user.attributes.extend(attributes);
            Ok(())
        })
    }

    /// Applies `f` to the user with `sub` and saves.
    pub(crate) fn update(
        &self,
        sub: &str,
        now: u64,
        f: impl FnOnce(&mut StoredUser) -> Result<(), CognitoError>,
    ) -> Result<StoredUser, CognitoError> {
        self.change(|people| {
            let before = people.user(sub)?.ok_or(CognitoError::UserNotFound)?;
            let mut user = before.clone();
            f(&mut user)?;
            user.modified = now;
            people.update_user(&before, &user)?;
            Ok(user)
        })
    }

    /// The template's group named `name`, or `ResourceNotFoundException`.
    pub(crate) fn group(&self, name: &str) -> Result<&UserPoolGroup, CognitoError> {
        self.groups
            .iter()
            .find(|g| g.name == name)
            .ok_or_else(|| CognitoError::ResourceNotFound("Group not found.".to_owned()))
    }

    /// `user`'s groups that the template still defines, in the order of the template's groups'
    /// precedence, then of joining.
    pub(crate) fn groups_of(&self, user: &StoredUser) -> Vec<String> {
        let mut groups: Vec<&UserPoolGroup> = user
            .groups
            .iter()
            .filter_map(|name| self.groups.iter().find(|g| &g.name == name))
            .collect();
        groups.sort_by_key(|g| g.precedence.unwrap_or(u64::MAX));
        groups.into_iter().map(|g| g.name.clone()).collect()
    }

    /// Removes the user and forgets its sign-ins and failed sign-ins.
    pub(crate) fn delete(&self, name: &str) -> Result<(), CognitoError> {
        let user = self.existing(name)?;
        self.change(|people| {
            people.delete_user(&user.sub)?;
            people.set_lockout(&user.sub, None)?;
            Ok(())
        })
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex to bytes; a malformed string (a damaged state file) gives bytes that match nothing.
fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| text.get(2 * i..2 * i + 2))
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> Directory {
        let groups = vec![UserPoolGroup {
            logical_id: "R".into(),
            name: "readers".into(),
            precedence: None,
            description: None,
            role_arn: None,
        }];
        let parts = crate::state::State::ephemeral().unwrap().into_parts();
        Directory::new(
            parts.people,
            parts.secret,
            UserPoolSettings::default(),
            groups,
            "us-east-1_Pool1",
        )
    }

    #[test]
    fn a_user_is_created_given_a_password_and_grouped() {
        let d = directory();
        let new = NewUser {
            username: "alice".into(),
            attributes: vec![("email".into(), "a@example.com".into())],
            temporary_password: None,
        };
        let alice = d.create(new.clone(), 100).unwrap();
        assert_eq!(alice.status, UserStatus::ForceChangePassword);
        assert_eq!(
            d.create(new, 100).unwrap_err(),
            CognitoError::UsernameExists
        );
        let err = d.set_password("alice", "short", true, 101).unwrap_err();
        assert_eq!(
            err,
            CognitoError::InvalidPassword("Password not long enough".into())
        );
        let alice = d.set_password("alice", "Corr3ct-Horse", true, 101).unwrap();
        assert_eq!(alice.status, UserStatus::Confirmed);
        assert!(!alice.password_hash.contains("Corr3ct"));
        assert!(Directory::password_matches(&alice, "Corr3ct-Horse"));
        assert!(!Directory::password_matches(&alice, "Corr3ct-Horsf"));
        assert!(Directory::srp_verifier(&alice).matches("Pool1", "alice", "Corr3ct-Horse"));
        assert!(d.group("admins").is_err());
        d.update(&alice.sub, 102, |u| {
            u.groups.push("readers".into());
            u.groups.push("gone".into());
            Ok(())
        })
        .unwrap();
        assert_eq!(d.groups_of(&d.existing("alice").unwrap()), ["readers"]);
        d.delete("alice").unwrap();
        assert_eq!(d.existing("alice").unwrap_err(), CognitoError::UserNotFound);
    }
}
