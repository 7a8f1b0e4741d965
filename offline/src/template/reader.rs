//! The system `template.yaml` describes, read the way CloudFormation and SAM read it: parameters
//! (defaults, samconfig overrides, SSM values published by the auth stack), conditions, the user
//! pool's settings, resource server, app clients, groups, functions and their environment, the
//! REST API, its routes, authorizers, gateway responses and CORS. What the offline stack cannot
//! emulate stops it with the construct named; what it reads but does not play is listed.
//!
//! Reading writes nothing: [`Template::read`] says which app clients need ids
//! ([`Template::app_clients`]), the caller chooses them (the state keeps them between runs), and
//! [`Template::resolve`] gives the [`Stack`] with them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::apis::{ApiSources, apis};
use super::auth_stack::{AuthStack, read_auth_stack};
use super::builtin_pool::check_builtin_pool;
use super::error::{LoadError, Located, Problem};
use super::intrinsics::{Resolver, conditions};
use super::openapi::include;
use super::outputs;
use super::parameters::{pseudo_parameters, resolve_parameters};
use super::resources::cognito::{self, AppClient, LocalPool, UserPoolGroup, UserPoolSettings};
use super::resources::function::{self, Function};
use super::resources::kinds::{self, Kind, NotEmulated, Resource};
use super::resources::lambda_settings::SettingsSource;
use super::resources::layer::{self, Layer};
use super::resources::permission::{self, Permission};
use super::resources::references;
use super::stack::{Inputs, Stack};
use super::yaml::read_template;
use crate::state::ClientCredentials;

/// A template read, its parameters and conditions resolved, waiting for the ids of its app
/// clients.
#[derive(Debug)]
pub(crate) struct Template {
    value: Value,
    inputs: Inputs,
    pool: LocalPool,
    auth: AuthStack,
    /// The parameters, pseudo parameters and conditions.
    resolver: Resolver,
    conditions: BTreeMap<String, bool>,
    /// The logical ids of the app clients whose condition holds.
    app_clients: Vec<String>,
}

impl Template {
    /// Reads the template of `inputs` for the local user pool `pool_id`, and resolves its
    /// parameters and conditions.
    pub(crate) fn read(inputs: &Inputs, pool_id: &str) -> Result<Self, LoadError> {
        let file = &inputs.template;
        let value = read_template(file)?;
        let pool = LocalPool::new(pool_id.to_owned(), &inputs.region);
        let auth = match &inputs.auth_template {
            Some(path) => read_auth_stack(path, &inputs.auth_stack_name, &inputs.region, &pool)?,
            None => AuthStack::default(),
        };
        let in_file = |e: Located| e.in_file(file);
        let (resolver, conditions) = prepare(&value, inputs, &auth).map_err(in_file)?;
        let app_clients = app_clients(&value, &resolver).map_err(in_file)?;
        Ok(Self {
            value,
            inputs: inputs.clone(),
            pool,
            auth,
            resolver,
            conditions,
            app_clients,
        })
    }

    /// The logical ids of the app clients [`Template::resolve`] needs credentials for.
    pub(crate) fn app_clients(&self) -> impl Iterator<Item = &str> {
        self.app_clients.iter().map(String::as_str)
    }

    /// Resolves the template with the app clients' `credentials` (by logical id: `Ref` to an
    /// app client gives its id).
    pub(crate) fn resolve(
        self,
        credentials: &BTreeMap<String, ClientCredentials>,
    ) -> Result<Stack, LoadError> {
        let file = self.inputs.template.clone();
        self.stack(credentials).map_err(|e| e.in_file(&file).into())
    }

    fn stack(self, credentials: &BTreeMap<String, ClientCredentials>) -> Result<Stack, Located> {
        let Self {
            value: template,
            inputs,
            pool,
            auth,
            mut resolver,
            conditions,
            ..
        } = self;
        let list = kinds::list(&template, &resolver)?;
        references::declare_ids(&mut resolver, &list, &pool, credentials);
        references::declare_names(&mut resolver, &list, &inputs.stack_name, &inputs.region)?;
        let dir = inputs
            .template
            .parent()
            .unwrap_or(std::path::Path::new("."));
        let layers = read_layers(&list, &resolver, dir)?;
        let context = Context {
            template: &template,
            resolver: &resolver,
            inputs: &inputs,
            pool: &pool,
            credentials,
            layers: &layers,
            dir,
        };
        let parts = read_properties(&list, context)?;
        cognito::check_client_scopes(&parts.clients, &parts.scopes)?;
        cognito::check_group_names(&parts.groups)?;
        let permissions = read_permissions(&list, &resolver, &parts.functions)?;
        let sources = ApiSources {
            resources: &list,
            functions: &parts.functions,
            permissions: &permissions,
            resolver: &resolver,
            region: &inputs.region,
        };
        let apis = apis(parts.apis, sources)?;
        for api in &apis {
            check_builtin_pool(api, &pool)?;
        }
        let outputs = outputs::outputs(&template, &resolver)?;
        let user_pool = parts.pool.or(auth.pool).unwrap_or_default();
        check_trigger(&user_pool, &parts.functions, &permissions, &pool.arn)?;
        Ok(Stack {
            template: inputs.template.clone(),
            stack_name: inputs.stack_name.clone(),
            region: inputs.region.clone(),
            pool_id: pool.id,
            pool_arn: pool.arn,
            user_pool,
            conditions,
            scopes: parts.scopes,
            clients: parts.clients,
            groups: parts.groups,
            functions: parts.functions,
            permissions,
            apis,
            not_emulated: parts.not_emulated,
            outputs,
        })
    }
}

/// The pre token generation trigger's `LambdaArn` must be a function of the template that a
/// permission lets Cognito invoke (without one, Cognito cannot run it).
fn check_trigger(
    pool: &UserPoolSettings,
    functions: &BTreeMap<String, Function>,
    permissions: &[Permission],
    pool_arn: &str,
) -> Result<(), Located> {
    let Some(trigger) = &pool.pre_token else {
        return Ok(());
    };
    let Some(function) = functions.values().find(|f| f.arn == trigger.lambda_arn) else {
        return Err(
            Problem::NotATemplateFunction(trigger.lambda_arn.clone()).at(trigger.at.clone())
        );
    };
    if permissions
        .iter()
        .any(|p| p.allows_cognito(&function.logical_id, pool_arn))
    {
        Ok(())
    } else {
        Err(Problem::TriggerPermission(function.logical_id.clone()).at(trigger.at.clone()))
    }
}

/// The template's parameters and conditions resolved.
fn prepare(
    template: &Value,
    inputs: &Inputs,
    auth: &AuthStack,
) -> Result<(Resolver, BTreeMap<String, bool>), Located> {
    outputs::check_globals(template)?;
    let mut resolver = pseudo_parameters(&inputs.stack_name, &inputs.region);
    for (name, value) in resolve_parameters(template, &inputs.parameters, &auth.ssm)? {
        value.declare(&mut resolver, &name);
    }
    let conditions = conditions::evaluate(template, &resolver)?;
    resolver.set_conditions(conditions.clone());
    Ok((resolver, conditions))
}

/// The logical ids of the template's app clients (those whose condition holds).
fn app_clients(template: &Value, resolver: &Resolver) -> Result<Vec<String>, Located> {
    let list = kinds::list(template, resolver)?;
    let clients = list.iter().filter(|r| r.kind == Kind::UserPoolClient);
    Ok(clients.map(|r| r.id.to_owned()).collect())
}

/// What the resources' properties give, before the API is read.
#[derive(Debug, Default)]
struct Parts<'a> {
    scopes: Vec<String>,
    clients: Vec<AppClient>,
    groups: Vec<UserPoolGroup>,
    pool: Option<UserPoolSettings>,
    functions: BTreeMap<String, Function>,
    apis: Vec<(&'a str, Kind, Value)>,
    not_emulated: Vec<NotEmulated>,
}

/// What reading a resource needs besides its properties.
struct Context<'a> {
    template: &'a Value,
    resolver: &'a Resolver,
    inputs: &'a Inputs,
    pool: &'a LocalPool,
    credentials: &'a BTreeMap<String, ClientCredentials>,
    layers: &'a BTreeMap<String, Layer>,
    /// The template's folder, which local paths are relative to.
    dir: &'a std::path::Path,
}

/// An API's properties resolved, its `DefinitionBody` first included from its file when an
/// `AWS::Include` transform names one.
fn api_properties(
    resource: &Resource<'_>,
    resolver: &Resolver,
    dir: &std::path::Path,
) -> Result<Value, Located> {
    let at = format!("{}.Properties", resource.path());
    let mut props = crate::template::fields::properties(resource.body).clone();
    if let Some(body) = props.get("DefinitionBody") {
        let body = include::expand(body, dir, &format!("{at}.DefinitionBody"))?;
        props.insert("DefinitionBody".to_owned(), body);
    }
    resolver.resolve(&Value::Object(props), &at)
}

/// The template's layers, by logical id (read first: functions name them).
fn read_layers(
    list: &[Resource<'_>],
    resolver: &Resolver,
    dir: &std::path::Path,
) -> Result<BTreeMap<String, Layer>, Located> {
    let mut layers = BTreeMap::new();
    for resource in list.iter().filter(|r| r.kind == Kind::LayerVersion) {
        let props = resource.resolved_properties(resolver)?;
        let arn = resolver.get_ref(resource.id).unwrap_or_default();
        let read = layer::layer(resource, &props, arn, dir)?;
        layers.insert(resource.id.to_owned(), read);
    }
    Ok(layers)
}

/// The template's permissions for API Gateway (read once the functions they name are).
fn read_permissions(
    list: &[Resource<'_>],
    resolver: &Resolver,
    functions: &BTreeMap<String, Function>,
) -> Result<Vec<Permission>, Located> {
    list.iter()
        .filter(|r| r.kind == Kind::Permission)
        .map(|resource| {
            let props = resource.resolved_properties(resolver)?;
            permission::permission(resource, &props, functions)
        })
        .collect()
}

/// Each resource's properties, resolved, read by its kind.
fn read_properties<'a>(list: &[Resource<'a>], context: Context<'_>) -> Result<Parts<'a>, Located> {
    let mut parts = Parts::default();
    for resource in list {
        let props = match resource.kind {
            Kind::Api | Kind::HttpApi => api_properties(resource, context.resolver, context.dir)?,
            _ => resource.resolved_properties(context.resolver)?,
        };
        parts.add(resource, props, &context)?;
    }
    Ok(parts)
}

impl<'a> Parts<'a> {
    fn add(
        &mut self,
        resource: &Resource<'a>,
        props: Value,
        context: &Context<'_>,
    ) -> Result<(), Located> {
        let (id, pool) = (resource.id, context.pool);
        let at = format!("{}.Properties", resource.path());
        match resource.kind {
            Kind::ResourceServer => self
                .scopes
                .extend(cognito::resource_server_scopes(&props, pool, &at)?),
            Kind::UserPoolClient => {
                let credentials = context.credentials.get(id).cloned();
                let client = cognito::app_client(id, &props, credentials, pool, &at)?;
                self.clients.push(client);
            }
            Kind::UserPoolGroup => {
                let name = context.resolver.get_ref(id).unwrap_or(id);
                self.groups
                    .push(cognito::group(id, name, &props, pool, &at)?);
            }
            Kind::UserPool => {
                let file = context.inputs.template.display();
                let defined_at = format!("{file}: {}", resource.path());
                self.pool = Some(UserPoolSettings::read(&props, &at, defined_at)?);
            }
            Kind::Function => {
                let inputs = context.inputs;
                let source = SettingsSource {
                    props: &props,
                    template: context.template,
                    resolver: context.resolver,
                    layers: context.layers,
                    dir: context.dir,
                };
                let function =
                    function::function(resource, source, &inputs.env_vars, &inputs.region)?;
                self.functions.insert(id.to_owned(), function);
            }
            Kind::Api | Kind::HttpApi => self.apis.push((id, resource.kind, props)),
            // The stack's listener is the domain; its UserPoolId must be the local pool.
            Kind::UserPoolDomain => pool.check(&props, &at)?,
            Kind::LayerVersion | Kind::Permission => {}
            Kind::LogGroup | Kind::SnsTopic | Kind::SnsSubscription | Kind::Alarm => {
                self.not_emulated.push(NotEmulated {
                    logical_id: id.to_owned(),
                    resource_type: resource.kind.type_name(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::api::{ApiKind, AuthorizerKind};
    use crate::template::overrides::parse_overrides;
    use crate::template::resources::cognito::UserExistenceErrors;
    use crate::template::resources::cognito::validity::TokenValidity;
    use crate::template::{AuthFlow, OAuthFlow};
    use std::path::Path;

    const POOL_ID: &str = "eu-west-1_Local0001";

    /// The stack of `inputs`, its app clients given made-up credentials: reading needs no state.
    fn load(inputs: &Inputs) -> Result<Stack, LoadError> {
        let template = Template::read(inputs, POOL_ID)?;
        let credentials = template
            .app_clients()
            .map(|id| {
                let credentials = ClientCredentials {
                    client_id: format!("{id}-id"),
                    client_secret: format!("{id}-secret"),
                };
                (id.to_owned(), credentials)
            })
            .collect();
        template.resolve(&credentials)
    }

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
        let template = Template::read(&inputs(), POOL_ID).unwrap();
        let clients: Vec<&str> = template.app_clients().collect();
        assert_eq!(clients, ["AppClient", "PeopleClient"]);
        let stack = load(&inputs()).unwrap();
        assert_eq!(stack.pool_id, POOL_ID);
        assert_eq!(stack.scopes, ["echo-api/read", "echo-api/write"]);
        let [machine, people] = stack.clients.as_slice() else {
            panic!("{:?}", stack.clients)
        };
        assert_eq!(machine.flows, [OAuthFlow::ClientCredentials]);
        assert!(machine.allows(OAuthFlow::ClientCredentials) && machine.has_secret);
        assert_eq!(machine.scopes, stack.scopes);
        assert_eq!(machine.validity.access_seconds, 3600);
        assert_eq!(machine.name, "echo-api-machine-client");
        let authorizer = &stack.functions["AuthorizerFunction"];
        assert_eq!(authorizer.environment["USER_POOL_ID"], stack.pool_id);
        assert_eq!(
            authorizer.environment["CLIENT_IDS"],
            format!(
                "{},{}",
                machine.credentials.client_id, people.credentials.client_id
            )
        );
        assert!(authorizer.environment["ROUTE_SCOPES"].starts_with(
            r#"{"GET /echo": ["echo-api/read", {"anyGroups": ["readers", "admins"]}]"#
        ));
        assert_eq!(
            stack.functions["EchoFunction"].environment["CORS_ALLOW_ORIGIN"],
            "http://localhost:3001"
        );
        assert_eq!(stack.api().stage, "Prod");
        let routes: Vec<_> = stack
            .api()
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
        let guarded = Some("CognitoTokenAuthorizer");
        assert_eq!(
            routes,
            [
                ("DELETE", "/echo", guarded),
                ("GET", "/echo", guarded),
                ("POST", "/echo", guarded),
                ("OPTIONS", "/echo", None),
            ]
        );
        let token = &stack.api().authorizers["CognitoTokenAuthorizer"];
        let AuthorizerKind::Token { header, .. } = &token.kind else {
            panic!("{token:?}")
        };
        assert_eq!(
            (token.function.as_str(), header.as_str(), token.ttl_seconds),
            ("AuthorizerFunction", "Authorization", 300)
        );
        let responses = &stack.api().gateway_responses;
        assert_eq!(responses["UNAUTHORIZED"].status, Some(401));
        assert_eq!(responses["ACCESS_DENIED"].status, Some(403));
        for kind in [
            "UNAUTHORIZED",
            "ACCESS_DENIED",
            "DEFAULT_4XX",
            "DEFAULT_5XX",
        ] {
            assert!(
                responses[kind].headers.contains(&(
                    "Access-Control-Allow-Origin".to_owned(),
                    "http://localhost:3001".to_owned()
                )),
                "{kind}"
            );
        }
    }

    #[test]
    fn the_http_api_example_resolves() {
        let mut i = inputs();
        i.template = i.template.with_file_name("examples/http-api/template.yaml");
        i.stack_name = "echo-http-api".into();
        let stack = load(&i).unwrap();
        assert_eq!(stack.scopes, ["echo-http-api/read", "echo-http-api/write"]);
        let api = stack.api();
        assert!(api.is_http());
        assert_eq!(
            (api.stage.as_str(), api.stage_prefix().as_str()),
            ("$default", "")
        );
        let routes: Vec<_> = api
            .routes
            .iter()
            .map(|r| (r.route_key(), r.authorizer.as_deref()))
            .collect();
        let guarded = Some("CognitoLambdaAuthorizer");
        assert_eq!(
            routes,
            [
                ("GET /echo".to_owned(), guarded),
                ("POST /echo".to_owned(), guarded)
            ]
        );
        let authorizer = &api.authorizers["CognitoLambdaAuthorizer"];
        crate::template::http_api::authorizers::tests::assert_header_and_route_key(authorizer);
        let ApiKind::Http { cors: Some(cors) } = &api.kind else {
            panic!("{:?}", api.kind)
        };
        assert_eq!(cors.allow_origins, ["http://localhost:3001"]);
        assert!(api.gateway_responses.is_empty() && api.cors.is_none());
        let environment = &stack.functions["AuthorizerFunction"].environment;
        assert_eq!(
            environment["CLIENT_IDS"],
            stack.clients[0].credentials.client_id
        );
        assert!(stack.outputs["ApiUrl"].ends_with(".amazonaws.com/echo"));
    }

    #[test]
    fn people_sign_in_is_read_whole() {
        let stack = load(&inputs()).unwrap();
        let people = &stack.clients[1];
        assert_eq!(people.logical_id, "PeopleClient");
        assert!(!people.has_secret && people.is_for_people());
        assert!(people.allows(OAuthFlow::Code));
        assert_eq!(people.scopes, ["openid"]);
        assert_eq!(people.callback_urls, ["http://localhost:3001/"]);
        assert_eq!(people.logout_urls, ["http://localhost:3001/"]);
        assert_eq!(
            people.auth_flows,
            [AuthFlow::UserSrp, AuthFlow::RefreshToken]
        );
        assert_eq!(people.identity_providers, ["COGNITO"]);
        assert_eq!(
            people.validity,
            TokenValidity {
                access_seconds: 3600,
                id_seconds: 3600,
                refresh_seconds: 86_400
            }
        );
        assert_eq!(people.user_existence_errors, UserExistenceErrors::Enabled);
        assert!(people.token_revocation);
        let groups: Vec<_> = stack
            .groups
            .iter()
            .map(|g| (g.logical_id.as_str(), g.name.as_str()))
            .collect();
        assert_eq!(
            groups,
            [("AdminsGroup", "admins"), ("ReadersGroup", "readers")]
        );
        assert_eq!(
            stack.groups[1].description.as_deref(),
            Some("May GET /echo on echo-api.")
        );
        let pool = &stack.user_pool;
        assert!(!pool.username_case_sensitive && pool.admin_create_user_only);
        assert_eq!(pool.password_policy.minimum_length, 8);
        assert!(
            pool.defined_at
                .as_deref()
                .unwrap()
                .ends_with("Resources.CognitoUserPool")
        );
    }

    #[test]
    fn conditions_choose_what_exists() {
        let stack = load(&inputs()).unwrap();
        assert_eq!(
            stack.conditions.get("PeoplePasswordSignInEnabled"),
            Some(&false)
        );
        let types = |stack: &Stack| -> Vec<(String, &'static str)> {
            stack
                .not_emulated
                .iter()
                .map(|r| (r.logical_id.clone(), r.resource_type))
                .collect()
        };
        let present = types(&stack);
        assert!(present.contains(&("Api5xxRateAlarm".to_owned(), "AWS::CloudWatch::Alarm")));
        assert!(
            !present
                .iter()
                .any(|(id, _)| id == "AlarmTopic" || id == "AccessLogGroup")
        );
        assert!(stack.api().stage_settings.access_log.is_none());
        assert!(!stack.api().stage_settings.tracing);
        assert_eq!(
            stack.api().stage_settings.methods[0].rate_limit,
            Some(100.0)
        );

        let mut i = inputs();
        i.parameters.extend(
            parse_overrides(
                "PeoplePasswordSignIn=true AlarmEmail=ops@example.com AccessLogging=true TracingMode=Active \
                 PeopleCallbackUrls='https://app.example.com/cb, http://localhost:5173/cb'",
            )
            .unwrap(),
        );
        let stack = load(&i).unwrap();
        assert!(
            stack.clients[1]
                .auth_flows
                .contains(&AuthFlow::UserPassword)
        );
        assert_eq!(
            stack.clients[1].callback_urls,
            ["https://app.example.com/cb", "http://localhost:5173/cb"]
        );
        let present = types(&stack);
        assert!(present.contains(&("AlarmTopic".to_owned(), "AWS::SNS::Topic")));
        assert!(present.contains(&("AccessLogGroup".to_owned(), "AWS::Logs::LogGroup")));
        let log = stack.api().stage_settings.access_log.as_ref().unwrap();
        assert!(
            log.destination_arn
                .ends_with(":log-group:/aws/apigateway/echo-api-access:*")
        );
        assert!(stack.api().stage_settings.tracing);
    }

    #[test]
    fn parameters_are_checked_like_cloudformation() {
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
            let err = load(&i).unwrap_err().to_string();
            assert!(err.contains(needle), "{overrides}: {err}");
            assert!(err.contains("template.yaml"), "{err}");
        }
        let mut i = inputs();
        i.auth_stack_name = "other-auth".into();
        let err = load(&i).unwrap_err().to_string();
        assert!(err.contains("`/cognito-auth/CognitoUserPool"), "{err}");
    }

    #[test]
    fn env_vars_override_the_function_environment() {
        let mut i = inputs();
        i.env_vars.insert(
            "AuthorizerFunction".into(),
            BTreeMap::from([("ROUTE_SCOPES".to_owned(), "{}".to_owned())]),
        );
        let stack = load(&i).unwrap();
        assert_eq!(
            stack.functions["AuthorizerFunction"].environment["ROUTE_SCOPES"],
            "{}"
        );
    }
}
