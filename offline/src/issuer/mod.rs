//! The local user pool as Cognito serves it: `POST /oauth2/token` (client credentials,
//! `token_endpoint`), the JWKS and the OpenID configuration (`discovery`), and user access tokens
//! for local tests of group rules; the key and claim sets in `signer`, client authentication in
//! `clients`, the HTTP paths in `endpoints`.

pub mod clients;
pub mod discovery;
pub mod endpoints;
pub mod password;
pub mod signer;
pub mod srp;
pub mod token_endpoint;

use authorizer::UserPool;
use authorizer::mint::SigningKey;
use serde_json::Value;

pub use self::signer::USER_ADMIN_SCOPE;
use self::signer::{Signer, UserClaims};
pub use self::token_endpoint::{TokenAnswer, TokenRequest};
use crate::error::Error;
use crate::template::{AppClient, Stack};

/// The issuer of one stack's pool.
#[derive(Debug)]
pub struct Issuer {
    signer: Signer,
    clients: Vec<AppClient>,
    /// `http://127.0.0.1:PORT`, for the OpenID configuration.
    base_url: String,
}

impl Issuer {
    /// The issuer of `stack`'s pool, signing with `key`, serving at `base_url` (empty when it
    /// only mints tokens).
    pub fn new(stack: &Stack, key: SigningKey, base_url: String) -> Result<Self, Error> {
        let signer = Signer::new(&stack.pool_id, key).map_err(|source| Error::Pool {
            file: stack.template.clone(),
            source,
        })?;
        Ok(Self {
            signer,
            clients: stack.clients.clone(),
            base_url,
        })
    }

    pub fn pool(&self) -> &UserPool {
        self.signer.pool()
    }

    pub fn jwks(&self) -> &Value {
        self.signer.jwks()
    }

    /// `/.well-known/openid-configuration` of the pool.
    pub fn openid_configuration(&self) -> Value {
        discovery::openid_configuration(
            &self.signer.issuer(),
            self.signer.pool_id(),
            &self.base_url,
            &self.clients,
        )
    }

    /// `POST /oauth2/token` at `now` (Unix seconds).
    pub fn token(&self, request: &TokenRequest<'_>, now: u64) -> TokenAnswer {
        token_endpoint::token(request, &self.clients, &self.signer, now)
    }

    /// A signed-in user's access token (`username`, `cognito:groups` when `groups` is not empty;
    /// scopes default to `aws.cognito.signin.user.admin`), issued to `client_id` (default: the
    /// template's first app client people sign in through, i.e. not a client-credentials one,
    /// else its first) for `ttl` seconds from `now`. `None`: no client to issue to.
    pub fn user_token(
        &self,
        username: &str,
        groups: &[&str],
        scopes: &[&str],
        client_id: Option<&str>,
        now: u64,
        ttl: u64,
    ) -> Option<String> {
        let client_id = match client_id {
            Some(id) => id,
            None => {
                let people = self.clients.iter().find(|c| c.is_for_people());
                people
                    .or(self.clients.first())?
                    .credentials
                    .client_id
                    .as_str()
            }
        };
        let claims = UserClaims {
            client_id,
            username,
            groups,
            scopes,
        };
        Some(self.signer.user(&claims, now, ttl))
    }
}
