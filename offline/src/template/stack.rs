//! The system `template.yaml` describes, read the way CloudFormation and SAM read it: parameters
//! (defaults, samconfig overrides, SSM values published by the auth stack), the resource server,
//! app clients, functions and their environment, the REST API, its routes, authorizers and
//! gateway responses. What the offline stack cannot emulate stops it with the construct named.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::auth_stack::published_parameters;
use super::env_vars::EnvVars;
use super::error::{LoadError, Located};
use super::intrinsics::Resolver;
use super::parameters::{pseudo_parameters, resolve_parameters};
use super::resources::cognito::{self, AppClient, LocalPool};
use super::resources::function::{self, Function};
use super::resources::kinds::{self, Kind, Resource};
use super::resources::references;
use super::rest_api::{Api, single_api};
use super::yaml::read_template;
use crate::state::{ClientCredentials, State};

/// Where the values come from, besides the template.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub template: PathBuf,
    /// The shared auth stack's template, whose SSM parameters feed `AWS::SSM::Parameter::Value`
    /// parameters. `None`: such parameters need an override.
    pub auth_template: Option<PathBuf>,
    pub stack_name: String,
    pub auth_stack_name: String,
    pub region: String,
    /// `Name=Value` parameter overrides (samconfig's, then the command line's).
    pub parameters: BTreeMap<String, String>,
    /// `sam local --env-vars` style: `{"FunctionLogicalId": {"VAR": "value"}, "Parameters": {...}}`.
    pub env_vars: EnvVars,
}

/// Everything the offline stack runs, resolved.
#[derive(Debug, Clone)]
pub struct Stack {
    pub template: PathBuf,
    pub stack_name: String,
    pub region: String,
    pub pool_id: String,
    pub pool_arn: String,
    /// Every `resourceServer/scope` the pool's resource servers define.
    pub scopes: Vec<String>,
    pub clients: Vec<AppClient>,
    pub functions: BTreeMap<String, Function>,
    pub api: Api,
}

/// What the resources' properties give, before the API is read.
#[derive(Debug, Default)]
struct Parts<'a> {
    scopes: Vec<String>,
    clients: Vec<AppClient>,
    functions: BTreeMap<String, Function>,
    apis: Vec<(&'a str, Value)>,
}

impl Stack {
    /// Reads and resolves the template. Generates (and remembers in `state`) the app clients'
    /// credentials; the caller saves the state.
    pub fn load(inputs: &Inputs, state: &mut State) -> Result<Self, LoadError> {
        let file = &inputs.template;
        let template = read_template(file)?;
        let pool = LocalPool::new(state.pool_id(&inputs.region), &inputs.region);
        let ssm = match &inputs.auth_template {
            Some(path) => {
                published_parameters(path, &inputs.auth_stack_name, &inputs.region, &pool)?
            }
            None => BTreeMap::new(),
        };
        Self::resolve(&template, inputs, state, pool, &ssm).map_err(|e| e.in_file(file).into())
    }

    fn resolve(
        template: &Value,
        inputs: &Inputs,
        state: &mut State,
        pool: LocalPool,
        ssm: &BTreeMap<String, String>,
    ) -> Result<Self, Located> {
        let mut resolver = pseudo_parameters(&inputs.stack_name, &inputs.region);
        for (name, value) in resolve_parameters(template, &inputs.parameters, ssm)? {
            resolver.set_ref(name, value);
        }
        let list = kinds::list(template)?;
        let credentials = references::declare_ids(&mut resolver, &list, &pool, state);
        references::declare_names(&mut resolver, &list, &inputs.stack_name, &inputs.region)?;
        let parts = read_properties(template, &list, &resolver, inputs, &pool, credentials)?;
        cognito::check_client_scopes(&parts.clients, &parts.scopes)?;
        let api = single_api(parts.apis, &list, &parts.functions, &resolver)?;
        Ok(Self {
            template: inputs.template.clone(),
            stack_name: inputs.stack_name.clone(),
            region: inputs.region.clone(),
            pool_id: pool.id,
            pool_arn: pool.arn,
            scopes: parts.scopes,
            clients: parts.clients,
            functions: parts.functions,
            api,
        })
    }

    /// The function behind a route or authorizer.
    pub fn function(&self, logical_id: &str) -> Option<&Function> {
        self.functions.get(logical_id)
    }
}

/// Each resource's properties, resolved, read by its kind.
fn read_properties<'a>(
    template: &Value,
    list: &[Resource<'a>],
    resolver: &Resolver,
    inputs: &Inputs,
    pool: &LocalPool,
    mut credentials: BTreeMap<String, ClientCredentials>,
) -> Result<Parts<'a>, Located> {
    let mut parts = Parts::default();
    for resource in list {
        let props = resource.resolved_properties(resolver)?;
        let at = format!("{}.Properties", resource.path());
        match resource.kind {
            Kind::ResourceServer => parts
                .scopes
                .extend(cognito::resource_server_scopes(&props, pool, &at)?),
            Kind::UserPoolClient => {
                let credentials = credentials.remove(resource.id);
                let client = cognito::app_client(resource.id, &props, credentials, pool, &at)?;
                parts.clients.push(client);
            }
            Kind::Function => {
                let function = function::function(
                    resource,
                    &props,
                    template,
                    resolver,
                    &inputs.env_vars,
                    &inputs.region,
                )?;
                parts.functions.insert(resource.id.to_owned(), function);
            }
            Kind::Api => parts.apis.push((resource.id, props)),
            Kind::UserPool | Kind::LogGroup => {}
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::overrides::parse_overrides;
    use std::path::Path;

    fn inputs() -> Inputs {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Inputs {
            template: root.join("template.yaml"),
            auth_template: Some(root.join("auth/template.yaml")),
            stack_name: "echo-api".into(),
            auth_stack_name: "cognito-auth".into(),
            region: "eu-west-1".into(),
            parameters: parse_overrides("CognitoDomainPrefix=local").unwrap(),
            env_vars: BTreeMap::new(),
        }
    }

    #[test]
    fn the_project_template_resolves() {
        let mut state = State::ephemeral().unwrap();
        let stack = Stack::load(&inputs(), &mut state).unwrap();
        assert_eq!(stack.pool_id, state.pool_id("eu-west-1"));
        assert_eq!(stack.scopes, ["echo-api/read", "echo-api/write"]);
        let [client] = stack.clients.as_slice() else {
            panic!("{:?}", stack.clients)
        };
        assert_eq!(client.flows, ["client_credentials"]);
        assert_eq!(client.scopes, stack.scopes);
        assert_eq!(client.access_token_seconds, 3600);
        assert!(client.has_secret);
        assert_eq!(client.name, "echo-api-machine-client");
        let authorizer = &stack.functions["AuthorizerFunction"];
        assert_eq!(authorizer.environment["USER_POOL_ID"], stack.pool_id);
        assert_eq!(
            authorizer.environment["CLIENT_IDS"],
            client.credentials.client_id
        );
        assert_eq!(
            authorizer.environment["ROUTE_SCOPES"],
            r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write"}"#
        );
        assert_eq!(stack.api.stage, "Prod");
        let routes: Vec<_> = stack
            .api
            .routes
            .iter()
            .map(|r| {
                (
                    r.pattern.method.as_str(),
                    r.pattern.path.as_str(),
                    r.authorizer.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            routes,
            [
                ("GET", "/echo", Some("CognitoTokenAuthorizer")),
                ("POST", "/echo", Some("CognitoTokenAuthorizer"))
            ]
        );
        let token = &stack.api.authorizers["CognitoTokenAuthorizer"];
        assert_eq!(
            (
                token.function.as_str(),
                token.header.as_str(),
                token.ttl_seconds
            ),
            ("AuthorizerFunction", "Authorization", 300)
        );
        assert_eq!(stack.api.gateway_responses["UNAUTHORIZED"].status, 401);
        assert_eq!(stack.api.gateway_responses["ACCESS_DENIED"].status, 403);
    }

    #[test]
    fn parameters_are_checked_like_cloudformation() {
        let mut state = State::ephemeral().unwrap();
        for (overrides, needle) in [
            ("CognitoDomainPrefix=Bad_Prefix", "AllowedPattern"),
            (
                "CognitoDomainPrefix=ok AuthorizerResultTtlSeconds=7200",
                "MaxValue",
            ),
            ("CognitoDomainPrefix=ok LogRetentionDays=2", "AllowedValues"),
            ("CognitoDomainPrefix=ok Nope=1", "`Nope`"),
            ("", "CognitoDomainPrefix"),
            (
                "CognitoDomainPrefix=ok CognitoUserPoolId=/other/Id",
                "/other/Id",
            ),
        ] {
            let mut i = inputs();
            i.parameters = parse_overrides(overrides).unwrap();
            let err = Stack::load(&i, &mut state).unwrap_err().to_string();
            assert!(err.contains(needle), "{overrides}: {err}");
            assert!(err.contains("template.yaml"), "{err}");
        }
        let mut i = inputs();
        i.auth_stack_name = "other-auth".into();
        let err = Stack::load(&i, &mut state).unwrap_err().to_string();
        assert!(err.contains("`/cognito-auth/CognitoUserPool"), "{err}");
    }

    #[test]
    fn env_vars_override_the_function_environment() {
        let mut state = State::ephemeral().unwrap();
        let mut i = inputs();
        i.env_vars.insert(
            "AuthorizerFunction".into(),
            BTreeMap::from([("ROUTE_SCOPES".to_owned(), "{}".to_owned())]),
        );
        let stack = Stack::load(&i, &mut state).unwrap();
        assert_eq!(
            stack.functions["AuthorizerFunction"].environment["ROUTE_SCOPES"],
            "{}"
        );
    }
}
