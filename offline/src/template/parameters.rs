//! The template's parameters as CloudFormation resolves them: override, else `Default`;
//! `AWS::SSM::Parameter::Value<String>` parameters looked up in what the auth stack publishes;
//! `CommaDelimitedList` parameters split on commas, each member space-trimmed;
//! `AllowedValues` and `AllowedPattern` (on each member of a list), `MinLength`/`MaxLength`,
//! `MinValue`/`MaxValue` and `Number` checked. Also the pseudo parameters (`AWS::Region`, ...).

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

use super::error::{Located, Problem};
use super::fields::whole_number;
use super::ids::ACCOUNT_ID;
use super::intrinsics::Resolver;

/// A resolver knowing the pseudo parameters of stack `stack_name` in `region`.
pub(crate) fn pseudo_parameters(stack_name: &str, region: &str) -> Resolver {
    let mut r = Resolver::default();
    r.set_ref("AWS::StackName", stack_name);
    r.set_ref(
        "AWS::StackId",
        format!("arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/offline"),
    );
    r.set_ref("AWS::Region", region);
    r.set_ref("AWS::AccountId", ACCOUNT_ID);
    r.set_ref("AWS::Partition", "aws");
    r.set_ref("AWS::URLSuffix", "amazonaws.com");
    r
}

/// A parameter's value: a string (`String`, `Number`, SSM), or a list (`CommaDelimitedList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParameterValue {
    Text(String),
    List(Vec<String>),
}

impl ParameterValue {
    /// Declares it as what `Ref name` gives.
    pub(crate) fn declare(&self, resolver: &mut Resolver, name: &str) {
        match self {
            Self::Text(value) => resolver.set_ref(name, value.as_str()),
            Self::List(items) => resolver.set_list_ref(name, items),
        }
    }

    fn members(&self) -> &[String] {
        match self {
            Self::Text(value) => std::slice::from_ref(value),
            Self::List(items) => items,
        }
    }
}

/// Parameter values by name. `ssm`: the SSM parameters the auth stack publishes, name → value.
pub(crate) fn resolve_parameters(
    template: &Value,
    overrides: &BTreeMap<String, String>,
    ssm: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, ParameterValue>, Located> {
    let declared = template.get("Parameters").and_then(Value::as_object);
    if let Some(unknown) = overrides
        .keys()
        .find(|k| !declared.is_some_and(|d| d.contains_key(*k)))
    {
        return Err(Problem::UnknownOverride(unknown.clone()).at("Parameters"));
    }
    let mut values = BTreeMap::new();
    for (name, spec) in declared.into_iter().flatten() {
        let at = format!("Parameters.{name}");
        let kind = spec.get("Type").and_then(Value::as_str).unwrap_or("String");
        let given = overrides
            .get(name)
            .cloned()
            .or_else(|| match spec.get("Default") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .ok_or_else(|| Problem::NoValue.at(&at))?;
        let value = typed_value(kind, given, ssm, &at)?;
        check_parameter(spec, &value, kind).map_err(|problem| problem.at(&at))?;
        values.insert(name.clone(), value);
    }
    Ok(values)
}

/// The value of a parameter of type `kind` given `given`: itself for `String` and `Number`, the
/// SSM parameter it names for `AWS::SSM::Parameter::Value<String>`, the comma-separated members
/// (space-trimmed) for `CommaDelimitedList`.
fn typed_value(
    kind: &str,
    given: String,
    ssm: &BTreeMap<String, String>,
    at: &str,
) -> Result<ParameterValue, Located> {
    let unsupported =
        || Problem::UnsupportedParameterType(kind.to_owned()).at(format!("{at}.Type"));
    if let Some(inner) = kind
        .strip_prefix("AWS::SSM::Parameter::Value<")
        .and_then(|k| k.strip_suffix('>'))
    {
        if inner != "String" {
            return Err(unsupported());
        }
        return ssm
            .get(&given)
            .cloned()
            .map(ParameterValue::Text)
            .ok_or_else(|| Problem::UnpublishedSsmParameter(given).at(at));
    }
    match kind {
        "String" | "Number" => Ok(ParameterValue::Text(given)),
        "CommaDelimitedList" => Ok(ParameterValue::List(
            given.split(',').map(|m| m.trim().to_owned()).collect(),
        )),
        _ => Err(unsupported()),
    }
}

fn check_parameter(spec: &Value, value: &ParameterValue, kind: &str) -> Result<(), Problem> {
    for member in value.members() {
        check_member(spec, member)?;
    }
    if let ParameterValue::Text(text) = value {
        check_length(spec, text)?;
        if kind == "Number" {
            check_number(spec, text)?;
        }
    }
    Ok(())
}

/// `AllowedValues` and `AllowedPattern`, which apply to each member of a list.
fn check_member(spec: &Value, value: &str) -> Result<(), Problem> {
    if let Some(allowed) = spec.get("AllowedValues").and_then(Value::as_array) {
        let ok = allowed.iter().any(|a| match a {
            Value::String(s) => s == value,
            Value::Number(n) => n.to_string() == value,
            _ => false,
        });
        if !ok {
            return Err(Problem::NotAllowedValue(value.to_owned()));
        }
    }
    if let Some(pattern) = spec.get("AllowedPattern").and_then(Value::as_str) {
        let re = Regex::new(&format!("^(?:{pattern})$"))
            .map_err(|e| Problem::BadAllowedPattern(e.to_string()))?;
        if !re.is_match(value) {
            return Err(Problem::PatternMismatch {
                value: value.to_owned(),
                pattern: pattern.to_owned(),
            });
        }
    }
    Ok(())
}

/// `MinLength` and `MaxLength`, in characters.
fn check_length(spec: &Value, value: &str) -> Result<(), Problem> {
    let len = value.chars().count() as u64;
    let bound = |key: &str| spec.get(key).and_then(whole_number);
    if bound("MinLength").is_some_and(|min| len < min) {
        return Err(Problem::BelowMinLength(value.to_owned()));
    }
    if bound("MaxLength").is_some_and(|max| len > max) {
        return Err(Problem::AboveMaxLength(value.to_owned()));
    }
    Ok(())
}

fn check_number(spec: &Value, value: &str) -> Result<(), Problem> {
    let n: f64 = value
        .parse()
        .map_err(|_| Problem::NotANumber(value.to_owned()))?;
    let bound = |key: &str| spec.get(key).and_then(Value::as_f64);
    if bound("MinValue").is_some_and(|min| n < min) {
        return Err(Problem::BelowMinValue(value.to_owned()));
    }
    if bound("MaxValue").is_some_and(|max| n > max) {
        return Err(Problem::AboveMaxValue(value.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolve(
        template: Value,
        overrides: &[(&str, &str)],
    ) -> Result<BTreeMap<String, ParameterValue>, Located> {
        let overrides = overrides
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        resolve_parameters(
            &json!({"Parameters": template}),
            &overrides,
            &BTreeMap::new(),
        )
    }

    #[test]
    fn comma_delimited_lists_are_split_and_trimmed() {
        let values = resolve(
            json!({"Urls": {"Type": "CommaDelimitedList", "Default": "https://a/cb, https://b/cb"},
                   "One": {"Type": "CommaDelimitedList", "Default": "x"}}),
            &[("One", "p ,q")],
        )
        .unwrap();
        let list =
            |items: &[&str]| ParameterValue::List(items.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(values["Urls"], list(&["https://a/cb", "https://b/cb"]));
        assert_eq!(values["One"], list(&["p", "q"]));
        let err = resolve(
            json!({"Envs": {"Type": "CommaDelimitedList", "AllowedValues": ["dev", "prod"], "Default": "dev,test"}}),
            &[],
        )
        .unwrap_err();
        assert_eq!(err.problem, Problem::NotAllowedValue("test".to_owned()));
    }

    #[test]
    fn lengths_and_types_are_checked() {
        let spec = json!({"Name": {"Type": "String", "MinLength": 2, "MaxLength": 3}});
        assert!(resolve(spec.clone(), &[("Name", "abc")]).is_ok());
        assert_eq!(
            resolve(spec.clone(), &[("Name", "a")]).unwrap_err().problem,
            Problem::BelowMinLength("a".to_owned())
        );
        assert_eq!(
            resolve(spec, &[("Name", "abcd")]).unwrap_err().problem,
            Problem::AboveMaxLength("abcd".to_owned())
        );
        let err = resolve(json!({"N": {"Type": "List<Number>", "Default": "1"}}), &[]).unwrap_err();
        assert_eq!(err.path, "Parameters.N.Type");
    }
}
