//! The template's parameters as CloudFormation resolves them: override, else `Default`;
//! `AWS::SSM::Parameter::Value<String>` parameters looked up in what the auth stack publishes;
//! `AllowedValues`, `AllowedPattern`, `MinValue`/`MaxValue` and `Number` checked. Also the pseudo
//! parameters (`AWS::Region`, ...).

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

use super::error::{Located, Problem};
use super::ids::ACCOUNT_ID;
use super::intrinsics::Resolver;

/// A resolver knowing the pseudo parameters of stack `stack_name` in `region`.
pub fn pseudo_parameters(stack_name: &str, region: &str) -> Resolver {
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

/// Parameter values by name. `ssm`: the SSM parameters the auth stack publishes, name → value.
pub fn resolve_parameters(
    template: &Value,
    overrides: &BTreeMap<String, String>,
    ssm: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Located> {
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
/// SSM parameter it names for `AWS::SSM::Parameter::Value<String>`.
fn typed_value(
    kind: &str,
    given: String,
    ssm: &BTreeMap<String, String>,
    at: &str,
) -> Result<String, Located> {
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
            .ok_or_else(|| Problem::UnpublishedSsmParameter(given).at(at));
    }
    if kind == "String" || kind == "Number" {
        Ok(given)
    } else {
        Err(unsupported())
    }
}

fn check_parameter(spec: &Value, value: &str, kind: &str) -> Result<(), Problem> {
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
    if kind == "Number" {
        check_number(spec, value)?;
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
