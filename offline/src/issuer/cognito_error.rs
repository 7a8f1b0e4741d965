//! The errors of Cognito's JSON API, each with the `__type` and message Cognito answers: HTTP 400
//! (500 for an internal failure), `{"__type": ..., "message": ...}`, and the `x-amzn-ErrorType`
//! and `x-amzn-ErrorMessage` headers the SDKs read.

use serde_json::json;

use super::pre_token::PreTokenError;
use crate::message::{AuthorizerUse, Response};
use crate::state::StoreError;

/// Content type of the Cognito JSON protocol.
pub(crate) const AMZ_JSON: &str = "application/x-amz-json-1.1";

/// A refusal of the Cognito JSON API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CognitoError {
    /// Wrong password, bad secret hash, invalid or revoked token, disabled user...
    #[error("{0}")]
    NotAuthorized(String),
    #[error("User does not exist.")]
    UserNotFound,
    #[error("User account already exists")]
    UsernameExists,
    #[error("{0}")]
    InvalidParameter(String),
    /// The pool's password policy refuses the password.
    #[error("Password does not conform to policy: {0}")]
    InvalidPassword(String),
    /// Unknown pool, client or group.
    #[error("{0}")]
    ResourceNotFound(String),
    /// Known to Cognito, not emulated offline, or disabled for the client.
    #[error("{0}")]
    UnsupportedOperation(String),
    #[error("{0}")]
    UnsupportedTokenType(String),
    /// An `Admin*` (IAM) operation without a SigV4 `Authorization` header.
    #[error("Missing Authentication Token")]
    MissingAuthenticationToken,
    /// A signed IAM operation the caller may not call (offline: one sent by a browser).
    #[error("{0}")]
    AccessDenied(String),
    /// `X-Amz-Target` names no operation of the service.
    #[error("{0}")]
    UnknownOperation(String),
    /// The body is not the JSON the operation takes.
    #[error("{0}")]
    Serialization(String),
    /// The state database could not be read or written.
    #[error("{0}")]
    Internal(String),
    /// A trigger returned an error: `PreTokenGeneration failed with error ...`.
    #[error("{0}")]
    UserLambdaValidation(String),
    /// A trigger timed out or could not run.
    #[error("{0}")]
    UnexpectedLambda(String),
    /// A trigger's answer is not what Cognito reads.
    #[error("{0}")]
    InvalidLambdaResponse(String),
}

impl From<PreTokenError> for CognitoError {
    fn from(e: PreTokenError) -> Self {
        let message = e.to_string();
        match e {
            PreTokenError::Failed(_) => Self::UserLambdaValidation(message),
            PreTokenError::Unexpected(_) => Self::UnexpectedLambda(message),
            PreTokenError::Unrecognizable => Self::InvalidLambdaResponse(message),
        }
    }
}

impl From<StoreError> for CognitoError {
    /// Logged; the caller learns that the state failed, and why when another program held it.
    fn from(e: StoreError) -> Self {
        tracing::error!(target: "offline::issuer", error = %e, "the state database failed");
        let why = if e.is_busy() {
            " (another program held its write lock too long)"
        } else {
            ""
        };
        Self::Internal(format!(
            "The offline stack could not read or save its state{why}."
        ))
    }
}

impl CognitoError {
    /// `__type`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Self::NotAuthorized(_) => "NotAuthorizedException",
            Self::UserNotFound => "UserNotFoundException",
            Self::UsernameExists => "UsernameExistsException",
            Self::InvalidParameter(_) => "InvalidParameterException",
            Self::InvalidPassword(_) => "InvalidPasswordException",
            Self::ResourceNotFound(_) => "ResourceNotFoundException",
            Self::UnsupportedOperation(_) => "UnsupportedOperationException",
            Self::UnsupportedTokenType(_) => "UnsupportedTokenTypeException",
            Self::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            Self::AccessDenied(_) => "AccessDeniedException",
            Self::UnknownOperation(_) => "UnknownOperationException",
            Self::Serialization(_) => "SerializationException",
            Self::Internal(_) => "InternalErrorException",
            Self::UserLambdaValidation(_) => "UserLambdaValidationException",
            Self::UnexpectedLambda(_) => "UnexpectedLambdaException",
            Self::InvalidLambdaResponse(_) => "InvalidLambdaResponseException",
        }
    }

    pub(crate) fn status(&self) -> u16 {
        match self {
            Self::Internal(_) => 500,
            _ => 400,
        }
    }

    /// `NotAuthorizedException: Incorrect username or password.`
    pub(crate) fn wrong_password() -> Self {
        Self::NotAuthorized("Incorrect username or password.".to_owned())
    }

    /// `1 validation error detected: Value null at '<field>' ...`, as for a missing member.
    pub(crate) fn missing(field: &str) -> Self {
        Self::InvalidParameter(format!(
            "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
        ))
    }

    /// The HTTP answer.
    pub(crate) fn response(&self) -> Response {
        let message = self.to_string();
        let mut headers = vec![
            ("content-type".to_owned(), AMZ_JSON.to_owned()),
            (
                "x-amzn-ErrorType".to_owned(),
                format!("{}:", self.type_name()),
            ),
            ("x-amzn-RequestId".to_owned(), authorizer::mint::random_id()),
        ];
        // Header values are ASCII; every message here is.
        if message.is_ascii() && !message.contains(['\r', '\n']) {
            headers.push(("x-amzn-ErrorMessage".to_owned(), message.clone()));
        }
        Response {
            status: self.status(),
            headers,
            body: json!({"__type": self.type_name(), "message": message})
                .to_string()
                .into_bytes(),
            reason: self.type_name().to_owned(),
            authorizer: AuthorizerUse::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_answer_as_cognito() {
        let answer = CognitoError::wrong_password().response();
        assert_eq!(answer.status, 400);
        let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(
            body,
            json!({"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
        );
        assert!(
            answer
                .headers
                .contains(&("x-amzn-ErrorType".into(), "NotAuthorizedException:".into()))
        );
        assert_eq!(
            CognitoError::UserNotFound.to_string(),
            "User does not exist."
        );
        assert_eq!(
            CognitoError::InvalidPassword("Password not long enough".into()).to_string(),
            "Password does not conform to policy: Password not long enough"
        );
        assert_eq!(CognitoError::Internal("disk".into()).status(), 500);
    }
}
