//! What API Gateway's own authorizers share at run time: each is built once per API from its
//! spec ([`builtin_runtimes`]); they verify tokens with the verifier the Lambda authorizer runs
//! (`authorizer::Verifier`), trusting the local pool only, its keys fetched from the local
//! issuer's JWKS; and read the claims of a token the verifier accepted.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use authorizer::{FetchSettings, JwksClient, TokenUse, UserPool, Verifier, VerifierSettings};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::template::{Api, BuiltinAuthorizer, Problem};

/// The local pool API Gateway's own authorizers trust: its id, the issuer serving its keys, and
/// the template (for messages).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalIssuer<'a> {
    pub(crate) pool_id: &'a str,
    pub(crate) url: &'a str,
    pub(crate) template: &'a Path,
}

/// The built-in authorizers of `api` of one kind (those `spec` takes), each run by what `build`
/// makes of it for the local pool and issuer, by name.
pub(crate) fn builtin_runtimes<S, R>(
    api: &Api,
    issuer: LocalIssuer<'_>,
    spec: impl Fn(&BuiltinAuthorizer) -> Option<&S>,
    build: impl Fn(&S, &str, &str) -> Result<R, String>,
) -> Result<BTreeMap<String, R>, Error> {
    let mut runtimes = BTreeMap::new();
    for (name, authorizer) in &api.builtin_authorizers {
        let Some(spec) = spec(authorizer) else {
            continue;
        };
        let runtime = build(spec, issuer.pool_id, issuer.url).map_err(|why| {
            let at = format!(
                "Resources.{}.Properties.Auth.Authorizers.{name}",
                api.logical_id
            );
            Problem::HttpClient(why).at(at).in_file(issuer.template)
        })?;
        runtimes.insert(name.clone(), runtime);
    }
    Ok(runtimes)
}

/// A verifier of the tokens of `pool_id` of `token_use` issued to one of `client_ids` (any
/// client when empty), fetching the keys from `issuer_url`; why it cannot be built otherwise.
pub(crate) fn pool_verifier(
    pool_id: &str,
    issuer_url: &str,
    token_use: TokenUse,
    client_ids: HashSet<String>,
) -> Result<Verifier, String> {
    let pool = UserPool::from_id(pool_id).map_err(|e| e.to_string())?;
    let client = JwksClient::new(FetchSettings::default()).map_err(|e| e.to_string())?;
    let settings = VerifierSettings {
        endpoint_override: Some(issuer_url.to_owned()),
        token_use,
        client_ids,
        ..VerifierSettings::default()
    };
    Ok(Verifier::new(vec![pool], settings, client))
}

/// The claims of `authorization` (a token, `Bearer ` prefixed or not) as its payload says them;
/// `None` unless it is three dot-separated parts whose second is a JSON object. This checks
/// nothing: only a token the verifier accepted is to be trusted.
pub(crate) fn token_claims(authorization: &str) -> Option<Map<String, Value>> {
    let token = authorizer::strip_bearer(authorization);
    let payload = token.split('.').nth(1)?;
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_are_read_from_the_payload_with_or_without_bearer() {
        let payload = URL_SAFE_NO_PAD.encode(json!({"sub": "s", "exp": 1}).to_string());
        let token = format!("e30.{payload}.c2ln");
        for value in [
            token.clone(),
            format!("Bearer {token}"),
            format!("bearer  {token}"),
        ] {
            let claims = token_claims(&value).unwrap();
            assert_eq!(
                (claims["sub"].as_str(), claims["exp"].as_u64()),
                (Some("s"), Some(1))
            );
        }
        for bad in [
            "",
            "abc",
            "a.!!.c",
            &format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1]")),
        ] {
            assert!(token_claims(bad).is_none(), "{bad}");
        }
    }
}
