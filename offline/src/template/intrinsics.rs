//! CloudFormation's intrinsic functions over known values: `Ref`, `Fn::Sub`, `Fn::GetAtt` and
//! `Fn::Join`. Anything else is an error naming the function, so nothing is silently guessed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{Located, Problem};

/// Values of parameters, pseudo parameters (`AWS::Region`, ...) and resources (`Ref`), and the
/// resource attributes (`Fn::GetAtt`) the offline stack knows.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    refs: BTreeMap<String, String>,
    attributes: BTreeMap<String, String>,
}

impl Resolver {
    /// What `Ref name` (and `${name}` in `Fn::Sub`) gives.
    pub fn set_ref(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.refs.insert(name.into(), value.into());
    }

    /// What `Fn::GetAtt [resource, attribute]` (and `${resource.attribute}`) gives.
    pub fn set_attribute(&mut self, resource: &str, attribute: &str, value: impl Into<String>) {
        self.attributes
            .insert(format!("{resource}.{attribute}"), value.into());
    }

    pub fn get_ref(&self, name: &str) -> Option<&str> {
        self.refs.get(name).map(String::as_str)
    }

    /// `value` with every intrinsic function replaced by its result.
    pub fn resolve(&self, value: &Value, at: &str) -> Result<Value, Located> {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let Some((name, argument)) = map.iter().next() else {
                    return Ok(value.clone());
                };
                match name.as_str() {
                    "Ref" => self.reference(argument, at).map(Value::String),
                    "Fn::Sub" => self.sub(argument, at).map(Value::String),
                    "Fn::GetAtt" => self.get_att(argument, at).map(Value::String),
                    "Fn::Join" => self.join(argument, at).map(Value::String),
                    other if other.starts_with("Fn::") || other == "Condition" => {
                        Err(Problem::UnsupportedFunction(other.to_owned()).at(at))
                    }
                    _ => self.resolve_object(map, at),
                }
            }
            Value::Object(map) => self.resolve_object(map, at),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.resolve(item, &format!("{at}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            _ => Ok(value.clone()),
        }
    }

    /// Resolves `value` to a string: strings as they are, numbers and booleans written out.
    pub fn string(&self, value: &Value, at: &str) -> Result<String, Located> {
        match self.resolve(value, at)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Problem::ExpectedString(other.to_string()).at(at)),
        }
    }

    fn resolve_object(&self, map: &Map<String, Value>, at: &str) -> Result<Value, Located> {
        map.iter()
            .map(|(k, v)| Ok((k.clone(), self.resolve(v, &format!("{at}.{k}"))?)))
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object)
    }

    fn reference(&self, argument: &Value, at: &str) -> Result<String, Located> {
        let name = argument
            .as_str()
            .ok_or_else(|| arguments("Ref", "a name").at(at))?;
        self.refs
            .get(name)
            .cloned()
            .ok_or_else(|| Problem::UnknownRef(name.to_owned()).at(at))
    }

    fn get_att(&self, argument: &Value, at: &str) -> Result<String, Located> {
        let parts = match argument {
            Value::Array(parts) if parts.len() == 2 => parts
                .iter()
                .map(|p| self.string(p, at))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(arguments("Fn::GetAtt", "[resource, attribute]").at(at)),
        };
        let key = parts.join(".");
        self.attributes
            .get(&key)
            .cloned()
            .ok_or_else(|| Problem::UnknownAttribute(key).at(at))
    }

    fn join(&self, argument: &Value, at: &str) -> Result<String, Located> {
        let Some([delimiter, Value::Array(items)]) = argument.as_array().map(Vec::as_slice) else {
            return Err(arguments("Fn::Join", "[delimiter, [values]]").at(at));
        };
        let delimiter = delimiter
            .as_str()
            .ok_or_else(|| Problem::JoinDelimiter.at(at))?;
        let parts = items
            .iter()
            .map(|item| self.string(item, at))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(parts.join(delimiter))
    }

    fn sub(&self, argument: &Value, at: &str) -> Result<String, Located> {
        let (text, variables) = self.sub_arguments(argument, at)?;
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
                let value = variables
                    .get(name)
                    .or_else(|| self.refs.get(name))
                    .or_else(|| self.attributes.get(name))
                    .ok_or_else(|| Problem::SubUnknown(name.to_owned()).at(at))?;
                out.push_str(value);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `Fn::Sub`'s text and its own variables (`[text, {name: value}]`), resolved.
    fn sub_arguments<'a>(
        &self,
        argument: &'a Value,
        at: &str,
    ) -> Result<(&'a str, BTreeMap<&'a str, String>), Located> {
        match argument {
            Value::String(text) => Ok((text.as_str(), BTreeMap::new())),
            Value::Array(parts) => match parts.as_slice() {
                [Value::String(text), Value::Object(vars)] => {
                    let mut variables = BTreeMap::new();
                    for (name, value) in vars {
                        variables
                            .insert(name.as_str(), self.string(value, &format!("{at}.{name}"))?);
                    }
                    Ok((text.as_str(), variables))
                }
                _ => Err(arguments("Fn::Sub", SUB_SHAPE).at(at)),
            },
            _ => Err(arguments("Fn::Sub", SUB_SHAPE).at(at)),
        }
    }
}

const SUB_SHAPE: &str = "a string or [string, {variables}]";

fn arguments(function: &'static str, shape: &'static str) -> Problem {
    Problem::FunctionArguments { function, shape }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolver() -> Resolver {
        let mut r = Resolver::default();
        r.set_ref("AWS::StackName", "echo-api");
        r.set_ref("Scope", "read");
        r.set_attribute("Fn", "Arn", "arn:aws:lambda:us-east-1:1:function:f");
        r
    }

    #[test]
    fn sub_ref_getatt_join() {
        let r = resolver();
        let v = r
            .resolve(
                &json!({
                    "a": {"Fn::Sub": "${AWS::StackName}-x/${Scope} ${!Literal} ${Fn.Arn}"},
                    "b": {"Fn::Sub": ["${v}/${Scope}", {"v": {"Ref": "AWS::StackName"}}]},
                    "c": [{"Fn::GetAtt": ["Fn", "Arn"]}, {"Fn::Join": ["-", ["a", {"Ref": "Scope"}, 3]]}],
                    "d": {"plain": 1, "x": "y"},
                }),
                "Root",
            )
            .unwrap();
        assert_eq!(
            v,
            json!({
                "a": "echo-api-x/read ${Literal} arn:aws:lambda:us-east-1:1:function:f",
                "b": "echo-api/read",
                "c": ["arn:aws:lambda:us-east-1:1:function:f", "a-read-3"],
                "d": {"plain": 1, "x": "y"},
            })
        );
    }

    #[test]
    fn unknown_names_and_functions_are_errors_naming_them() {
        let r = resolver();
        for (value, needle) in [
            (json!({"Ref": "Nope"}), "Ref Nope"),
            (json!({"Fn::Sub": "${Nope}"}), "${Nope}"),
            (json!({"Fn::Sub": "${Open"}), "unclosed"),
            (json!({"Fn::GetAtt": ["Fn", "Name"]}), "Fn.Name"),
            (json!({"Fn::If": ["c", 1, 2]}), "Fn::If"),
            (json!({"Fn::ImportValue": "x"}), "Fn::ImportValue"),
        ] {
            let Located { path, problem } = r.resolve(&json!({"k": value}), "Root").unwrap_err();
            assert_eq!(path, "Root.k");
            let problem = problem.to_string();
            assert!(problem.contains(needle), "{problem} should name {needle}");
        }
    }
}
