//! Reading fields of template values: required strings, lists of strings, whole numbers written
//! as numbers or strings (as CloudFormation passes parameters), each error naming the path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{Located, Problem};

/// `resource.Properties`, empty when absent.
pub fn properties(resource: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// `v.key`, which must be a string.
pub fn str_field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, Located> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::MissingString.at(format!("{at}.{key}")))
}

/// `v.key` as a list; empty when absent or not a list.
pub fn array_field<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `v.key` as a list of strings; empty when absent.
pub fn strings(v: &Value, key: &str, at: &str) -> Result<Vec<String>, Located> {
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

/// Each entry of the object `v.key` (at `{at}.{key}.{name}`) read by `read(name, value, path)`;
/// empty when absent or not an object.
pub fn entries<T>(
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

/// A non-negative whole number, written as a number or a string (`300`, `"300"`).
pub fn whole_number(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// `resource.Type`, which must be a string.
pub fn resource_type<'a>(resource: &'a Value, at: &str) -> Result<&'a str, Located> {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::Missing.at(format!("{at}.Type")))
}

/// `template.Resources`, which must be there.
pub fn resource_map(template: &Value) -> Result<&Map<String, Value>, Located> {
    template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| Problem::Missing.at("Resources"))
}
