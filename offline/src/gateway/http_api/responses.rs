//! The answers an HTTP API makes itself: a fixed status and `{"message": ...}`, with no
//! template to reshape them (HTTP APIs have no gateway responses).

use serde_json::json;

use crate::message::{AuthorizerUse, Response};

/// An answer of the HTTP API itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HttpError {
    /// No route (and no `$default` route) for the path, or a path outside the stage.
    NotFound,
    /// An identity source is missing or empty: the authorizer was not called.
    Unauthorized,
    /// The authorizer answered `isAuthorized: false`.
    Forbidden,
    /// The authorizer or the integration failed, or answered something malformed.
    InternalServerError,
    /// A body over the payload limit (AWS does not document this message for HTTP APIs; the
    /// offline gateway uses the REST API's).
    TooLarge,
}

impl HttpError {
    pub(crate) fn status(self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::InternalServerError => 500,
            Self::TooLarge => 413,
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::NotFound => "Not Found",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::InternalServerError => "Internal Server Error",
            Self::TooLarge => "Request Too Long",
        }
    }

    /// The answer, logged with `reason`.
    pub(crate) fn respond(self, reason: &str, authorizer: AuthorizerUse) -> Response {
        let mut response =
            Response::json(self.status(), &json!({"message": self.message()}), reason);
        response.headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        response.authorizer = authorizer;
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_a_status_and_a_message() {
        let answer = HttpError::Forbidden.respond("denied", AuthorizerUse::Cached);
        assert_eq!(answer.status, 403);
        assert_eq!(answer.body, br#"{"message":"Forbidden"}"#);
        assert_eq!(answer.authorizer, AuthorizerUse::Cached);
        assert_eq!(
            HttpError::NotFound.respond("", AuthorizerUse::None).status,
            404
        );
    }
}
