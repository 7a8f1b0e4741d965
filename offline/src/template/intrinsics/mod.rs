//! CloudFormation's intrinsic functions over known values: `Ref` (parameters, lists of
//! `CommaDelimitedList` parameters, resources, `AWS::NoValue`), `Fn::GetAtt`, `Fn::Sub` and
//! `Fn::Join` (`text`), `Fn::Select` and `Fn::Split` (`lists`), `Fn::If` over the template's
//! `Conditions` (`conditions`, which also evaluates them). Anything else is an error naming the
//! function, so nothing is silently guessed.

pub(crate) mod conditions;
mod lists;
mod text;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{Located, Problem};

/// `Ref AWS::NoValue`: the property or list item it stands for is removed.
pub(crate) const NO_VALUE: &str = "AWS::NoValue";

/// Values of parameters, pseudo parameters (`AWS::Region`, ...) and resources (`Ref`), the
/// resource attributes (`Fn::GetAtt`) and the conditions (`Fn::If`) the offline stack knows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolver {
    /// A string, or a list of strings (`CommaDelimitedList` parameters).
    refs: BTreeMap<String, Value>,
    attributes: BTreeMap<String, String>,
    conditions: BTreeMap<String, bool>,
}

impl Resolver {
    /// What `Ref name` (and `${name}` in `Fn::Sub`) gives.
    pub(crate) fn set_ref(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.refs.insert(name.into(), Value::String(value.into()));
    }

    /// What `Ref name` gives for a list (a `CommaDelimitedList` parameter); `Fn::Sub` refuses it.
    pub(crate) fn set_list_ref(&mut self, name: impl Into<String>, items: &[String]) {
        let items = items.iter().cloned().map(Value::String).collect();
        self.refs.insert(name.into(), Value::Array(items));
    }

    /// What `Fn::GetAtt [resource, attribute]` (and `${resource.attribute}`) gives.
    pub(crate) fn set_attribute(
        &mut self,
        resource: &str,
        attribute: &str,
        value: impl Into<String>,
    ) {
        self.attributes
            .insert(format!("{resource}.{attribute}"), value.into());
    }

    /// The template's conditions, evaluated ([`conditions::evaluate`]).
    pub(crate) fn set_conditions(&mut self, conditions: BTreeMap<String, bool>) {
        self.conditions = conditions;
    }

    /// The string `Ref name` gives (`None` for a list or an unknown name).
    pub(crate) fn get_ref(&self, name: &str) -> Option<&str> {
        self.refs.get(name).and_then(Value::as_str)
    }

    /// The value of condition `name`, if the template defines it.
    pub(crate) fn condition(&self, name: &str) -> Option<bool> {
        self.conditions.get(name).copied()
    }

    /// `value` with every intrinsic function replaced by its result; what `AWS::NoValue` stands
    /// for is removed (the whole value: `null`).
    pub(crate) fn resolve(&self, value: &Value, at: &str) -> Result<Value, Located> {
        Ok(self.node(value, at)?.unwrap_or(Value::Null))
    }

    /// Resolves `value` to a string: strings as they are, numbers and booleans written out.
    pub(crate) fn string(&self, value: &Value, at: &str) -> Result<String, Located> {
        match self.resolve(value, at)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Problem::ExpectedString(other.to_string()).at(at)),
        }
    }

    /// Resolves `value` to a list (a literal list, `Ref` to a list parameter, `Fn::Split`, ...).
    pub(crate) fn list(&self, value: &Value, at: &str) -> Result<Vec<Value>, Located> {
        match self.resolve(value, at)? {
            Value::Array(items) => Ok(items),
            other => Err(Problem::ExpectedList(other.to_string()).at(at)),
        }
    }

    /// `None` where the value is `AWS::NoValue`.
    fn node(&self, value: &Value, at: &str) -> Result<Option<Value>, Located> {
        match value {
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((name, argument)) => self.function(map, name, argument, at),
                None => Ok(Some(value.clone())),
            },
            Value::Object(map) => self.object(map, at).map(Some),
            Value::Array(items) => self.array(items, at).map(Some),
            _ => Ok(Some(value.clone())),
        }
    }

    /// A one-key object: a function call, or a plain object.
    fn function(
        &self,
        map: &Map<String, Value>,
        name: &str,
        argument: &Value,
        at: &str,
    ) -> Result<Option<Value>, Located> {
        let text = |s: String| Some(Value::String(s));
        match name {
            "Ref" => self.reference(argument, at),
            "Fn::If" => conditions::choose(self, argument, at),
            "Fn::Sub" => text::sub(self, argument, at).map(text),
            "Fn::Join" => text::join(self, argument, at).map(text),
            "Fn::GetAtt" => self.get_att(argument, at).map(text),
            "Fn::Select" => lists::select(self, argument, at).map(Some),
            "Fn::Split" => lists::split(self, argument, at).map(Some),
            other if other.starts_with("Fn::") || other == "Condition" => {
                Err(Problem::UnsupportedFunction(other.to_owned()).at(at))
            }
            _ => self.object(map, at).map(Some),
        }
    }

    /// Every entry resolved; entries that are `AWS::NoValue` removed.
    fn object(&self, map: &Map<String, Value>, at: &str) -> Result<Value, Located> {
        let mut out = Map::new();
        for (key, value) in map {
            if let Some(value) = self.node(value, &format!("{at}.{key}"))? {
                out.insert(key.clone(), value);
            }
        }
        Ok(Value::Object(out))
    }

    /// Every item resolved; items that are `AWS::NoValue` removed.
    fn array(&self, items: &[Value], at: &str) -> Result<Value, Located> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.extend(self.node(item, &format!("{at}[{i}]"))?);
        }
        Ok(Value::Array(out))
    }

    fn reference(&self, argument: &Value, at: &str) -> Result<Option<Value>, Located> {
        let name = argument
            .as_str()
            .ok_or_else(|| arguments("Ref", "a name").at(at))?;
        if name == NO_VALUE {
            return Ok(None);
        }
        self.refs
            .get(name)
            .cloned()
            .map(Some)
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

    /// What `${name}` in `Fn::Sub` gives: a string reference or attribute.
    fn sub_variable(&self, name: &str, at: &str) -> Result<String, Located> {
        match self.refs.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(Problem::ListInText(name.to_owned()).at(at)),
            None => self
                .attributes
                .get(name)
                .cloned()
                .ok_or_else(|| Problem::SubUnknown(name.to_owned()).at(at)),
        }
    }
}

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
        r.set_list_ref(
            "Urls",
            &["https://a/cb".to_owned(), "https://b/cb".to_owned()],
        );
        r.set_attribute("Fn", "Arn", "arn:aws:lambda:us-east-1:1:function:f");
        r.set_conditions(BTreeMap::from([
            ("Yes".to_owned(), true),
            ("No".to_owned(), false),
        ]));
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
    fn lists_if_and_no_value() {
        let r = resolver();
        let v = r
            .resolve(
                &json!({
                    "urls": {"Ref": "Urls"},
                    "first": {"Fn::Select": [0, {"Ref": "Urls"}]},
                    "second": {"Fn::Select": ["1", {"Ref": "Urls"}]},
                    "joined": {"Fn::Join": [",", {"Ref": "Urls"}]},
                    "split": {"Fn::Split": ["|", "a|b||c"]},
                    "yes": {"Fn::If": ["Yes", [1, 2], 3]},
                    "no": {"Fn::If": ["No", {"Ref": "Unknown"}, "chosen"]},
                    "gone": {"Fn::If": ["No", 1, {"Ref": "AWS::NoValue"}]},
                    "items": ["a", {"Fn::If": ["Yes", {"Ref": "AWS::NoValue"}, "b"]}, "c"],
                    "nested": {"Fn::Sub": ["${x}", {"x": {"Fn::Select": [1, {"Fn::Split": [",", "p,q"]}]}}]},
                }),
                "Root",
            )
            .unwrap();
        assert_eq!(
            v,
            json!({
                "urls": ["https://a/cb", "https://b/cb"],
                "first": "https://a/cb",
                "second": "https://b/cb",
                "joined": "https://a/cb,https://b/cb",
                "split": ["a", "b", "", "c"],
                "yes": [1, 2],
                "no": "chosen",
                "items": ["a", "c"],
                "nested": "q",
            })
        );
        assert_eq!(
            r.resolve(&json!({"Ref": "AWS::NoValue"}), "Root").unwrap(),
            Value::Null
        );
    }

    #[test]
    fn unknown_names_and_functions_are_errors_naming_them() {
        let r = resolver();
        for (value, needle) in [
            (json!({"Ref": "Nope"}), "Ref Nope"),
            (json!({"Fn::Sub": "${Nope}"}), "${Nope}"),
            (json!({"Fn::Sub": "${Open"}), "unclosed"),
            (json!({"Fn::Sub": "${Urls}"}), "`Urls` is a list"),
            (json!({"Fn::GetAtt": ["Fn", "Name"]}), "Fn.Name"),
            (json!({"Fn::If": ["Maybe", 1, 2]}), "`Maybe`"),
            (json!({"Fn::If": ["Yes", 1]}), "Fn::If"),
            (json!({"Fn::Select": [2, {"Ref": "Urls"}]}), "index 2"),
            (json!({"Fn::Select": ["x", {"Ref": "Urls"}]}), "index x"),
            (json!({"Fn::Select": [0, "a,b"]}), "expected a list"),
            (json!({"Fn::Split": [",", ["a"]]}), "expected a string"),
            (json!({"Fn::ImportValue": "x"}), "Fn::ImportValue"),
            (json!({"Condition": "Yes"}), "Condition"),
        ] {
            let Located { path, problem } = r.resolve(&json!({"k": value}), "Root").unwrap_err();
            assert_eq!(path, "Root.k");
            let problem = problem.to_string();
            assert!(problem.contains(needle), "{problem} should name {needle}");
        }
    }
}
