//! The local user pool as Cognito serves it, on the stack's listener:
//!
//! - the OAuth endpoints (`oauth`): `POST /oauth2/token` with client credentials, the hosted
//!   UI's codes and refresh tokens, `/oauth2/userInfo` and `/oauth2/revoke`; the JWKS and the
//!   OpenID configuration (`discovery`);
//! - the people's side: Cognito's JSON API on `POST /` (`json_api`: the admin operations,
//!   `InitiateAuth` with SRP, password and refresh, challenges, `GetUser`, `RevokeToken`,
//!   `GlobalSignOut`), and the hosted UI (`hosted_ui`: `/oauth2/authorize`, `/login`,
//!   `/logout`), whose codes the token endpoint redeems.
//!
//! Underneath: the key and claim sets (`signer`, `tokens`), the users (`users`, `directory`,
//! `password`, `password_policy`, `srp`), password checks (`authenticate`) and the lockout after
//! failed ones (`lockout`), sign-ins and their
//! revocation (`sign_ins`), short-lived records (`pending`), the JSON API's errors
//! (`cognito_error`), client authentication (`clients`), and which path is whose (`endpoints`).

pub(crate) mod authenticate;
pub(crate) mod clients;
pub(crate) mod cognito_error;
pub(crate) mod directory;
pub(crate) mod discovery;
pub(crate) mod endpoints;
pub(crate) mod hosted_ui;
pub(crate) mod json_api;
pub(crate) mod lockout;
pub(crate) mod oauth;
pub(crate) mod password;
pub(crate) mod password_policy;
pub(crate) mod pending;
pub(crate) mod pre_token;
pub(crate) mod sign_ins;
pub(crate) mod signer;
pub(crate) mod srp;
pub(crate) mod tokens;
pub(crate) mod users;

use authorizer::UserPool;
use serde_json::Value;

use self::directory::Directory;
use self::pending::Pending;
use self::pre_token::PreToken;
use self::sign_ins::Minter;
pub(crate) use self::signer::USER_ADMIN_SCOPE;
use self::signer::{Signer, UserClaims};
use crate::error::Error;
use crate::state::State;
use crate::template::{AppClient, Stack};

/// The issuer of one stack's pool.
#[derive(Debug)]
pub struct Issuer {
    signer: Signer,
    clients: Vec<AppClient>,
    /// `http://127.0.0.1:PORT`, for the OpenID configuration.
    base_url: String,
    directory: Directory,
    pending: Pending,
    /// The pool's pre token generation trigger, once the functions are ready.
    pre_token: Option<PreToken>,
}

impl Issuer {
    /// The issuer of `stack`'s pool, with the key and people of `state` (saved there as they
    /// change), serving at `base_url` (empty when it only mints tokens).
    pub(crate) fn new(stack: &Stack, state: State, base_url: String) -> Result<Self, Error> {
        let parts = state.into_parts();
        let signer = Signer::new(&stack.pool_id, parts.key).map_err(|source| Error::Pool {
            file: stack.template.clone(),
            source,
        })?;
        let directory = Directory::new(
            parts.people,
            parts.secret,
            stack.user_pool.clone(),
            stack.groups.clone(),
            &stack.pool_id,
        );
        Ok(Self {
            signer,
            clients: stack.clients.clone(),
            base_url,
            directory,
            pending: Pending::default(),
            pre_token: None,
        })
    }

    /// Runs `pre_token` before every token this issuer makes.
    pub(crate) fn with_pre_token(mut self, pre_token: Option<PreToken>) -> Self {
        self.pre_token = pre_token;
        self
    }

    /// How this issuer makes tokens.
    pub(crate) fn minter(&self) -> Minter<'_> {
        Minter {
            signer: &self.signer,
            pre_token: self.pre_token.as_ref(),
        }
    }

    pub(crate) fn pool(&self) -> &UserPool {
        self.signer.pool()
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub(crate) fn clients(&self) -> &[AppClient] {
        &self.clients
    }

    /// The app client with `client_id`.
    pub(crate) fn client(&self, client_id: &str) -> Option<&AppClient> {
        self.clients
            .iter()
            .find(|c| c.credentials.client_id == client_id)
    }

    pub(crate) fn directory(&self) -> &Directory {
        &self.directory
    }

    pub(crate) fn pending(&self) -> &Pending {
        &self.pending
    }

    pub(crate) fn jwks(&self) -> &Value {
        self.signer.jwks()
    }

    /// `/.well-known/openid-configuration` of the pool.
    pub(crate) fn openid_configuration(&self) -> Value {
        discovery::openid_configuration(
            &self.signer.issuer(),
            self.signer.pool_id(),
            &self.base_url,
            &self.clients,
        )
    }

    /// A signed-in user's access token (`username`, `cognito:groups` when `groups` is not empty;
    /// scopes default to `aws.cognito.signin.user.admin`), issued to `client_id` (default: the
    /// template's first app client people sign in through, i.e. not a client-credentials one,
    /// else its first) for `ttl` seconds from `now`. `None`: no client to issue to. No sign-in is
    /// recorded: `GetUser` refuses such a token.
    pub fn user_token(
        &self,
        username: &str,
        groups: &[&str],
        scopes: &[&str],
        client_id: Option<&str>,
        now: u64,
        ttl: u64,
    ) -> Option<String> {
        self.user_token_with_claims(username, groups, scopes, client_id, &[], now, ttl)
    }

    /// [`Issuer::user_token`] with `claims` added as strings (`offline user-token --claim`); the
    /// caller has refused the protected ones (`pre_token::PROTECTED_CLAIMS`).
    #[allow(clippy::too_many_arguments)]
    pub fn user_token_with_claims(
        &self,
        username: &str,
        groups: &[&str],
        scopes: &[&str],
        client_id: Option<&str>,
        claims: &[(String, String)],
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
            extra: claims,
        };
        Some(self.signer.user(&claims, now, ttl))
    }
}
