//! The person the policy benchmark and its example decide for (included with `#[path]`).

use authorizer::UserPool;
use authorizer::mint;

/// The claims of a person in `readers` and `members` (the groups the route tables admit readers
/// and members by), valid for an hour from now.
pub fn member_claims(pool: &UserPool) -> serde_json::Value {
    mint::user_claims(
        pool,
        "7d8f9a0b1c2d3e4f5a6b7c8d9e",
        "alice",
        &["readers", "members"],
        &["aws.cognito.signin.user.admin"],
        authorizer::unix_now(),
        3600,
    )
}
