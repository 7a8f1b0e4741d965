//! The shared auth stack (`auth/template.yaml`): the SSM parameters it publishes, whose values
//! feed the API stack's `AWS::SSM::Parameter::Value<String>` parameters.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::error::{LoadError, Located};
use super::fields::{properties, resource_map, resource_type};
use super::intrinsics::Resolver;
use super::parameters::pseudo_parameters;
use super::resources::cognito::LocalPool;
use super::yaml::read_template;

/// The SSM parameters the auth stack of `path`, deployed as `stack_name` in `region` with the
/// local `pool`, publishes: name → value.
pub fn published_parameters(
    path: &Path,
    stack_name: &str,
    region: &str,
    pool: &LocalPool,
) -> Result<BTreeMap<String, String>, LoadError> {
    let template = read_template(path)?;
    ssm_parameters(&template, stack_name, region, pool).map_err(|e| e.in_file(path).into())
}

fn ssm_parameters(
    template: &Value,
    stack_name: &str,
    region: &str,
    pool: &LocalPool,
) -> Result<BTreeMap<String, String>, Located> {
    let mut resolver = pseudo_parameters(stack_name, region);
    // The auth stack's own parameters only feed names that the offline stack does not need.
    if let Some(params) = template.get("Parameters").and_then(Value::as_object) {
        for name in params.keys() {
            resolver.set_ref(name, format!("offline-{}", name.to_ascii_lowercase()));
        }
    }
    let resources = resource_map(template)?;
    for (id, resource) in resources {
        if resource_type(resource, &format!("Resources.{id}"))? == "AWS::Cognito::UserPool" {
            resolver.set_ref(id, &pool.id);
            resolver.set_attribute(id, "Arn", &pool.arn);
        }
    }
    let mut ssm = BTreeMap::new();
    for (id, resource) in resources {
        let at = format!("Resources.{id}.Properties");
        if resource_type(resource, &at)? == "AWS::SSM::Parameter" {
            let props = properties(resource);
            let field = |key: &str| string(&resolver, props.get(key), &format!("{at}.{key}"));
            ssm.insert(field("Name")?, field("Value")?);
        }
    }
    Ok(ssm)
}

fn string(resolver: &Resolver, value: Option<&Value>, at: &str) -> Result<String, Located> {
    resolver.string(value.unwrap_or(&Value::Null), at)
}
