//! Lambda entry point: read the configuration once, prefetch the keys, answer authorizer events.

use std::sync::Arc;

use authorizer::{Authorizer, Config, DEFAULT_SERVICE_NAME, Metrics};
use lambda_runtime::{Error, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // The configuration names the service the log lines carry, so it is read first; reading it
    // logs nothing. A refused configuration is logged under the default service name.
    let config = Config::from_env();
    let service = config
        .as_ref()
        .map_or(DEFAULT_SERVICE_NAME, |c| c.service_name.as_str());
    authorizer::logging::init(service);
    let config = config.inspect_err(|e| tracing::error!("configuration error: {e}"))?;
    let authorizer = Arc::new(Authorizer::new(config, Metrics::stdout())?);
    authorizer.prefetch().await;
    lambda_runtime::run_concurrent(service_fn(move |event| {
        Arc::clone(&authorizer).invoke(event)
    }))
    .await
}
