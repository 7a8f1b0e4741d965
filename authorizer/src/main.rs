//! Lambda entry point: read the configuration once, prefetch the keys, answer authorizer events.

use std::sync::Arc;

use authorizer::{Authorizer, Config, DEFAULT_SERVICE_NAME, Metrics};
use lambda_runtime::{Error, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Read first: the settings name the service every log line carries. A refused one is logged
    // under the default name and stops the function at init.
    let config = authorizer::logging::init_with_settings(
        Config::from_env(),
        |c| &c.service_name,
        DEFAULT_SERVICE_NAME,
    )?;
    let authorizer = Arc::new(Authorizer::new(config, Metrics::stdout())?);
    authorizer.prefetch().await;
    lambda_runtime::run_concurrent(service_fn(move |event| {
        Arc::clone(&authorizer).invoke(event)
    }))
    .await
}
