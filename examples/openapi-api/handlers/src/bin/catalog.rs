//! Lambda bootstrap of the catalog function of the OpenAPI example.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(openapi_api_handlers::catalog::handle(&event.payload))
    }))
    .await
}
