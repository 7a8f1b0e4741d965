//! Typed errors: why a token was refused ([`Reject`]) and why the configuration is unusable ([`ConfigError`]).

use thiserror::Error;

/// Why a token was refused. Every variant has a stable [`code`](Reject::code) for logs and metrics.
///
/// All variants except [`Reject::JwksUnavailable`] are the caller's fault (API Gateway answers
/// 401); `JwksUnavailable` is an infrastructure failure: the token was refused because the keys
/// could not be had, not because it is bad.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reject {
    #[error("no token")]
    TokenMissing,
    #[error("token is larger than {limit} bytes")]
    TokenTooLarge { limit: usize },
    #[error("token is malformed: {0}")]
    Malformed(&'static str),
    #[error("claim `{0}` has the wrong type")]
    ClaimType(&'static str),
    #[error("algorithm is not allowed (only RS256 is)")]
    AlgorithmNotAllowed,
    #[error("header has no `kid`")]
    KidMissing,
    #[error("header has a `crit` parameter, which is not supported")]
    CritUnsupported,
    #[error("issuer is not a configured user pool")]
    IssuerInvalid,
    #[error("no key with this `kid` in the user pool's JWKS")]
    KidUnknown,
    #[error("the user pool's JWKS could not be fetched and no usable keys are cached")]
    JwksUnavailable,
    #[error("signature does not verify")]
    SignatureInvalid,
    #[error("token has no `exp`")]
    ExpMissing,
    #[error("token has expired")]
    Expired,
    #[error("token is not valid yet (`nbf`)")]
    NotYetValid,
    #[error("token has no `iat`")]
    IatMissing,
    #[error("token was issued in the future (`iat`)")]
    IssuedInFuture,
    #[error("token is not an access token (`token_use`)")]
    NotAccessToken,
    #[error("token is not an ID token (`token_use`)")]
    NotIdToken,
    #[error("token has no `client_id`")]
    ClientIdMissing,
    #[error("app client is not allowed")]
    ClientNotAllowed,
    #[error("token has no `sub`")]
    SubMissing,
    #[error("`scope` does not follow RFC 6749 (space-separated tokens of printable ASCII)")]
    ScopeInvalid,
}

impl Reject {
    /// Stable, lower-snake-case reason code, safe to log and to use as a metric dimension.
    pub fn code(&self) -> &'static str {
        match self {
            Reject::TokenMissing => "token_missing",
            Reject::TokenTooLarge { .. } => "token_too_large",
            Reject::Malformed(_) => "token_malformed",
            Reject::ClaimType(_) => "claim_type_invalid",
            Reject::AlgorithmNotAllowed => "alg_not_allowed",
            Reject::KidMissing => "kid_missing",
            Reject::CritUnsupported => "crit_unsupported",
            Reject::IssuerInvalid => "issuer_invalid",
            Reject::KidUnknown => "kid_unknown",
            Reject::JwksUnavailable => "jwks_unavailable",
            Reject::SignatureInvalid => "signature_invalid",
            Reject::ExpMissing => "exp_missing",
            Reject::Expired => "token_expired",
            Reject::NotYetValid => "token_not_yet_valid",
            Reject::IatMissing => "iat_missing",
            Reject::IssuedInFuture => "iat_in_future",
            Reject::NotAccessToken | Reject::NotIdToken => "token_use_invalid",
            Reject::ClientIdMissing => "client_id_missing",
            Reject::ClientNotAllowed => "client_not_allowed",
            Reject::SubMissing => "sub_missing",
            Reject::ScopeInvalid => "scope_invalid",
        }
    }

    /// True when the refusal is an infrastructure failure rather than a bad token.
    pub fn is_infrastructure(&self) -> bool {
        matches!(self, Reject::JwksUnavailable)
    }
}

/// A setting that cannot be used. Raised once, at start; the message names the setting.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The environment variable (or other setting) at fault.
    pub setting: &'static str,
    /// What is wrong with it, for a human.
    pub problem: String,
}

impl ConfigError {
    pub fn new(setting: &'static str, problem: impl Into<String>) -> Self {
        Self {
            setting,
            problem: problem.into(),
        }
    }
}

/// Why a JWKS fetch failed. Logged with the pool; never shown to callers.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("request failed: {0}")]
    Http(#[source] reqwest::Error),
    #[error("timed out")]
    Timeout,
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("response is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("response is not a JWKS: {0}")]
    NotJwks(String),
    #[error("JWKS has no usable RS256 signing key")]
    NoUsableKeys,
}

impl FetchError {
    /// Stable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Http(_) => "http_error",
            FetchError::Timeout => "timeout",
            FetchError::Status(_) => "bad_status",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::NotJwks(_) => "not_jwks",
            FetchError::NoUsableKeys => "no_usable_keys",
        }
    }
}
