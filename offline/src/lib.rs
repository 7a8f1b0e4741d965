//! The stack of `template.yaml` on 127.0.0.1, with no AWS account and no Docker: a
//! Cognito-compatible issuer (client-credentials token endpoint, JWKS, OpenID configuration) and
//! a REST API gateway that runs the real authorizer and echo handler code.
//!
//! [`Offline::start`] reads the template, binds the listener, and fetches the authorizer's keys
//! from the local issuer, as a Lambda's init would; [`Offline::stop`] ends it.

pub mod api;
pub mod cli;
pub mod error;
pub mod gateway;
pub mod issuer;
pub mod resolve;
pub mod server;
pub mod stack;
pub mod state;
pub mod yaml;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use error::Error;
use gateway::{Gateway, Stats};
use issuer::Issuer;
use server::{Server, Services};
use stack::{Inputs, Stack};
use state::State;

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
    pub fn open(&self) -> Result<State, Error> {
        match self {
            Self::Folder { path, fresh } => State::open(path, *fresh),
            Self::Ephemeral => State::ephemeral(),
        }
    }
}

/// How to start.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Inputs,
    /// 0: any free port.
    pub port: u16,
    pub state: StateStore,
}

/// A running offline stack.
#[derive(Debug)]
pub struct Offline {
    stack: Stack,
    services: Arc<Services>,
    server: Server,
    base_url: String,
}

impl Offline {
    /// Reads the template, binds `127.0.0.1:port`, starts serving, and warms the authorizer's key
    /// cache from the local JWKS.
    pub async fn start(options: Options) -> Result<Self, Error> {
        let mut state = options.state.open()?;
        let stack = Stack::load(&options.inputs, &mut state)?;
        state.save()?;
        let bind = format!("127.0.0.1:{}", options.port);
        let io = |source| Error::Io {
            path: PathBuf::from(&bind),
            source,
        };
        let listener = tokio::net::TcpListener::bind(&bind).await.map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let base_url = format!("http://{addr}");
        let issuer = Issuer::new(&stack, state.into_key(), base_url.clone()).map_err(|source| {
            Error::Pool {
                file: stack.template.clone(),
                source,
            }
        })?;
        let gateway = Gateway::new(&stack, &base_url)?;
        let services = Arc::new(Services { issuer, gateway });
        let server = Server::spawn(listener, Arc::clone(&services)).map_err(io)?;
        services.gateway.prefetch().await;
        Ok(Self {
            stack,
            services,
            server,
            base_url,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.base_url)
    }

    /// The URL of an API path, with the stage as API Gateway serves it (`/Prod/echo`).
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/{}{}", self.base_url, self.stack.api.stage, path)
    }

    pub fn stack(&self) -> &Stack {
        &self.stack
    }

    pub fn issuer(&self) -> &Issuer {
        &self.services.issuer
    }

    pub fn stats(&self) -> &Stats {
        self.services.gateway.stats()
    }

    /// What to print at start: URLs, client credentials, and curl commands to try.
    pub fn banner(&self) -> String {
        cli::banner(self)
    }

    /// Stops serving and closes every connection.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}
