//! Gateway responses: the template's `GatewayResponses` of a type, else its `DEFAULT_4XX` /
//! `DEFAULT_5XX`, else API Gateway's built-in response. Headers are exactly the built-in ones
//! (`Content-Type`, `x-amzn-ErrorType`) plus those the template defines.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::message::{AuthorizerUse, Response};
use crate::template::GatewayResponse;
use crate::template::api::gateway_response::DEFAULT_TEMPLATE;

/// An answer API Gateway makes itself, before the template reshapes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Builtin {
    pub(crate) status: u16,
    /// `$context.error.message`; `None` renders `null`.
    pub(crate) message: Option<&'static str>,
    /// `x-amzn-ErrorType`.
    pub(crate) error_type: &'static str,
}

/// The Lambda proxy integration's answer is not a proxy response, or the function failed: 502,
/// a response of no specific type (only `DEFAULT_5XX` applies).
pub(crate) const BAD_GATEWAY: Builtin = Builtin {
    status: 502,
    message: Some("Internal server error"),
    error_type: "InternalServerErrorException",
};

/// The API's configured gateway responses, by type.
#[derive(Debug)]
pub(crate) struct GatewayResponses {
    configured: BTreeMap<String, GatewayResponse>,
}

impl GatewayResponses {
    pub(crate) fn new(configured: BTreeMap<String, GatewayResponse>) -> Self {
        Self { configured }
    }

    /// The response of type `kind`, logged with `reason`: the template's response of that type,
    /// else its `DEFAULT_4XX`/`DEFAULT_5XX` (headers and template; the status stays the type's).
    pub(crate) fn respond(&self, kind: &str, reason: &str, authorizer: AuthorizerUse) -> Response {
        self.respond_saying(kind, builtin(kind).message, reason, authorizer)
    }

    /// [`GatewayResponses::respond`], with `$context.error.message` saying `message` (API
    /// Gateway's own wording for one case of the type, such as an expired Cognito token's).
    pub(crate) fn respond_saying(
        &self,
        kind: &str,
        message: Option<&'static str>,
        reason: &str,
        authorizer: AuthorizerUse,
    ) -> Response {
        let builtin = Builtin {
            message,
            ..builtin(kind)
        };
        match self.configured.get(kind) {
            Some(own) => render(
                own,
                own.status.unwrap_or(builtin.status),
                builtin,
                reason,
                authorizer,
            ),
            None => self.respond_untyped(builtin, reason, authorizer),
        }
    }

    /// `builtin` reshaped by the template's `DEFAULT_4XX`/`DEFAULT_5XX`, if any.
    pub(crate) fn respond_untyped(
        &self,
        builtin: Builtin,
        reason: &str,
        authorizer: AuthorizerUse,
    ) -> Response {
        let family = if builtin.status >= 500 {
            "DEFAULT_5XX"
        } else {
            "DEFAULT_4XX"
        };
        let default = GatewayResponse {
            status: None,
            headers: Vec::new(),
            template: DEFAULT_TEMPLATE.to_owned(),
        };
        let spec = self.configured.get(family).unwrap_or(&default);
        render(spec, builtin.status, builtin, reason, authorizer)
    }
}

fn render(
    spec: &GatewayResponse,
    status: u16,
    builtin: Builtin,
    reason: &str,
    authorizer: AuthorizerUse,
) -> Response {
    let message = builtin.message;
    let body = spec
        .template
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
        ("x-amzn-errortype".to_owned(), builtin.error_type.to_owned()),
    ];
    for (name, value) in &spec.headers {
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

/// Status, `$context.error.message` and `x-amzn-ErrorType` of API Gateway's built-in responses
/// of the types the offline gateway produces.
fn builtin(kind: &str) -> Builtin {
    let (status, message, error_type) = match kind {
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
    };
    Builtin {
        status,
        message,
        error_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: Option<u16>, header: &str) -> GatewayResponse {
        GatewayResponse {
            status,
            headers: vec![(header.to_owned(), "x".to_owned())],
            template: DEFAULT_TEMPLATE.to_owned(),
        }
    }

    #[test]
    fn a_type_without_its_own_response_takes_its_family_default() {
        let responses = GatewayResponses::new(BTreeMap::from([
            ("UNAUTHORIZED".to_owned(), response(Some(401), "X-Own")),
            ("DEFAULT_4XX".to_owned(), response(None, "X-Four")),
            ("DEFAULT_5XX".to_owned(), response(None, "X-Five")),
        ]));
        let header = |r: &Response| r.headers.last().map(|(n, _)| n.clone());
        let cases = [
            (
                responses.respond("UNAUTHORIZED", "", AuthorizerUse::None),
                401,
                "X-Own",
            ),
            (
                responses.respond("MISSING_AUTHENTICATION_TOKEN", "", AuthorizerUse::None),
                403,
                "X-Four",
            ),
            (
                responses.respond("REQUEST_TOO_LARGE", "", AuthorizerUse::None),
                413,
                "X-Four",
            ),
            (
                responses.respond("AUTHORIZER_CONFIGURATION_ERROR", "", AuthorizerUse::None),
                500,
                "X-Five",
            ),
            (
                responses.respond_untyped(BAD_GATEWAY, "", AuthorizerUse::None),
                502,
                "X-Five",
            ),
        ];
        for (answer, status, name) in cases {
            assert_eq!(
                (answer.status, header(&answer).as_deref()),
                (status, Some(name))
            );
        }
        let bare = GatewayResponses::new(BTreeMap::new()).respond_untyped(
            BAD_GATEWAY,
            "",
            AuthorizerUse::None,
        );
        assert_eq!(bare.body, br#"{"message":"Internal server error"}"#);
        assert_eq!(bare.headers.len(), 2);
    }
}
