//! Lambda bootstrap of the multi-tenant example's pre token generation trigger.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use multi_tenant_trigger::{ClientTenants, TenantError, handle};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // A bad CLIENT_TENANTS stops the function at init, naming the setting.
    let tenants = ClientTenants::from_env()?;
    let tenants = &tenants;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(event.payload, tenants).map_err(|e: TenantError| Error::from(e.to_string()))
    }))
    .await
}
