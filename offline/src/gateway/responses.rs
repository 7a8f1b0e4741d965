//! Gateway responses: the template's `GatewayResponses` of a type, else its `DEFAULT_4XX` /
//! `DEFAULT_5XX`, else API Gateway's built-in response.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::message::{AuthorizerUse, Response};
use crate::template::GatewayResponse;
use crate::template::rest_api::gateway_responses::DEFAULT_TEMPLATE;

/// The API's configured gateway responses, by type.
#[derive(Debug)]
pub struct GatewayResponses {
    configured: BTreeMap<String, GatewayResponse>,
}

impl GatewayResponses {
    pub fn new(configured: BTreeMap<String, GatewayResponse>) -> Self {
        Self { configured }
    }

    /// The response of type `kind`, logged with `reason`.
    pub fn respond(&self, kind: &str, reason: &str, authorizer: AuthorizerUse) -> Response {
        let (status, message, error_type) = builtin(kind);
        let family = if status >= 500 {
            "DEFAULT_5XX"
        } else {
            "DEFAULT_4XX"
        };
        let (status, extra, template) = match self.configured.get(kind) {
            Some(own) => (own.status, own.headers.as_slice(), own.template.as_str()),
            None => match self.configured.get(family) {
                Some(default) => (
                    status,
                    default.headers.as_slice(),
                    default.template.as_str(),
                ),
                None => (status, &[][..], DEFAULT_TEMPLATE),
            },
        };
        let body = template
            .replace(
                "$context.error.messageString",
                &message.map_or_else(
                    || "null".to_owned(),
                    |m| Value::String(m.to_owned()).to_string(),
                ),
            )
            .replace("$context.error.message", message.unwrap_or_default());
        let mut headers = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-amzn-errortype".to_owned(), error_type.to_owned()),
        ];
        for (name, value) in extra {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            headers.push((name.clone(), value.clone()));
        }
        Response {
            status,
            headers,
            body: body.into_bytes(),
            reason: reason.to_owned(),
            authorizer,
        }
    }
}

/// Status, `$context.error.message` and `x-amzn-ErrorType` of API Gateway's built-in responses.
fn builtin(kind: &str) -> (u16, Option<&'static str>, &'static str) {
    match kind {
        "UNAUTHORIZED" => (401, Some("Unauthorized"), "UnauthorizedException"),
        "ACCESS_DENIED" => (
            403,
            Some("User is not authorized to access this resource"),
            "AccessDeniedException",
        ),
        "MISSING_AUTHENTICATION_TOKEN" => (
            403,
            Some("Missing Authentication Token"),
            "MissingAuthenticationTokenException",
        ),
        "REQUEST_TOO_LARGE" => (413, Some("Request Too Long"), "RequestTooLargeException"),
        "AUTHORIZER_FAILURE" => (500, None, "AuthorizerFailureException"),
        _ => (500, None, "AuthorizerConfigurationException"),
    }
}
