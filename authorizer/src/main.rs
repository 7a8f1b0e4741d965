//! Lambda entry point: read the configuration once, prefetch the keys, answer authorizer events.

use std::sync::Arc;

use authorizer::{Authorizer, Config, Metrics};
use lambda_runtime::{Error, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    authorizer::logging::init();
    let config = Config::from_env().inspect_err(|e| tracing::error!("configuration error: {e}"))?;
    let authorizer = Arc::new(Authorizer::new(config, Metrics::stdout())?);
    authorizer.prefetch().await;
    lambda_runtime::run_concurrent(service_fn(move |event| {
        Arc::clone(&authorizer).invoke(event)
    }))
    .await
}
