//! A running offline stack: [`Offline::start`] reads the template, binds the listener, and
//! fetches the authorizer's keys from the local issuer, as a Lambda's init would;
//! [`Offline::stop`] ends it. The listener (`listener`) hands each request for its own host
//! (`host`) to the issuer or the gateway (`dispatch`); a second listener serves the browser app on
//! an origin of its own. With `--allow-host ADDR` the stack also listens on `ADDR` at its port
//! (for `sam local`'s containers: docs/sam-local.md).

pub(crate) mod dispatch;
pub(crate) mod host;
pub(crate) mod listener;
pub(crate) mod load;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use self::dispatch::Services;
use self::listener::Server;
use crate::app::config::page_client;
use crate::app::{App, AppConfig};
use crate::error::Error;
use crate::gateway::{Gateway, Stats};
use crate::issuer::Issuer;
use crate::issuer::pre_token::PreToken;
use crate::state::StateStore;
use crate::template::{Inputs, Stack};

/// How to start.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Inputs,
    /// 0: any free port.
    pub port: u16,
    /// The browser app's port (0: any free one); `None`: not served.
    pub app_port: Option<u16>,
    /// `--allow-host`: an address of this machine (the Docker bridge's) where the stack also
    /// listens, at its port, and whose name it answers; `None`: loopback only.
    pub allow_host: Option<IpAddr>,
    pub state: StateStore,
}

/// A running offline stack.
#[derive(Debug)]
pub struct Offline {
    stack: Stack,
    services: Arc<Services>,
    server: Server,
    /// The listener on `--allow-host`'s address.
    also: Option<Server>,
    base_url: String,
    app: AppListener,
}

/// The browser app's listener, or why there is none.
#[derive(Debug)]
enum AppListener {
    Serving {
        app: Arc<App>,
        server: Server,
    },
    /// `--no-app`.
    Disabled,
    /// The template has no app client a page can sign in through.
    NoClient,
}

impl Offline {
    /// Reads the template, binds `127.0.0.1:port`, starts serving, and warms the authorizer's key
    /// cache from the local JWKS.
    pub async fn start(options: Options) -> Result<Self, Error> {
        let (stack, state) = load::load(&options.inputs, &options.state)?;
        let bind = format!("127.0.0.1:{}", options.port);
        let io = |source| Error::Io {
            path: PathBuf::from(format!("{bind} (the stack's port, --port)")),
            source,
        };
        let listener = tokio::net::TcpListener::bind(&bind).await.map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let base_url = format!("http://{addr}");
        let app = match options.app_port {
            Some(port) => bind_app(&stack, addr.port(), port).await?,
            None => AppListener::Disabled,
        };
        let gateway = Gateway::new(&stack, &base_url).await?;
        let issuer = Issuer::new(&stack, state, base_url.clone())?
            .with_pre_token(pre_token(&stack, &gateway));
        let services = Arc::new(Services { issuer, gateway });
        let also = options.allow_host;
        let server = Server::spawn(listener, Arc::clone(&services), also).map_err(io)?;
        let also = match also {
            Some(ip) => Some(bind_also(ip, addr.port(), &services).await?),
            None => None,
        };
        services.gateway.prefetch().await;
        Ok(Self {
            stack,
            services,
            server,
            also,
            base_url,
            app,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `http://ADDR:PORT` of `--allow-host`, when given.
    pub fn also_url(&self) -> Option<String> {
        self.also.as_ref().map(|s| format!("http://{}", s.addr()))
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.base_url)
    }

    /// The URL of a path of the template's first API, with the stage as API Gateway serves it
    /// (`/Prod/echo`; an HTTP API's `$default` stage at the root: `/echo`).
    pub fn api_url(&self, path: &str) -> String {
        self.url_of(self.stack.api(), path)
    }

    /// The URL of `path` on `api`, with its stage.
    pub(crate) fn url_of(&self, api: &crate::template::Api, path: &str) -> String {
        format!("{}{}{}", self.base_url, api.stage_prefix(), path)
    }

    /// How each function the APIs call runs, by logical id.
    pub(crate) fn functions(&self) -> &std::collections::BTreeMap<String, String> {
        self.services.gateway.functions()
    }

    /// What the start-up found worth saying (see `gateway::rule_check`).
    pub fn warnings(&self) -> &[String] {
        self.services.gateway.warnings()
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

    /// The browser app's page, `http://localhost:PORT/`, when it is served.
    pub fn app_url(&self) -> Option<String> {
        self.app_config().map(|c| c.redirect_uri.clone())
    }

    /// The browser app's `config.json`, when it is served.
    pub fn app_config(&self) -> Option<&AppConfig> {
        match &self.app {
            AppListener::Serving { app, .. } => Some(app.config()),
            AppListener::Disabled | AppListener::NoClient => None,
        }
    }

    /// Why the browser app is not served: `Some("--no-app")`, or that the template has no app
    /// client for it; `None` when it is.
    pub(crate) fn app_absence(&self) -> Option<&'static str> {
        match &self.app {
            AppListener::Serving { .. } => None,
            AppListener::Disabled => Some("--no-app"),
            AppListener::NoClient => {
                Some("the template has no public app client with the code flow")
            }
        }
    }

    /// Stops serving and closes every connection.
    pub async fn stop(self) {
        if let AppListener::Serving { server, .. } = self.app {
            server.stop().await;
        }
        if let Some(server) = self.also {
            server.stop().await;
        }
        self.server.stop().await;
    }
}

/// The pool's pre token generation trigger, its function made ready by the gateway.
fn pre_token(stack: &Stack, gateway: &Gateway) -> Option<PreToken> {
    let trigger = stack.user_pool.pre_token.as_ref()?;
    let function = gateway.function(&stack.pre_token_function()?.logical_id)?;
    Some(PreToken::new(
        trigger.version,
        function,
        &stack.region,
        &stack.pool_id,
    ))
}

/// Binds the browser app on `127.0.0.1:port`, its config naming `localhost` (the origin people
/// type, and the only host Cognito accepts over plain HTTP) and the stack's `stack_port`.
async fn bind_app(stack: &Stack, stack_port: u16, port: u16) -> Result<AppListener, Error> {
    if page_client(stack).is_none() {
        return Ok(AppListener::NoClient);
    }
    let bind = format!("127.0.0.1:{port}");
    let io = |source| Error::Io {
        path: PathBuf::from(format!("{bind} (the browser app's port, --app-port)")),
        source,
    };
    let listener = tokio::net::TcpListener::bind(&bind).await.map_err(io)?;
    let app_port = listener.local_addr().map_err(io)?.port();
    let stack_origin = format!("http://localhost:{stack_port}");
    let app_origin = format!("http://localhost:{app_port}");
    let Some(config) = AppConfig::for_stack(stack, &stack_origin, &app_origin) else {
        return Ok(AppListener::NoClient);
    };
    let app = Arc::new(App::new(config));
    let server = Server::spawn(listener, Arc::clone(&app), None).map_err(io)?;
    Ok(AppListener::Serving { app, server })
}

/// Serves the stack on `ip:port` too (`--allow-host`), answering Host `ip:port`.
async fn bind_also(ip: IpAddr, port: u16, services: &Arc<Services>) -> Result<Server, Error> {
    let bind = SocketAddr::new(ip, port);
    let io = |source| Error::Io {
        path: PathBuf::from(format!(
            "{bind} (--allow-host: an address of this machine, such as the Docker bridge's)"
        )),
        source,
    };
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(io)?;
    Server::spawn(listener, Arc::clone(services), Some(ip)).map_err(io)
}
