//! Reading fields of template values: required strings, lists of strings, whole numbers written
//! as numbers or strings (as CloudFormation passes parameters), each error naming the path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{Located, Problem};

/// `resource.Properties`, empty when absent.
pub(crate) fn properties(resource: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// `v.key`, which must be a string.
pub(crate) fn str_field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, Located> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::MissingString.at(format!("{at}.{key}")))
}

/// `v.key` as a list; empty when absent or not a list.
pub(crate) fn array_field<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `v.key` as a list of strings; empty when absent.
pub(crate) fn strings(v: &Value, key: &str, at: &str) -> Result<Vec<String>, Located> {
    array_field(v, key)
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| Problem::NotAString.at(format!("{at}.{key}[{i}]")))
        })
        .collect()
}

/// `v.key` as a list of strings, which must be a list when present; empty when absent.
pub(crate) fn string_list(v: &Value, key: &str, at: &str) -> Result<Vec<String>, Located> {
    match v.get(key) {
        None | Some(Value::Array(_)) => strings(v, key, at),
        Some(other) => Err(Problem::ExpectedList(other.to_string()).at(format!("{at}.{key}"))),
    }
}

/// Each entry of the object `v.key` (at `{at}.{key}.{name}`) read by `read(name, value, path)`;
/// empty when absent or not an object.
pub(crate) fn entries<T>(
    v: &Value,
    key: &str,
    at: &str,
    mut read: impl FnMut(&str, &Value, &str) -> Result<T, Located>,
) -> Result<BTreeMap<String, T>, Located> {
    v.get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            Ok((
                name.clone(),
                read(name, value, &format!("{at}.{key}.{name}"))?,
            ))
        })
        .collect()
}

/// `v.key` as an optional string.
pub(crate) fn optional_str(v: &Value, key: &str, at: &str) -> Result<Option<String>, Located> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::NotAString.at(format!("{at}.{key}"))),
    }
}

/// `v.key` as a boolean (`true`, or `"true"` as a parameter gives it); `default` when absent.
pub(crate) fn boolean(v: &Value, key: &str, default: bool, at: &str) -> Result<bool, Located> {
    match v.get(key) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(Problem::NotABoolean.at(format!("{at}.{key}"))),
    }
}

/// `v.key` as a whole number within `range`; `None` when absent.
pub(crate) fn bounded(
    v: &Value,
    key: &str,
    range: std::ops::RangeInclusive<u64>,
    at: &str,
) -> Result<Option<u64>, Located> {
    let Some(value) = v.get(key) else {
        return Ok(None);
    };
    let (min, max) = (*range.start(), *range.end());
    whole_number(value)
        .filter(|n| range.contains(n))
        .map(Some)
        .ok_or_else(|| Problem::OutOfRange { min, max }.at(format!("{at}.{key}")))
}

/// Every key of the object `v` must be one of `known` (read, or known to change nothing
/// offline); another one is refused, naming it, rather than silently ignored.
pub(crate) fn only_known(v: &Value, known: &[&str], at: &str) -> Result<(), Located> {
    match v
        .as_object()
        .and_then(|map| map.keys().find(|k| !known.contains(&k.as_str())))
    {
        Some(unknown) => Err(Problem::UnreadProperty.at(format!("{at}.{unknown}"))),
        None => Ok(()),
    }
}

/// The value of a static mapping expression, as API Gateway's response parameters take it:
/// `'text'` → `text`; `None` for anything else (a request parameter, a number, ...).
pub(crate) fn static_value(v: &Value) -> Option<&str> {
    v.as_str()?.strip_prefix('\'')?.strip_suffix('\'')
}

/// A non-negative whole number, written as a number or a string (`300`, `"300"`).
pub(crate) fn whole_number(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// `resource.Type`, which must be a string.
pub(crate) fn resource_type<'a>(resource: &'a Value, at: &str) -> Result<&'a str, Located> {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::Missing.at(format!("{at}.Type")))
}

/// `template.Resources`, which must be there.
pub(crate) fn resource_map(template: &Value) -> Result<&Map<String, Value>, Located> {
    template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| Problem::Missing.at("Resources"))
}
