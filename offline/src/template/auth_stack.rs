//! The shared auth stack (`auth/template.yaml`): the SSM parameters it publishes, whose values
//! feed the API stack's `AWS::SSM::Parameter::Value<String>` parameters, and the settings of its
//! user pool (the pool the offline stack plays).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::error::{LoadError, Located, Problem};
use super::fields::{properties, resource_map, resource_type};
use super::intrinsics::{Resolver, conditions};
use super::parameters::pseudo_parameters;
use super::resources::cognito::{LocalPool, UserPoolSettings};
use super::resources::kinds::exists;
use super::yaml::read_template;

/// What the API stack takes from the auth stack.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuthStack {
    /// The SSM parameters it publishes: name → value.
    pub(crate) ssm: BTreeMap<String, String>,
    /// Its user pool's settings, if it defines one.
    pub(crate) pool: Option<UserPoolSettings>,
}

/// The auth stack of `path`, deployed as `stack_name` in `region`, whose user pool is the local
/// `pool`.
pub(crate) fn read_auth_stack(
    path: &Path,
    stack_name: &str,
    region: &str,
    pool: &LocalPool,
) -> Result<AuthStack, LoadError> {
    let template = read_template(path)?;
    let file = path.display().to_string();
    auth_stack(&template, stack_name, region, pool, &file).map_err(|e| e.in_file(path).into())
}

fn auth_stack(
    template: &Value,
    stack_name: &str,
    region: &str,
    pool: &LocalPool,
    file: &str,
) -> Result<AuthStack, Located> {
    let mut resolver = pseudo_parameters(stack_name, region);
    declare_parameters(&mut resolver, template);
    resolver.set_conditions(conditions::evaluate(template, &resolver)?);
    let mut existing = Vec::new();
    for (id, resource) in resource_map(template)? {
        let at = format!("Resources.{id}");
        if exists(resource, &resolver, &at)? {
            existing.push((id.as_str(), resource, resource_type(resource, &at)?));
        }
    }
    let pools: Vec<_> = existing
        .iter()
        .filter(|(_, _, kind)| *kind == "AWS::Cognito::UserPool")
        .collect();
    for (id, _, _) in &pools {
        resolver.set_ref(*id, &pool.id);
        resolver.set_attribute(id, "Arn", &pool.arn);
    }
    let settings = match pools.as_slice() {
        [] => None,
        [(id, resource, _)] => Some(pool_settings(&resolver, id, resource, file)?),
        many => return Err(Problem::PoolCount(many.len()).at("Resources")),
    };
    let mut ssm = BTreeMap::new();
    for (id, resource, kind) in &existing {
        if *kind == "AWS::SSM::Parameter" {
            let at = format!("Resources.{id}.Properties");
            let props = properties(resource);
            let field = |key: &str| string(&resolver, props.get(key), &format!("{at}.{key}"));
            ssm.insert(field("Name")?, field("Value")?);
        }
    }
    Ok(AuthStack {
        ssm,
        pool: settings,
    })
}

/// The auth stack's own parameters: their defaults, or a placeholder where there is none (they
/// only feed names the offline stack does not need, such as the domain prefix).
fn declare_parameters(resolver: &mut Resolver, template: &Value) {
    let Some(params) = template.get("Parameters").and_then(Value::as_object) else {
        return;
    };
    for (name, spec) in params {
        let value = match spec.get("Default") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("offline-{}", name.to_ascii_lowercase()),
        };
        if spec.get("Type").and_then(Value::as_str) == Some("CommaDelimitedList") {
            let items: Vec<String> = value.split(',').map(|m| m.trim().to_owned()).collect();
            resolver.set_list_ref(name, &items);
        } else {
            resolver.set_ref(name, value);
        }
    }
}

fn pool_settings(
    resolver: &Resolver,
    id: &str,
    resource: &Value,
    file: &str,
) -> Result<UserPoolSettings, Located> {
    let at = format!("Resources.{id}.Properties");
    let props = resolver.resolve(&Value::Object(properties(resource).clone()), &at)?;
    UserPoolSettings::read(&props, &at, format!("{file}: Resources.{id}"))
}

fn string(resolver: &Resolver, value: Option<&Value>, at: &str) -> Result<String, Located> {
    resolver.string(value.unwrap_or(&Value::Null), at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_auth_stack_publishes_its_pool_and_settings() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../auth/template.yaml");
        let pool = LocalPool::new("eu-west-1_Offline1".to_owned(), "eu-west-1");
        let auth = read_auth_stack(&path, "cognito-auth", "eu-west-1", &pool).unwrap();
        assert_eq!(
            auth.ssm["/cognito-auth/CognitoUserPoolId"],
            "eu-west-1_Offline1"
        );
        assert_eq!(auth.ssm["/cognito-auth/CognitoUserPoolArn"], pool.arn);
        let settings = auth.pool.unwrap();
        assert!(!settings.username_case_sensitive);
        assert!(settings.admin_create_user_only);
        assert_eq!(settings.name.as_deref(), Some("cognito-auth-pool"));
        assert_eq!(settings.password_policy, Default::default());
        assert!(
            settings
                .defined_at
                .unwrap()
                .ends_with("auth/template.yaml: Resources.CognitoUserPool")
        );
    }
}
