//! The template's `Conditions`, evaluated as CloudFormation does before it creates anything
//! (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition` references), and `Fn::If`, which
//! picks a branch by one of them. A resource whose `Condition` is false does not exist.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Resolver, arguments};
use crate::template::error::{Located, Problem};

/// Fewest and most conditions `Fn::And` and `Fn::Or` take.
const MIN_OPERANDS: usize = 2;
const MAX_OPERANDS: usize = 10;

/// Every condition of `template.Conditions` by name, its values taken from `resolver`
/// (parameters and pseudo parameters).
pub(crate) fn evaluate(
    template: &Value,
    resolver: &Resolver,
) -> Result<BTreeMap<String, bool>, Located> {
    let empty = Map::new();
    let defined = template
        .get("Conditions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut evaluation = Evaluation {
        defined,
        resolver,
        done: BTreeMap::new(),
        visiting: Vec::new(),
    };
    for name in defined.keys() {
        evaluation.condition(name, &format!("Conditions.{name}"))?;
    }
    Ok(evaluation.done)
}

/// `Fn::If [condition, when true, when false]`: the chosen branch resolved (`None` for
/// `AWS::NoValue`); the other one is not looked at, as it may name a resource that does not exist.
pub(super) fn choose(r: &Resolver, argument: &Value, at: &str) -> Result<Option<Value>, Located> {
    let Some([Value::String(name), yes, no]) = argument.as_array().map(Vec::as_slice) else {
        return Err(arguments("Fn::If", "[condition name, value if true, value if false]").at(at));
    };
    let holds = r
        .condition(name)
        .ok_or_else(|| Problem::UnknownCondition(name.clone()).at(at))?;
    r.node(if holds { yes } else { no }, at)
}

struct Evaluation<'a> {
    defined: &'a Map<String, Value>,
    resolver: &'a Resolver,
    done: BTreeMap<String, bool>,
    /// The conditions being evaluated, to refuse a cycle.
    visiting: Vec<String>,
}

impl Evaluation<'_> {
    fn condition(&mut self, name: &str, at: &str) -> Result<bool, Located> {
        if let Some(value) = self.done.get(name) {
            return Ok(*value);
        }
        let expression = self
            .defined
            .get(name)
            .ok_or_else(|| Problem::UnknownCondition(name.to_owned()).at(at))?;
        if self.visiting.iter().any(|v| v == name) {
            return Err(Problem::ConditionCycle(name.to_owned()).at(at));
        }
        self.visiting.push(name.to_owned());
        let value = self.expression(expression, &format!("Conditions.{name}"))?;
        self.visiting.pop();
        self.done.insert(name.to_owned(), value);
        Ok(value)
    }

    fn expression(&mut self, expression: &Value, at: &str) -> Result<bool, Located> {
        let Some((function, argument)) = expression
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.iter().next())
        else {
            return Err(Problem::NotACondition(expression.to_string()).at(at));
        };
        let at = format!("{at}.{function}");
        match function.as_str() {
            "Condition" => {
                let name = argument
                    .as_str()
                    .ok_or_else(|| arguments("Condition", "a condition name").at(&at))?;
                self.condition(name, &at)
            }
            "Fn::Equals" => self.equals(argument, &at),
            "Fn::Not" => match argument.as_array().map(Vec::as_slice) {
                Some([one]) => Ok(!self.expression(one, &at)?),
                _ => Err(arguments("Fn::Not", "[one condition]").at(&at)),
            },
            "Fn::And" => Ok(self.operands("Fn::And", argument, &at)?.iter().all(|b| *b)),
            "Fn::Or" => Ok(self.operands("Fn::Or", argument, &at)?.iter().any(|b| *b)),
            other => Err(Problem::NotACondition(other.to_owned()).at(&at)),
        }
    }

    /// `Fn::Equals [a, b]`: both resolved, scalars compared as the strings CloudFormation sees.
    fn equals(&mut self, argument: &Value, at: &str) -> Result<bool, Located> {
        let Some([a, b]) = argument.as_array().map(Vec::as_slice) else {
            return Err(arguments("Fn::Equals", "[value, value]").at(at));
        };
        let a = comparable(self.resolver.resolve(a, at)?);
        let b = comparable(self.resolver.resolve(b, at)?);
        Ok(a == b)
    }

    fn operands(
        &mut self,
        function: &'static str,
        argument: &Value,
        at: &str,
    ) -> Result<Vec<bool>, Located> {
        match argument.as_array() {
            Some(items) if (MIN_OPERANDS..=MAX_OPERANDS).contains(&items.len()) => {
                items.iter().map(|item| self.expression(item, at)).collect()
            }
            _ => Err(arguments(function, "2 to 10 conditions").at(at)),
        }
    }
}

/// Numbers and booleans as strings (parameters are strings to CloudFormation), lists item by item.
fn comparable(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(comparable).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolver() -> Resolver {
        let mut r = Resolver::default();
        r.set_ref("Mode", "Active");
        r.set_ref("Email", "");
        r.set_ref("Count", "5");
        r
    }

    #[test]
    fn conditions_evaluate_like_cloudformation() {
        let template = json!({"Conditions": {
            "Active": {"Fn::Equals": [{"Ref": "Mode"}, "Active"]},
            "HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Email"}, ""]}]},
            "Five": {"Fn::Equals": [5, {"Ref": "Count"}]},
            "Both": {"Fn::And": [{"Condition": "Active"}, {"Condition": "HasEmail"}]},
            "Either": {"Fn::Or": [{"Condition": "HasEmail"}, {"Condition": "Active"}]},
        }});
        let conditions = evaluate(&template, &resolver()).unwrap();
        assert_eq!(
            conditions,
            BTreeMap::from(
                [
                    ("Active", true),
                    ("HasEmail", false),
                    ("Five", true),
                    ("Both", false),
                    ("Either", true)
                ]
                .map(|(k, v)| (k.to_owned(), v))
            )
        );
        assert!(evaluate(&json!({}), &resolver()).unwrap().is_empty());
    }

    #[test]
    fn bad_conditions_are_named() {
        for (conditions, needle) in [
            (json!({"A": {"Condition": "A"}}), "refers to itself"),
            (
                json!({"A": {"Condition": "B"}, "B": {"Fn::Not": [{"Condition": "A"}]}}),
                "refers to itself",
            ),
            (json!({"A": {"Condition": "Nope"}}), "`Nope`"),
            (json!({"A": {"Fn::Equals": ["a"]}}), "Fn::Equals"),
            (
                json!({"A": {"Fn::And": [{"Condition": "B"}]}, "B": true}),
                "2 to 10",
            ),
            (json!({"A": {"Fn::If": ["B", 1, 2]}}), "Fn::If"),
            (json!({"A": "true"}), "not a condition function"),
        ] {
            let err = evaluate(&json!({"Conditions": conditions}), &resolver()).unwrap_err();
            let text = format!("{}: {}", err.path, err.problem);
            assert!(text.contains(needle), "{text} should say {needle}");
            assert!(text.starts_with("Conditions."), "{text}");
        }
    }
}
