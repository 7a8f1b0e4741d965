//! Lambda bootstrap for the echo handler: logging set-up, CORS set-up, then the runtime loop.

use echo_handler::cors::Cors;
use echo_handler::function_handler;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL (default INFO). The handler logs only
    // request id, method, path and status: never headers, bodies or tokens.
    lambda_runtime::tracing::init_default_subscriber();
    // CORS_ALLOW_ORIGIN set to something that is not one origin stops the function at init (every
    // invocation then fails, loudly) rather than answer without the CORS it was configured for.
    let cors = Cors::from_env().inspect_err(|e| tracing::error!(error = %e, "configuration"))?;
    // Sequential on classic Lambda; concurrent workers on Lambda Managed Instances
    // (AWS_LAMBDA_MAX_CONCURRENCY > 1).
    lambda_runtime::run_concurrent(service_fn(move |event: LambdaEvent<Value>| {
        let cors = cors.clone();
        async move { function_handler(event, &cors).await }
    }))
    .await
}
