//! A mock integration's answer, as API Gateway gives it without calling anything: the selected
//! integration response's status, its static header values and its static body (the template
//! fixes all three; see `template::openapi::mock`).

use crate::message::{AuthorizerUse, Response};
use crate::template::MockResponse;

/// The answer of `mock`, logged with `reason`.
pub(crate) fn answer(mock: &MockResponse, reason: &str, authorizer: AuthorizerUse) -> Response {
    Response {
        status: mock.status,
        headers: mock.headers.clone(),
        body: mock.body.clone().into_bytes(),
        reason: reason.to_owned(),
        authorizer,
    }
}
