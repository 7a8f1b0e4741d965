//! Lambda bootstrap for the echo handler: logging set-up, then the runtime loop.

use echo_handler::function_handler;
use lambda_runtime::{Error, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL (default INFO). The handler logs only
    // request id, method, path and status: never headers, bodies or tokens.
    lambda_runtime::tracing::init_default_subscriber();
    // Sequential on classic Lambda; concurrent workers on Lambda Managed Instances
    // (AWS_LAMBDA_MAX_CONCURRENCY > 1).
    lambda_runtime::run_concurrent(service_fn(function_handler)).await
}
