//! The two functions behind the OpenAPI example's REST API (`examples/openapi-api`): `orders`
//! and `catalog`, each answering API Gateway's Lambda proxy events (payload 1.0) for its routes.
//! They keep nothing between calls: the example is about the API in front of them.

pub mod catalog;
pub mod orders;
pub mod proxy;
