//! Fields both kinds of API read: which properties are known, the stage's name and variables,
//! its access log and throttling.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{AccessLog, DEFAULT_STAGE};
use super::error::{Located, Problem};
use super::fields::{entries, only_known, optional_str, str_field, whole_number};

/// The API's properties `props` (at `at`) have no key but the `known` ones; another is named.
pub(crate) fn known_properties(props: &Value, known: &[&str], at: &str) -> Result<(), Located> {
    match props
        .as_object()
        .and_then(|p| p.keys().find(|k| !known.contains(&k.as_str())))
    {
        Some(unknown) => Err(Problem::UnsupportedApiProperty.at(format!("{at}.{unknown}"))),
        None => Ok(()),
    }
}

/// `name`, a stage name (at `{at}.StageName`): letters, digits, `-` and `_`, at most 128; or,
/// for an HTTP API (`http_api`), `$default`.
pub(crate) fn stage_name(name: &str, http_api: bool, at: &str) -> Result<String, Located> {
    let plain = (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain || (http_api && name == DEFAULT_STAGE) {
        Ok(name.to_owned())
    } else {
        Err(Problem::BadStageName(name.to_owned()).at(format!("{at}.StageName")))
    }
}

/// The stage variables `props.key` (at `at`): names of letters, digits and `_`, string values.
pub(crate) fn stage_variables(
    props: &Value,
    key: &str,
    at: &str,
) -> Result<BTreeMap<String, String>, Located> {
    if props.get(key).is_some_and(|v| !v.is_object()) {
        return Err(Problem::NotAMapping.at(format!("{at}.{key}")));
    }
    entries(props, key, at, |name, value, at| {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Problem::BadStageVariable(name.to_owned()).at(at));
        }
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(Problem::NotAString.at(at)),
        }
    })
}

/// The access log setting `props.key` (at `at`): `DestinationArn` and `Format`.
pub(crate) fn access_log(props: &Value, key: &str, at: &str) -> Result<Option<AccessLog>, Located> {
    let Some(setting) = props.get(key) else {
        return Ok(None);
    };
    let at = format!("{at}.{key}");
    only_known(setting, &["DestinationArn", "Format"], &at)?;
    Ok(Some(AccessLog {
        destination_arn: str_field(setting, "DestinationArn", &at)?.to_owned(),
        format: optional_str(setting, "Format", &at)?,
    }))
}

/// `ThrottlingRateLimit` (requests per second) and `ThrottlingBurstLimit` of a method or route
/// setting (at `at`).
pub(crate) fn throttling(setting: &Value, at: &str) -> Result<(Option<f64>, Option<u64>), Located> {
    let rate_limit = match setting.get("ThrottlingRateLimit") {
        None => None,
        Some(v) => Some(
            v.as_f64()
                .or_else(|| v.as_str()?.parse().ok())
                .filter(|r: &f64| r.is_finite() && *r >= 0.0)
                .ok_or_else(|| Problem::NotANumberValue.at(format!("{at}.ThrottlingRateLimit")))?,
        ),
    };
    let burst_limit = match setting.get("ThrottlingBurstLimit") {
        None => None,
        Some(v) => Some(
            whole_number(v)
                .ok_or_else(|| Problem::NotWholeNumber.at(format!("{at}.ThrottlingBurstLimit")))?,
        ),
    };
    Ok((rate_limit, burst_limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stage_names_and_variables_are_checked() {
        assert_eq!(stage_name("Prod", false, "A").unwrap(), "Prod");
        assert_eq!(stage_name("$default", true, "A").unwrap(), "$default");
        assert_eq!(
            stage_name("$default", false, "A").unwrap_err().path,
            "A.StageName"
        );
        assert!(stage_name("a/b", true, "A").is_err());
        let vars = stage_variables(&json!({"V": {"realm": "echo", "n": 1}}), "V", "A").unwrap();
        assert_eq!(vars["realm"], "echo");
        assert_eq!(vars["n"], "1");
        assert_eq!(
            stage_variables(&json!({"V": {"a-b": "x"}}), "V", "A")
                .unwrap_err()
                .path,
            "A.V.a-b"
        );
    }
}
