//! `offline user-token`: a signed-in user's access token, signed by the local pool's key (the
//! stack need not be running).

use clap::Args;

use crate::error::Error;
use crate::issuer::pre_token::PROTECTED_CLAIMS;
use crate::server::Options;
use crate::server::load::standalone_issuer;

/// Default lifetime of a `user-token`, in seconds.
pub(crate) const DEFAULT_USER_TOKEN_TTL: u64 = 3600;

#[derive(Debug, Args)]
pub(crate) struct UserTokenArgs {
    /// The user's name (`username` claim).
    #[arg(long, value_name = "NAME")]
    username: String,
    /// `cognito:groups`, comma-separated [default: none, the claim is absent].
    #[arg(long, value_name = "A,B")]
    groups: Option<String>,
    /// Scopes, space-separated [default: aws.cognito.signin.user.admin].
    #[arg(long, value_name = "'S1 S2'")]
    scope: Option<String>,
    /// The app client the token is issued to [default: the template's first client people sign
    /// in through (not a client-credentials one), else its first].
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Lifetime in seconds (1 to 86400).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_USER_TOKEN_TTL,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    ttl: u64,
    /// A claim to add, as a string, as a pre token generation trigger would (repeatable), e.g.
    /// `--claim custom:tenant_id=acme`; the claims Cognito protects are refused.
    #[arg(long = "claim", value_name = "NAME=VALUE", value_parser = claim)]
    claims: Vec<(String, String)>,
}

/// `NAME=VALUE`, NAME not empty and not a claim a trigger may not change.
fn claim(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{text}`: the claim's name is empty"));
    }
    if PROTECTED_CLAIMS.contains(&name) {
        return Err(format!(
            "`{name}` is set by Cognito and cannot be added or changed (as a pre token generation trigger cannot)"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// A signed-in user's access token to mint (`offline user-token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserToken {
    pub username: String,
    /// `cognito:groups`; none: the claim is absent, as Cognito does.
    pub groups: Vec<String>,
    /// Empty: `aws.cognito.signin.user.admin`.
    pub scopes: Vec<String>,
    /// Default: the template's first app client for people (see
    /// [`Issuer::user_token`](crate::issuer::Issuer::user_token)).
    pub client_id: Option<String>,
    /// Lifetime in seconds (default 3600).
    pub ttl: u64,
    /// Claims added to the token, as strings (`--claim NAME=VALUE`).
    pub claims: Vec<(String, String)>,
}

impl From<UserTokenArgs> for UserToken {
    fn from(args: UserTokenArgs) -> Self {
        let list = |v: Option<String>, sep: char| -> Vec<String> {
            v.unwrap_or_default()
                .split(sep)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Self {
            username: args.username,
            groups: list(args.groups, ','),
            scopes: list(args.scope, ' '),
            client_id: args.client_id,
            ttl: args.ttl,
            claims: args.claims,
        }
    }
}

/// The token `request` asks for, signed by the key of the state `options` name.
pub fn user_token(options: &Options, request: &UserToken) -> Result<String, Error> {
    let (_, issuer) = standalone_issuer(&options.inputs, &options.state)?;
    let groups: Vec<&str> = request.groups.iter().map(String::as_str).collect();
    let scopes: Vec<&str> = request.scopes.iter().map(String::as_str).collect();
    issuer
        .user_token_with_claims(
            &request.username,
            &groups,
            &scopes,
            request.client_id.as_deref(),
            &request.claims,
            authorizer::unix_now(),
            request.ttl,
        )
        .ok_or(Error::NoAppClient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_name_value_and_protected_ones_are_refused() {
        assert_eq!(
            claim("custom:tenant_id=acme=1"),
            Ok(("custom:tenant_id".to_owned(), "acme=1".to_owned()))
        );
        assert_eq!(claim("tier="), Ok(("tier".to_owned(), String::new())));
        for bad in [
            "tier",
            "=x",
            "sub=x",
            "client_id=x",
            "scope=a",
            "cognito:groups=a",
            "iss=x",
        ] {
            assert!(claim(bad).is_err(), "{bad}");
        }
    }
}
