//! `Fn::Sub` and `Fn::Join`: strings built from references and lists.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Resolver, arguments};
use crate::template::error::{Located, Problem};

const SUB_SHAPE: &str = "a string or [string, {variables}]";

/// `Fn::Join [delimiter, list]`; the list may itself be a function (`Ref` to a list parameter).
pub(super) fn join(r: &Resolver, argument: &Value, at: &str) -> Result<String, Located> {
    let Some([delimiter, list]) = argument.as_array().map(Vec::as_slice) else {
        return Err(arguments("Fn::Join", "[delimiter, [values]]").at(at));
    };
    let delimiter = delimiter
        .as_str()
        .ok_or_else(|| Problem::JoinDelimiter.at(at))?;
    let parts = r
        .list(list, at)?
        .iter()
        .map(|item| r.string(item, at))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join(delimiter))
}

/// `Fn::Sub`: `${name}` replaced by the variable, reference or attribute; `${!x}` is `${x}`.
pub(super) fn sub(r: &Resolver, argument: &Value, at: &str) -> Result<String, Located> {
    let (text, variables) = sub_arguments(r, argument, at)?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| Problem::SubUnclosed(text.to_owned()).at(at))?;
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else {
            match variables.get(name) {
                Some(value) => out.push_str(value),
                None => out.push_str(&r.sub_variable(name, at)?),
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `Fn::Sub`'s text and its own variables (`[text, {name: value}]`), resolved.
fn sub_arguments<'a>(
    r: &Resolver,
    argument: &'a Value,
    at: &str,
) -> Result<(&'a str, BTreeMap<&'a str, String>), Located> {
    match argument {
        Value::String(text) => Ok((text.as_str(), BTreeMap::new())),
        Value::Array(parts) => match parts.as_slice() {
            [Value::String(text), Value::Object(vars)] => {
                let mut variables = BTreeMap::new();
                for (name, value) in vars {
                    variables.insert(name.as_str(), r.string(value, &format!("{at}.{name}"))?);
                }
                Ok((text.as_str(), variables))
            }
            _ => Err(arguments("Fn::Sub", SUB_SHAPE).at(at)),
        },
        _ => Err(arguments("Fn::Sub", SUB_SHAPE).at(at)),
    }
}
