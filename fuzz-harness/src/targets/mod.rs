//! The three fuzz targets. Each panics on a broken invariant and returns what it saw, so the
//! replay test can also compare it with what a regression file's name expects.

mod authorizer_event;
mod echo_event;
mod token_path;

pub use authorizer_event::{EventRun, authorizer_event, substitute};
pub use echo_event::{EchoAnswer, echo_event};
pub use token_path::{TokenRun, token_path, token_path_init};

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::Value;

/// The policy of a REST authorizer answer.
fn policy_of(answer: &Value) -> ApiGatewayCustomAuthorizerPolicy {
    serde_json::from_value(answer["policyDocument"].clone()).expect("REST answer has a policy")
}
