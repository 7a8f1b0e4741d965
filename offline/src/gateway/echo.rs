//! The echo function as its Lambda binary runs it: CORS configured once from the function's
//! environment (`CORS_ALLOW_ORIGIN`), then `echo_handler::handle_with_cors` for every event.

use echo_handler::cors::Cors;
use serde_json::Value;

use crate::template::Function;

/// One echo function, initialised.
#[derive(Debug, Clone)]
pub(crate) struct EchoRuntime {
    cors: Cors,
}

impl EchoRuntime {
    /// The function's init: a `CORS_ALLOW_ORIGIN` that is not one origin stops the Lambda at init,
    /// so it stops the offline stack at start.
    pub(crate) fn new(function: &Function) -> Result<Self, echo_handler::ConfigError> {
        let config =
            echo_handler::Config::from_lookup(|name| function.environment.get(name).cloned())?;
        Ok(Self { cors: config.cors })
    }

    /// One invocation.
    pub(crate) fn invoke(&self, event: Value) -> Result<Value, echo_handler::EchoError> {
        echo_handler::handle_with_cors(event, &self.cors)
    }
}
