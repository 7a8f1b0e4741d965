//! A running offline stack: [`Offline::start`] reads the template, binds the listener, and
//! fetches the authorizer's keys from the local issuer, as a Lambda's init would;
//! [`Offline::stop`] ends it. The listener (`listener`) hands each request to the issuer or the
//! gateway (`dispatch`).

pub mod dispatch;
pub mod listener;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use self::dispatch::Services;
use self::listener::Server;
use crate::error::Error;
use crate::gateway::{Gateway, Stats};
use crate::issuer::Issuer;
use crate::state::StateStore;
use crate::template::{Inputs, Stack};

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
        let issuer = Issuer::new(&stack, state, base_url.clone())?;
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

    /// The URL of an API path, with the stage as API Gateway serves it (`/Prod/echo`; an HTTP
    /// API's `$default` stage at the root: `/echo`).
    pub fn api_url(&self, path: &str) -> String {
        format!("{}{}{}", self.base_url, self.stack.api.stage_prefix(), path)
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

    /// Stops serving and closes every connection.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}
