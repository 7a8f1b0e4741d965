//! OAuth 2.0's error codes (RFC 6749 §4.1.2.1 and §5.2), as Cognito's endpoints send them.

/// An OAuth error code (RFC 6749 §4.1.2.1 and §5.2), plus Cognito's `redirect_mismatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OAuthError {
    #[error("invalid_request")]
    InvalidRequest,
    #[error("invalid_client")]
    InvalidClient,
    #[error("invalid_grant")]
    InvalidGrant,
    #[error("unauthorized_client")]
    UnauthorizedClient,
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    #[error("unsupported_response_type")]
    UnsupportedResponseType,
    #[error("invalid_scope")]
    InvalidScope,
    #[error("unsupported_token_type")]
    UnsupportedTokenType,
    /// `redirect_uri` is not one of the client's callback URLs: never redirected to.
    #[error("redirect_mismatch")]
    RedirectMismatch,
    #[error("server_error")]
    ServerError,
}

impl OAuthError {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::RedirectMismatch => "redirect_mismatch",
            Self::ServerError => "server_error",
        }
    }
}
