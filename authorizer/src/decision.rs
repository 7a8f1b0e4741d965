//! The decision for one request: the outcome, its stable reason, and what the token grants.

use crate::error::Reject;
use crate::grants::Grants;
use crate::metrics::Outcome;
use crate::policy::Permissions;
use crate::rules::Denial;

/// Why a decision came out as it did. Every variant has a stable [`code`](Reason::code) for logs
/// and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The token may call the requested route.
    Allowed,
    /// The token was refused (REST: 401).
    Refused(Reject),
    /// The token is valid but may not call the requested route (403).
    Denied(Denial),
}

impl Reason {
    /// `ok`, a [`Reject::code`] or a [`Denial::code`].
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Allowed => "ok",
            Reason::Refused(reject) => reject.code(),
            Reason::Denied(denial) => denial.code(),
        }
    }

    /// The metric and log outcome this reason falls under.
    pub fn outcome(&self) -> Outcome {
        match self {
            Reason::Allowed => Outcome::Allowed,
            Reason::Refused(reject) if reject.is_infrastructure() => Outcome::InfrastructureError,
            Reason::Refused(_) => Outcome::Unauthorized,
            Reason::Denied(_) => Outcome::Denied,
        }
    }
}

impl std::fmt::Display for Reason {
    /// The [`code`](Reason::code).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The result of checking one token against one request.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Why: allowed, refused (401) or denied (403), with a stable code.
    pub reason: Reason,
    /// What the token grants; `None` when it was refused.
    pub grants: Option<Grants>,
    /// What the token may call on the requested API and stage (the policy returned to REST
    /// APIs); `None` when it was refused.
    pub permissions: Option<Permissions>,
}

impl Decision {
    /// A refused token.
    pub fn refused(reject: Reject) -> Self {
        Self {
            reason: Reason::Refused(reject),
            grants: None,
            permissions: None,
        }
    }

    /// The metric and log outcome of the decision (see [`Reason::outcome`]).
    pub fn outcome(&self) -> Outcome {
        self.reason.outcome()
    }

    /// Whether the token may call the requested route.
    pub fn is_allowed(&self) -> bool {
        self.reason == Reason::Allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_outcomes() {
        for (reason, code, outcome) in [
            (Reason::Allowed, "ok", Outcome::Allowed),
            (
                Reason::Refused(Reject::Expired),
                "token_expired",
                Outcome::Unauthorized,
            ),
            (
                Reason::Refused(Reject::JwksUnavailable),
                "jwks_unavailable",
                Outcome::InfrastructureError,
            ),
            (
                Reason::Denied(Denial::ScopeMissing),
                "scope_missing",
                Outcome::Denied,
            ),
            (
                Reason::Denied(Denial::PathNotCanonical),
                "path_not_canonical",
                Outcome::Denied,
            ),
        ] {
            assert_eq!(reason.code(), code);
            assert_eq!(reason.outcome(), outcome);
        }
    }
}
