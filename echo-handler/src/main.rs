//! Lambda bootstrap for the echo handler: logging set-up, CORS set-up, then the runtime loop.

use echo_handler::cors::Cors;
use echo_handler::function_handler;
use lambda_log::ColdStart;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use std::sync::Arc;

/// The `service` of the log lines when `SERVICE_NAME` is unset.
const DEFAULT_SERVICE: &str = "echo-handler";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Lambda's JSON lines (AWS_LAMBDA_LOG_FORMAT=JSON) or text, at AWS_LAMBDA_LOG_LEVEL (default
    // INFO), as the authorizer writes them. The handler logs only the API Gateway request id,
    // method, path and status: never headers, bodies or tokens.
    let service = std::env::var("SERVICE_NAME")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let valid = service
        .as_deref()
        .filter(|s| lambda_log::is_service_name(s));
    lambda_log::init(valid.unwrap_or(DEFAULT_SERVICE));
    if let Some(bad) = service
        .as_deref()
        .filter(|s| !lambda_log::is_service_name(s))
    {
        let e = format!(
            "SERVICE_NAME: `{}` is not 1-255 letters, digits and `_.:/-`",
            bad.escape_debug()
        );
        tracing::error!(error = %e, "configuration");
        return Err(e.into());
    }
    // CORS_ALLOW_ORIGIN set to something that is not one origin stops the function at init (every
    // invocation then fails, loudly) rather than answer without the CORS it was configured for.
    let cors = Cors::from_env().inspect_err(|e| tracing::error!(error = %e, "configuration"))?;
    let cold_start = Arc::new(ColdStart::new());
    // Sequential on classic Lambda; concurrent workers on Lambda Managed Instances
    // (AWS_LAMBDA_MAX_CONCURRENCY > 1).
    lambda_runtime::run_concurrent(service_fn(move |event: LambdaEvent<Value>| {
        let (cors, cold_start) = (cors.clone(), Arc::clone(&cold_start));
        async move { function_handler(event, &cors, &cold_start).await }
    }))
    .await
}
