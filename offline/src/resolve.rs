//! CloudFormation's intrinsic functions over known values: `Ref`, `Fn::Sub`, `Fn::GetAtt` and
//! `Fn::Join`. Anything else is an error naming the function, so nothing is silently guessed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// `(where, problem)`: the caller adds the file.
pub type Problem = (String, String);

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
    pub fn resolve(&self, value: &Value, at: &str) -> Result<Value, Problem> {
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
                    other if other.starts_with("Fn::") || other == "Condition" => Err((
                        at.to_owned(),
                        format!("`{other}` is not supported by the offline stack"),
                    )),
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
    pub fn string(&self, value: &Value, at: &str) -> Result<String, Problem> {
        match self.resolve(value, at)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err((at.to_owned(), format!("expected a string, found {other}"))),
        }
    }

    fn resolve_object(&self, map: &Map<String, Value>, at: &str) -> Result<Value, Problem> {
        map.iter()
            .map(|(k, v)| Ok((k.clone(), self.resolve(v, &format!("{at}.{k}"))?)))
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object)
    }

    fn reference(&self, argument: &Value, at: &str) -> Result<String, Problem> {
        let name = argument
            .as_str()
            .ok_or_else(|| (at.to_owned(), "`Ref` takes a name".to_owned()))?;
        self.refs.get(name).cloned().ok_or_else(|| {
            (
                at.to_owned(),
                format!("`Ref {name}`: not a parameter or a resource the offline stack knows"),
            )
        })
    }

    fn get_att(&self, argument: &Value, at: &str) -> Result<String, Problem> {
        let parts = match argument {
            Value::Array(parts) if parts.len() == 2 => parts
                .iter()
                .map(|p| self.string(p, at))
                .collect::<Result<Vec<_>, _>>()?,
            _ => {
                return Err((
                    at.to_owned(),
                    "`Fn::GetAtt` takes [resource, attribute]".to_owned(),
                ));
            }
        };
        let key = parts.join(".");
        self.attributes.get(&key).cloned().ok_or_else(|| {
            (
                at.to_owned(),
                format!("`!GetAtt {key}`: not an attribute the offline stack knows"),
            )
        })
    }

    fn join(&self, argument: &Value, at: &str) -> Result<String, Problem> {
        let Some([delimiter, Value::Array(items)]) = argument.as_array().map(Vec::as_slice) else {
            return Err((
                at.to_owned(),
                "`Fn::Join` takes [delimiter, [values]]".to_owned(),
            ));
        };
        let delimiter = delimiter.as_str().ok_or_else(|| {
            (
                at.to_owned(),
                "`Fn::Join`: the delimiter must be a string".to_owned(),
            )
        })?;
        let parts = items
            .iter()
            .map(|item| self.string(item, at))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(parts.join(delimiter))
    }

    fn sub(&self, argument: &Value, at: &str) -> Result<String, Problem> {
        let (text, variables) = match argument {
            Value::String(text) => (text.as_str(), BTreeMap::new()),
            Value::Array(parts) => match parts.as_slice() {
                [Value::String(text), Value::Object(vars)] => {
                    let mut variables = BTreeMap::new();
                    for (name, value) in vars {
                        variables
                            .insert(name.as_str(), self.string(value, &format!("{at}.{name}"))?);
                    }
                    (text.as_str(), variables)
                }
                _ => {
                    return Err((
                        at.to_owned(),
                        "`Fn::Sub` takes a string or [string, {variables}]".to_owned(),
                    ));
                }
            },
            _ => {
                return Err((
                    at.to_owned(),
                    "`Fn::Sub` takes a string or [string, {variables}]".to_owned(),
                ));
            }
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}').ok_or_else(|| {
                (
                    at.to_owned(),
                    format!("`Fn::Sub`: unclosed `${{` in `{text}`"),
                )
            })?;
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(value) = variables.get(name) {
                out.push_str(value);
            } else if let Some(value) = self.refs.get(name) {
                out.push_str(value);
            } else if let Some(value) = self.attributes.get(name) {
                out.push_str(value);
            } else {
                return Err((
                    at.to_owned(),
                    format!(
                        "`Fn::Sub`: `${{{name}}}` is not a parameter, resource or attribute the offline stack knows"
                    ),
                ));
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
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
            let (at, problem) = r.resolve(&json!({"k": value}), "Root").unwrap_err();
            assert_eq!(at, "Root.k");
            assert!(problem.contains(needle), "{problem} should name {needle}");
        }
    }
}
