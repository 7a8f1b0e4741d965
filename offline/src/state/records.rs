//! The issuer's records: the signing key, the user pool id, and the app clients' credentials,
//! generated once and kept so that tokens and client secrets outlive a restart.

use std::collections::BTreeMap;

use authorizer::mint::SigningKey;
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

/// The local user pool's identity and secrets.
#[derive(Debug)]
pub(crate) struct Records {
    /// The user pool id's part after `REGION_`.
    pub(super) pool_suffix: String,
    pub(super) key: SigningKey,
    /// By the template's logical id of the app client.
    pub(super) clients: BTreeMap<String, ClientCredentials>,
}

impl Records {
    /// New ones: a new key and pool id, no clients yet.
    pub(crate) fn generate() -> Result<Self, StateError> {
        Ok(Self {
            pool_suffix: random_string(9, ALNUM),
            key: new_key()?,
            clients: BTreeMap::new(),
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

    /// The credentials of the app client with this logical id, generated on first use.
    pub(crate) fn client(&mut self, logical_id: &str) -> ClientCredentials {
        self.clients
            .entry(logical_id.to_owned())
            .or_insert_with(|| ClientCredentials {
                client_id: random_string(26, LOWER_DIGITS),
                client_secret: random_string(51, LOWER_DIGITS),
            })
            .clone()
    }
}

fn new_key() -> Result<SigningKey, StateError> {
    let kid = format!("{}=", random_string(43, ALNUM));
    SigningKey::generate(kid).map_err(|e| StateProblem::Key(e).at("(new key)"))
}
