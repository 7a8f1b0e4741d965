//! Lambda bootstrap for the echo handler: settings, logging set-up, then the runtime loop.

use echo_handler::config::DEFAULT_SERVICE_NAME;
use echo_handler::{Config, function_handler};
use lambda_log::ColdStart;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use std::sync::Arc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Lambda's JSON lines (AWS_LAMBDA_LOG_FORMAT=JSON) or text, at AWS_LAMBDA_LOG_LEVEL (default
    // INFO), as the authorizer writes them. The handler logs only the API Gateway request id,
    // method, path and status: never headers, bodies or tokens. A refused setting (for example a
    // CORS_ALLOW_ORIGIN that is not one origin) stops the function at init, logged under the
    // default service name, rather than run without the CORS it was configured for.
    let config = lambda_log::init_with_settings(
        Config::from_env(),
        |c| &c.service_name,
        DEFAULT_SERVICE_NAME,
    )?;
    let cors = config.cors;
    let cold_start = Arc::new(ColdStart::new());
    // Sequential on classic Lambda; concurrent workers on Lambda Managed Instances
    // (AWS_LAMBDA_MAX_CONCURRENCY > 1).
    lambda_runtime::run_concurrent(service_fn(move |event: LambdaEvent<Value>| {
        let (cors, cold_start) = (cors.clone(), Arc::clone(&cold_start));
        async move { function_handler(event, &cors, &cold_start).await }
    }))
    .await
}
