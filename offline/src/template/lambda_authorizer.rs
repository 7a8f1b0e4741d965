//! What REST and HTTP API Lambda authorizers share in the template: the function `FunctionArn`
//! names (a function of the template), the identity sources (`Identity.Headers`, `QueryStrings`,
//! `StageVariables`, `Context`) and the cache TTL (`Identity.ReauthorizeEvery`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{ContextVariable, IdentitySource};
use super::error::{Located, Problem};
use super::fields::{str_field, string_list, whole_number};
use super::resources::function::Function;

/// `Identity` keys of an authorizer keyed on identity sources (REST `REQUEST`, HTTP API).
pub(crate) const IDENTITY_SOURCE_KEYS: &[&str] = &[
    "Headers",
    "QueryStrings",
    "StageVariables",
    "Context",
    "ReauthorizeEvery",
];

/// API Gateway's longest authorizer cache TTL.
pub(crate) const MAX_TTL_SECONDS: u64 = 3600;

/// The function `FunctionArn` names (at `at`): a function of the template.
pub(crate) fn authorizer_function<'a>(
    spec: &Value,
    functions: &'a BTreeMap<String, Function>,
    at: &str,
) -> Result<&'a Function, Located> {
    let arn = str_field(spec, "FunctionArn", at)?;
    functions
        .values()
        .find(|f| f.arn == arn)
        .ok_or_else(|| Problem::UnknownFunction(arn.to_owned()).at(format!("{at}.FunctionArn")))
}

/// Whether the authorizer entry `spec` names a `FunctionInvokeRole` (SAM's `NONE` names none).
pub(crate) fn has_invoke_role(spec: &Value) -> bool {
    spec.get("FunctionInvokeRole")
        .is_some_and(|role| !role.is_null() && role.as_str() != Some("NONE"))
}

/// `ReauthorizeEvery` of the `Identity` object `identity` (at `at`): 0 to 3600 seconds;
/// `default` when absent (`None`: it must be given).
pub(crate) fn ttl_seconds(
    identity: &Value,
    default: Option<u64>,
    at: &str,
) -> Result<u64, Located> {
    let at = format!("{at}.ReauthorizeEvery");
    match identity.get("ReauthorizeEvery") {
        None => default.ok_or_else(|| Problem::NoReauthorizeEvery.at(at)),
        Some(v) => whole_number(v)
            .filter(|ttl| *ttl <= MAX_TTL_SECONDS)
            .ok_or_else(|| Problem::ReauthorizeEvery.at(at)),
    }
}

/// The identity sources of the `Identity` object `identity` (at `at`), in SAM's order: headers,
/// query strings, stage variables, context variables (those of a REST API, or of an HTTP API).
pub(crate) fn identity_sources(
    identity: &Value,
    http_api: bool,
    at: &str,
) -> Result<Vec<IdentitySource>, Located> {
    let mut sources = Vec::new();
    let list = |key: &str| -> Result<Vec<String>, Located> {
        let names = string_list(identity, key, at)?;
        match names.iter().position(|n| n.trim().is_empty()) {
            Some(i) => Err(Problem::MissingString.at(format!("{at}.{key}[{i}]"))),
            None => Ok(names),
        }
    };
    sources.extend(list("Headers")?.into_iter().map(IdentitySource::Header));
    sources.extend(
        list("QueryStrings")?
            .into_iter()
            .map(IdentitySource::QueryString),
    );
    sources.extend(
        list("StageVariables")?
            .into_iter()
            .map(IdentitySource::StageVariable),
    );
    for (i, name) in list("Context")?.iter().enumerate() {
        let variable = ContextVariable::parse(name, http_api).ok_or_else(|| {
            Problem::UnknownContextVariable {
                name: name.clone(),
                known: ContextVariable::names(http_api).join(", "),
            }
            .at(format!("{at}.Context[{i}]"))
        })?;
        sources.push(IdentitySource::Context(variable));
    }
    Ok(sources)
}

/// API Gateway refuses an authorizer cache without an identity source to key it on.
pub(crate) fn check_cache_key(
    sources: &[IdentitySource],
    ttl_seconds: u64,
    at: &str,
) -> Result<(), Located> {
    if ttl_seconds > 0 && sources.is_empty() {
        return Err(Problem::CacheWithoutIdentity.at(at));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identity_sources_keep_sams_order_and_name_what_is_wrong() {
        let identity = json!({"Context": ["routeKey"], "StageVariables": ["v"],
            "QueryStrings": ["q"], "Headers": ["Authorization"], "ReauthorizeEvery": 60});
        assert_eq!(
            identity_sources(&identity, true, "I").unwrap(),
            [
                IdentitySource::Header("Authorization".into()),
                IdentitySource::QueryString("q".into()),
                IdentitySource::StageVariable("v".into()),
                IdentitySource::Context(ContextVariable::RouteKey),
            ]
        );
        let err = identity_sources(&identity, false, "I").unwrap_err();
        assert_eq!(err.path, "I.Context[0]");
        assert!(err.problem.to_string().contains("resourcePath"), "{err:?}");
        let err = identity_sources(&json!({"Headers": ["a", " "]}), true, "I").unwrap_err();
        assert_eq!(err.path, "I.Headers[1]");
        let err = identity_sources(&json!({"Headers": "Authorization"}), true, "I").unwrap_err();
        assert_eq!(err.path, "I.Headers");
        assert_eq!(ttl_seconds(&identity, None, "I").unwrap(), 60);
        assert_eq!(ttl_seconds(&json!({}), Some(300), "I").unwrap(), 300);
        assert_eq!(
            ttl_seconds(&json!({}), None, "I").unwrap_err().path,
            "I.ReauthorizeEvery"
        );
        assert!(ttl_seconds(&json!({"ReauthorizeEvery": 3601}), None, "I").is_err());
        assert!(check_cache_key(&[], 0, "I").is_ok());
        assert_eq!(
            check_cache_key(&[], 1, "I").unwrap_err().problem,
            Problem::CacheWithoutIdentity
        );
    }
}
