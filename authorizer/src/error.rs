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
    /// No token: the `Authorization` value is absent, empty or only `Bearer`. Code `token_missing`.
    #[error("no token")]
    TokenMissing,
    /// The token (after `Bearer `) is larger than the verifier's
    /// [`max_token_bytes`](crate::VerifierSettings::max_token_bytes). Code `token_too_large`.
    #[error("token is larger than {limit} bytes")]
    TokenTooLarge {
        /// The size limit, in bytes.
        limit: usize,
    },
    /// Not a compact JWS of three canonical base64url parts whose header and payload are UTF-8 JSON
    /// objects without repeated keys; the text says which part is wrong (it quotes nothing from the
    /// token). Code `token_malformed`.
    #[error("token is malformed: {0}")]
    Malformed(&'static str),
    /// A claim the verifier reads has the wrong JSON type (`exp` not a non-negative integer,
    /// `scope` not a string, `cognito:groups` not an array of strings, ...); the text names the
    /// claim. Code `claim_type_invalid`.
    #[error("claim `{0}` has the wrong type")]
    ClaimType(&'static str),
    /// The header's `alg` is not `RS256` ([`crate::ALGORITHM`]); the header never selects the
    /// algorithm. Code `alg_not_allowed`.
    #[error("algorithm is not allowed (only RS256 is)")]
    AlgorithmNotAllowed,
    /// The header has no `kid` (or an empty one), so no key can be chosen. Code `kid_missing`.
    #[error("header has no `kid`")]
    KidMissing,
    /// The header has a `crit` parameter: no extension is understood, so none may be critical
    /// (RFC 7515 section 4.1.11). Code `crit_unsupported`.
    #[error("header has a `crit` parameter, which is not supported")]
    CritUnsupported,
    /// `iss` is missing or is not one of the configured pools' issuers (no key is fetched for any
    /// other issuer). Code `issuer_invalid`.
    #[error("issuer is not a configured user pool")]
    IssuerInvalid,
    /// The pool's JWKS, fetched again if the cooldown allowed it, has no usable key with this
    /// `kid`. Code `kid_unknown`.
    #[error("no key with this `kid` in the user pool's JWKS")]
    KidUnknown,
    /// The pool's keys could not be fetched and none younger than the stale bound are cached: an
    /// infrastructure failure, not the token's fault ([`Reject::is_infrastructure`]). Code
    /// `jwks_unavailable`.
    #[error("the user pool's JWKS could not be fetched and no usable keys are cached")]
    JwksUnavailable,
    /// The RS256 signature does not verify with the pool's key for this `kid` (a forged or altered
    /// token). Code `signature_invalid`.
    #[error("signature does not verify")]
    SignatureInvalid,
    /// The token has no `exp`. Code `exp_missing`.
    #[error("token has no `exp`")]
    ExpMissing,
    /// `exp` plus the leeway is not after the current time. Code `token_expired`.
    #[error("token has expired")]
    Expired,
    /// `nbf` is later than the current time plus the leeway. Code `token_not_yet_valid`.
    #[error("token is not valid yet (`nbf`)")]
    NotYetValid,
    /// The token has no `iat`. Code `iat_missing`.
    #[error("token has no `iat`")]
    IatMissing,
    /// `iat` is later than the current time plus the leeway. Code `iat_in_future`.
    #[error("token was issued in the future (`iat`)")]
    IssuedInFuture,
    /// `token_use` is not `access` (an ID token from the right pool, for instance). Code
    /// `token_use_invalid`.
    #[error("token is not an access token (`token_use`)")]
    NotAccessToken,
    /// `token_use` is not `id`, for a verifier that takes ID tokens only
    /// ([`TokenUse::Id`](crate::TokenUse::Id)). Code `token_use_invalid`.
    #[error("token is not an ID token (`token_use`)")]
    NotIdToken,
    /// The token names no app client: no `client_id` (or an empty one); for a verifier taking ID
    /// tokens, no `aud`. Code `client_id_missing`.
    #[error("token has no `client_id`")]
    ClientIdMissing,
    /// `client_id` is not one of the verifier's
    /// [`client_ids`](crate::VerifierSettings::client_ids) (checked only when that set is not
    /// empty). Code `client_not_allowed`.
    #[error("app client is not allowed")]
    ClientNotAllowed,
    /// The token has no `sub` (or an empty one). Code `sub_missing`.
    #[error("token has no `sub`")]
    SubMissing,
    /// `scope` is not space-separated tokens of printable ASCII as RFC 6749 section 3.3 writes them
    /// (see `auth_context::scope`). Code `scope_invalid`.
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
    /// The error for `setting`, with `problem` for a human.
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
    /// The HTTP request failed (connection, TLS, protocol). Code `http_error`.
    #[error("request failed: {0}")]
    Http(#[source] reqwest::Error),
    /// The connection or the whole request took longer than its timeout
    /// ([`FetchSettings`](crate::FetchSettings)). Code `timeout`.
    #[error("timed out")]
    Timeout,
    /// The answer's status (given) is not 200. Code `bad_status`.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The body is larger than [`max_bytes`](crate::FetchSettings::max_bytes). Code `too_large`.
    #[error("response is larger than {limit} bytes")]
    TooLarge {
        /// The size limit, in bytes.
        limit: usize,
    },
    /// The body is not a JWKS document (`{"keys": [...]}`); the text is the JSON parser's. Code
    /// `not_jwks`.
    #[error("response is not a JWKS: {0}")]
    NotJwks(String),
    /// The JWKS holds no RSA signing key of at least 2048 bits for RS256. Code `no_usable_keys`.
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
