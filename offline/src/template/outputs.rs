//! The template's `Outputs`, resolved (those whose `Condition` holds), and its `Globals`: SAM's
//! `Globals.Function` is read for the functions' environment; any other section is refused
//! rather than silently not applied.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::{Located, Problem};
use super::fields::only_known;
use super::intrinsics::Resolver;
use super::resources::kinds::exists;

/// `Globals` sections the offline stack reads.
const GLOBALS: &[&str] = &["Function"];

/// Each output's value by name, as CloudFormation would show it (with the local ids).
pub(crate) fn outputs(
    template: &Value,
    resolver: &Resolver,
) -> Result<BTreeMap<String, String>, Located> {
    let mut values = BTreeMap::new();
    let Some(outputs) = template.get("Outputs").and_then(Value::as_object) else {
        return Ok(values);
    };
    for (name, output) in outputs {
        let at = format!("Outputs.{name}");
        only_known(
            output,
            &["Description", "Value", "Condition", "Export"],
            &at,
        )?;
        if exists(output, resolver, &at)? {
            let value = output.get("Value").unwrap_or(&Value::Null);
            values.insert(
                name.clone(),
                resolver.string(value, &format!("{at}.Value"))?,
            );
        }
    }
    Ok(values)
}

/// `Globals` may only have the sections the offline stack applies.
pub(crate) fn check_globals(template: &Value) -> Result<(), Located> {
    match template.get("Globals") {
        None => Ok(()),
        Some(globals) if globals.is_object() => only_known(globals, GLOBALS, "Globals"),
        Some(_) => Err(Problem::NotAMapping.at("Globals")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outputs_resolve_where_their_condition_holds() {
        let mut resolver = Resolver::default();
        resolver.set_ref("Thing", "t");
        resolver.set_list_ref("Urls", &["a".to_owned(), "b".to_owned()]);
        resolver.set_conditions(BTreeMap::from([("Off".to_owned(), false)]));
        let template = json!({"Outputs": {
            "First": {"Value": {"Fn::Select": [0, {"Ref": "Urls"}]}},
            "Named": {"Description": "d", "Value": {"Fn::Sub": "${Thing}!"}},
            "Hidden": {"Condition": "Off", "Value": {"Ref": "Missing"}},
        }});
        let values = outputs(&template, &resolver).unwrap();
        assert_eq!(values.len(), 2);
        assert_eq!(
            (values["First"].as_str(), values["Named"].as_str()),
            ("a", "t!")
        );
        assert!(check_globals(&json!({"Globals": {"Function": {}}})).is_ok());
        assert_eq!(
            check_globals(&json!({"Globals": {"Api": {"Cors": "'x'"}}}))
                .unwrap_err()
                .path,
            "Globals.Api"
        );
    }
}
