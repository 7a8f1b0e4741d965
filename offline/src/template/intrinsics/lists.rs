//! `Fn::Select` and `Fn::Split`: lists, such as a `CommaDelimitedList` parameter's.

use serde_json::Value;

use super::{Resolver, arguments};
use crate::template::error::{Located, Problem};

/// `Fn::Select [index, list]`: the item at `index` (a number or a string of digits, from 0).
pub(super) fn select(r: &Resolver, argument: &Value, at: &str) -> Result<Value, Located> {
    let Some([index, list]) = argument.as_array().map(Vec::as_slice) else {
        return Err(arguments("Fn::Select", "[index, list]").at(at));
    };
    let index = r.string(index, at)?;
    let items = r.list(list, at)?;
    let len = items.len();
    index
        .parse::<usize>()
        .ok()
        .and_then(|i| items.into_iter().nth(i))
        .ok_or_else(|| Problem::SelectIndex { index, len }.at(at))
}

/// `Fn::Split [delimiter, string]`: the pieces, empty ones included, as CloudFormation does.
pub(super) fn split(r: &Resolver, argument: &Value, at: &str) -> Result<Value, Located> {
    let Some([Value::String(delimiter), source]) = argument.as_array().map(Vec::as_slice) else {
        return Err(arguments("Fn::Split", "[delimiter, string]").at(at));
    };
    if delimiter.is_empty() {
        return Err(arguments("Fn::Split", "a non-empty delimiter").at(at));
    }
    let source = r.string(source, at)?;
    Ok(Value::Array(
        source
            .split(delimiter.as_str())
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    ))
}
