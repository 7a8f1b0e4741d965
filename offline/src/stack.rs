//! The system `template.yaml` describes, read the way CloudFormation and SAM read it: parameters
//! (defaults, samconfig overrides, SSM values published by the auth stack), the resource server,
//! app clients, functions and their environment, the REST API, its routes, authorizers and
//! gateway responses. What the offline stack cannot emulate stops it with the construct named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorizer::routes::RoutePattern;
use regex::Regex;
use serde_json::Value;

use crate::error::Error;
use crate::resolve::{Problem, Resolver};
use crate::state::{ClientCredentials, State};

/// Account id used in ARNs (the one AWS documents for examples).
pub const ACCOUNT_ID: &str = "123456789012";
/// The local API's id (ten lower-case letters and digits, like API Gateway's).
pub const API_ID: &str = "offline0api";

/// Binaries the offline stack links in, by the name in `Metadata.BuildProperties.Binary`.
pub const AUTHORIZER_BINARY: &str = "authorizer";
pub const ECHO_BINARY: &str = "echo-handler";

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
    pub env_vars: BTreeMap<String, BTreeMap<String, String>>,
}

/// An app client allowed to call the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppClient {
    pub logical_id: String,
    pub name: String,
    pub credentials: ClientCredentials,
    /// Whether the client has a secret (`GenerateSecret: true`).
    pub has_secret: bool,
    /// `AllowedOAuthFlows`, e.g. `client_credentials`.
    pub flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    pub scopes: Vec<String>,
    /// Access token lifetime in seconds (`AccessTokenValidity` in `TokenValidityUnits.AccessToken`,
    /// default 60 minutes).
    pub access_token_seconds: u64,
}

/// A Lambda function of the template, by logical id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub logical_id: String,
    pub name: String,
    pub arn: String,
    /// `Metadata.BuildProperties.Binary`.
    pub binary: String,
    /// `Environment.Variables` (Globals merged in), resolved, with `--env-vars` applied.
    pub environment: BTreeMap<String, String>,
}

/// A REST API `TOKEN` Lambda authorizer.
#[derive(Debug, Clone)]
pub struct TokenAuthorizer {
    pub name: String,
    /// Logical id of the function.
    pub function: String,
    /// `Identity.Header` (default `Authorization`).
    pub header: String,
    /// `Identity.ValidationExpression`: a token that does not match gets 401 without a call.
    pub validation: Option<Regex>,
    /// `Identity.ReauthorizeEvery` (default 300 s): how long a result is cached per token.
    pub ttl_seconds: u64,
}

/// A gateway response (`GatewayResponses.TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The `application/json` template; `$context.error.messageString` and
    /// `$context.error.message` are the only variables it may use.
    pub template: String,
}

/// One route of the API: `Events` of type `Api` on a function.
#[derive(Debug, Clone)]
pub struct ApiRoute {
    /// `FunctionLogicalId.EventName`.
    pub event: String,
    pub pattern: RoutePattern,
    /// Logical id of the function behind it.
    pub function: String,
    /// The authorizer guarding it; `None` for `Auth: {Authorizer: NONE}`.
    pub authorizer: Option<String>,
}

/// The REST API.
#[derive(Debug, Clone)]
pub struct Api {
    pub logical_id: String,
    pub id: String,
    pub stage: String,
    pub authorizers: BTreeMap<String, TokenAuthorizer>,
    pub routes: Vec<ApiRoute>,
    /// By type: `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ...
    pub gateway_responses: BTreeMap<String, GatewayResponse>,
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
    /// Resolved parameter values, by name.
    pub parameters: BTreeMap<String, String>,
}

impl Stack {
    /// Reads and resolves the template. Generates (and remembers in `state`) the app clients'
    /// credentials; the caller saves the state.
    pub fn load(inputs: &Inputs, state: &mut State) -> Result<Self, Error> {
        let file = inputs.template.clone();
        let template = read_template(&file)?;
        let fail = |(at, problem): Problem| Error::Template {
            file: file.clone(),
            at,
            problem,
        };
        let pool_id = state.pool_id(&inputs.region);
        let pool_arn = format!(
            "arn:aws:cognito-idp:{}:{ACCOUNT_ID}:userpool/{pool_id}",
            inputs.region
        );
        let ssm = match &inputs.auth_template {
            Some(path) => auth_stack_ssm(path, inputs, &pool_id, &pool_arn)?,
            None => BTreeMap::new(),
        };

        let mut resolver = pseudo_parameters(&inputs.stack_name, &inputs.region);
        let parameters = resolve_parameters(&template, &inputs.parameters, &ssm).map_err(&fail)?;
        for (name, value) in &parameters {
            resolver.set_ref(name, value);
        }
        let resources = template
            .get("Resources")
            .and_then(Value::as_object)
            .ok_or_else(|| fail(("Resources".into(), "missing".into())))?;

        // Names and ids first: properties may refer to any of them.
        let mut credentials = BTreeMap::new();
        for (id, resource) in resources {
            let at = format!("Resources.{id}");
            match resource_type(resource, &at).map_err(&fail)? {
                "AWS::Cognito::UserPool" => {
                    resolver.set_ref(id, &pool_id);
                    resolver.set_attribute(id, "Arn", &pool_arn);
                }
                "AWS::Cognito::UserPoolClient" => {
                    let c = state.client(id);
                    resolver.set_ref(id, &c.client_id);
                    credentials.insert(id.clone(), c);
                }
                "AWS::Serverless::Api" => resolver.set_ref(id, API_ID),
                "AWS::Logs::LogGroup" | "AWS::Cognito::UserPoolResourceServer" => {}
                "AWS::Serverless::Function" => {}
                other => {
                    return Err(fail((
                        format!("{at}.Type"),
                        format!("`{other}` is not emulated by the offline stack"),
                    )));
                }
            }
        }
        for (id, resource) in resources {
            let at = format!("Resources.{id}");
            match resource_type(resource, &at).map_err(&fail)? {
                "AWS::Serverless::Function" => {
                    let name = match properties(resource).get("FunctionName") {
                        Some(v) => resolver.string(v, &format!("{at}.Properties.FunctionName")),
                        None => Ok(format!("{}-{id}", inputs.stack_name)),
                    }
                    .map_err(&fail)?;
                    let arn = format!(
                        "arn:aws:lambda:{}:{ACCOUNT_ID}:function:{name}",
                        inputs.region
                    );
                    resolver.set_ref(id, &name);
                    resolver.set_attribute(id, "Arn", arn);
                }
                "AWS::Logs::LogGroup" => {
                    let name = match properties(resource).get("LogGroupName") {
                        Some(v) => resolver.string(v, &format!("{at}.Properties.LogGroupName")),
                        None => Ok(format!("{}-{id}", inputs.stack_name)),
                    }
                    .map_err(&fail)?;
                    resolver.set_ref(id, name);
                }
                "AWS::Cognito::UserPoolResourceServer" => {
                    let identifier = resolver
                        .string(
                            properties(resource)
                                .get("Identifier")
                                .unwrap_or(&Value::Null),
                            &format!("{at}.Properties.Identifier"),
                        )
                        .map_err(&fail)?;
                    resolver.set_ref(id, identifier);
                }
                _ => {}
            }
        }

        let mut scopes = Vec::new();
        let mut clients = Vec::new();
        let mut functions = BTreeMap::new();
        let mut apis = Vec::new();
        for (id, resource) in resources {
            let at = format!("Resources.{id}");
            let props = resolver
                .resolve(
                    &Value::Object(properties(resource).clone()),
                    &format!("{at}.Properties"),
                )
                .map_err(&fail)?;
            let at = format!("{at}.Properties");
            match resource_type(resource, &at).map_err(&fail)? {
                "AWS::Cognito::UserPoolResourceServer" => {
                    check_pool(&props, &pool_id, &at).map_err(&fail)?;
                    let identifier = str_field(&props, "Identifier", &at).map_err(&fail)?;
                    for (i, scope) in array_field(&props, "Scopes").iter().enumerate() {
                        let name = str_field(scope, "ScopeName", &format!("{at}.Scopes[{i}]"))
                            .map_err(&fail)?;
                        scopes.push(format!("{identifier}/{name}"));
                    }
                }
                "AWS::Cognito::UserPoolClient" => {
                    check_pool(&props, &pool_id, &at).map_err(&fail)?;
                    let credentials = credentials.get(id).cloned().ok_or_else(|| {
                        fail((at.clone(), "app client without credentials".into()))
                    })?;
                    clients.push(app_client(id, &props, credentials, &at).map_err(&fail)?);
                }
                "AWS::Serverless::Function" => {
                    let function =
                        function(id, resource, &props, &template, &resolver, inputs, &at)
                            .map_err(&fail)?;
                    functions.insert(id.clone(), function);
                }
                "AWS::Serverless::Api" => apis.push((id.clone(), props)),
                _ => {}
            }
        }
        for client in &clients {
            if let Some(unknown) = client.scopes.iter().find(|s| !scopes.contains(s)) {
                return Err(fail((
                    format!(
                        "Resources.{}.Properties.AllowedOAuthScopes",
                        client.logical_id
                    ),
                    format!("`{unknown}` is not a scope of the pool's resource servers"),
                )));
            }
        }
        let [(api_id, api_props)] = <[_; 1]>::try_from(apis).map_err(|apis: Vec<_>| {
            fail((
                "Resources".into(),
                format!(
                    "the offline stack runs exactly one AWS::Serverless::Api; found {}",
                    apis.len()
                ),
            ))
        })?;
        let api = api(&api_id, &api_props, resources, &functions, &resolver).map_err(&fail)?;
        Ok(Self {
            template: file,
            stack_name: inputs.stack_name.clone(),
            region: inputs.region.clone(),
            pool_id,
            pool_arn,
            scopes,
            clients,
            functions,
            api,
            parameters,
        })
    }

    /// The function behind a route or authorizer.
    pub fn function(&self, logical_id: &str) -> Option<&Function> {
        self.functions.get(logical_id)
    }
}

/// Parses a YAML or JSON template file.
pub fn read_template(path: &Path) -> Result<Value, Error> {
    let source = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    crate::yaml::to_json(&source).map_err(|(at, problem)| Error::Template {
        file: path.to_owned(),
        at,
        problem,
    })
}

fn pseudo_parameters(stack_name: &str, region: &str) -> Resolver {
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

/// The SSM parameters the auth stack publishes: name → value.
fn auth_stack_ssm(
    path: &Path,
    inputs: &Inputs,
    pool_id: &str,
    pool_arn: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let template = read_template(path)?;
    let fail = |(at, problem): Problem| Error::Template {
        file: path.to_owned(),
        at,
        problem,
    };
    let mut resolver = pseudo_parameters(&inputs.auth_stack_name, &inputs.region);
    // The auth stack's own parameters only feed names that the offline stack does not need.
    if let Some(params) = template.get("Parameters").and_then(Value::as_object) {
        for name in params.keys() {
            resolver.set_ref(name, format!("offline-{}", name.to_ascii_lowercase()));
        }
    }
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| fail(("Resources".into(), "missing".into())))?;
    for (id, resource) in resources {
        if resource_type(resource, &format!("Resources.{id}")).map_err(&fail)?
            == "AWS::Cognito::UserPool"
        {
            resolver.set_ref(id, pool_id);
            resolver.set_attribute(id, "Arn", pool_arn);
        }
    }
    let mut ssm = BTreeMap::new();
    for (id, resource) in resources {
        let at = format!("Resources.{id}.Properties");
        if resource_type(resource, &at).map_err(&fail)? == "AWS::SSM::Parameter" {
            let props = properties(resource);
            let name = resolver
                .string(
                    props.get("Name").unwrap_or(&Value::Null),
                    &format!("{at}.Name"),
                )
                .map_err(&fail)?;
            let value = resolver
                .string(
                    props.get("Value").unwrap_or(&Value::Null),
                    &format!("{at}.Value"),
                )
                .map_err(&fail)?;
            ssm.insert(name, value);
        }
    }
    Ok(ssm)
}

/// Parameter values: override, else default; `AWS::SSM::Parameter::Value<String>` parameters
/// name an SSM parameter, looked up in what the auth stack publishes. Checks `AllowedValues`,
/// `AllowedPattern`, `MinValue`/`MaxValue` and `Number` as CloudFormation does.
fn resolve_parameters(
    template: &Value,
    overrides: &BTreeMap<String, String>,
    ssm: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Problem> {
    let mut values = BTreeMap::new();
    let declared = template.get("Parameters").and_then(Value::as_object);
    if let Some(unknown) = overrides
        .keys()
        .find(|k| !declared.is_some_and(|d| d.contains_key(*k)))
    {
        return Err((
            "Parameters".into(),
            format!("the override `{unknown}` is not a parameter of the template"),
        ));
    }
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
            });
        let Some(given) = given else {
            return Err((
                at,
                "no Default and no override: set it in samconfig.toml's parameter_overrides or with --parameter-overrides".into(),
            ));
        };
        let value = if let Some(inner) = kind
            .strip_prefix("AWS::SSM::Parameter::Value<")
            .and_then(|k| k.strip_suffix('>'))
        {
            if inner != "String" {
                return Err((
                    format!("{at}.Type"),
                    format!("`{kind}` is not supported offline"),
                ));
            }
            ssm.get(&given).cloned().ok_or_else(|| {
                (
                    at.clone(),
                    format!("the SSM parameter `{given}` is not published by the auth stack's template (check --auth-template and the auth stack name)"),
                )
            })?
        } else if kind == "String" || kind == "Number" {
            given
        } else {
            return Err((
                format!("{at}.Type"),
                format!("`{kind}` is not supported offline"),
            ));
        };
        check_parameter(spec, &value, kind).map_err(|problem| (at.clone(), problem))?;
        values.insert(name.clone(), value);
    }
    Ok(values)
}

fn check_parameter(spec: &Value, value: &str, kind: &str) -> Result<(), String> {
    if let Some(allowed) = spec.get("AllowedValues").and_then(Value::as_array) {
        let ok = allowed.iter().any(|a| match a {
            Value::String(s) => s == value,
            Value::Number(n) => n.to_string() == value,
            _ => false,
        });
        if !ok {
            return Err(format!("`{value}` is not one of AllowedValues"));
        }
    }
    if let Some(pattern) = spec.get("AllowedPattern").and_then(Value::as_str) {
        let re = Regex::new(&format!("^(?:{pattern})$"))
            .map_err(|e| format!("AllowedPattern does not compile: {e}"))?;
        if !re.is_match(value) {
            return Err(format!(
                "`{value}` does not match AllowedPattern `{pattern}`"
            ));
        }
    }
    if kind == "Number" {
        let n: f64 = value
            .parse()
            .map_err(|_| format!("`{value}` is not a number"))?;
        if spec
            .get("MinValue")
            .and_then(Value::as_f64)
            .is_some_and(|min| n < min)
        {
            return Err(format!("`{value}` is below MinValue"));
        }
        if spec
            .get("MaxValue")
            .and_then(Value::as_f64)
            .is_some_and(|max| n > max)
        {
            return Err(format!("`{value}` is above MaxValue"));
        }
    }
    Ok(())
}

fn resource_type<'a>(resource: &'a Value, at: &str) -> Result<&'a str, Problem> {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| (format!("{at}.Type"), "missing".into()))
}

fn properties(resource: &Value) -> &serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new))
}

fn str_field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, Problem> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| (format!("{at}.{key}"), "missing or not a string".into()))
}

fn array_field<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn strings(v: &Value, key: &str, at: &str) -> Result<Vec<String>, Problem> {
    array_field(v, key)
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| (format!("{at}.{key}[{i}]"), "not a string".into()))
        })
        .collect()
}

fn check_pool(props: &Value, pool_id: &str, at: &str) -> Result<(), Problem> {
    let given = str_field(props, "UserPoolId", at)?;
    if given == pool_id {
        Ok(())
    } else {
        Err((
            format!("{at}.UserPoolId"),
            format!("`{given}` is not the local user pool `{pool_id}`"),
        ))
    }
}

fn app_client(
    id: &str,
    props: &Value,
    credentials: ClientCredentials,
    at: &str,
) -> Result<AppClient, Problem> {
    let validity = match props.get("AccessTokenValidity") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| {
                    (
                        format!("{at}.AccessTokenValidity"),
                        "not a whole number".to_owned(),
                    )
                })?,
        ),
    };
    let unit = props
        .pointer("/TokenValidityUnits/AccessToken")
        .and_then(Value::as_str)
        .unwrap_or("hours");
    let unit_seconds = match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        other => {
            return Err((
                format!("{at}.TokenValidityUnits.AccessToken"),
                format!("`{other}` is not seconds, minutes, hours or days"),
            ));
        }
    };
    let access_token_seconds = validity.map_or(3600, |v| v * unit_seconds);
    if !(300..=86_400).contains(&access_token_seconds) {
        return Err((
            format!("{at}.AccessTokenValidity"),
            format!("{access_token_seconds} s is outside Cognito's 5 minutes to 1 day"),
        ));
    }
    let flows = strings(props, "AllowedOAuthFlows", at)?;
    if let Some(flow) = flows
        .iter()
        .find(|f| !["client_credentials", "code", "implicit"].contains(&f.as_str()))
    {
        return Err((
            format!("{at}.AllowedOAuthFlows"),
            format!("unknown flow `{flow}`"),
        ));
    }
    Ok(AppClient {
        logical_id: id.to_owned(),
        name: props
            .get("ClientName")
            .and_then(Value::as_str)
            .unwrap_or(id)
            .to_owned(),
        credentials,
        has_secret: props.get("GenerateSecret").and_then(Value::as_bool) == Some(true),
        flows,
        scopes: strings(props, "AllowedOAuthScopes", at)?,
        access_token_seconds,
    })
}

fn function(
    id: &str,
    resource: &Value,
    props: &Value,
    template: &Value,
    resolver: &Resolver,
    inputs: &Inputs,
    at: &str,
) -> Result<Function, Problem> {
    let binary = resource
        .pointer("/Metadata/BuildProperties/Binary")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            (
                format!("Resources.{id}.Metadata.BuildProperties.Binary"),
                "missing: the offline stack runs rust-cargolambda functions by binary name"
                    .to_owned(),
            )
        })?;
    if ![AUTHORIZER_BINARY, ECHO_BINARY].contains(&binary) {
        return Err((
            format!("Resources.{id}.Metadata.BuildProperties.Binary"),
            format!(
                "`{binary}` is not a binary the offline stack runs ({AUTHORIZER_BINARY}, {ECHO_BINARY})"
            ),
        ));
    }
    let mut environment = BTreeMap::new();
    let globals = template
        .pointer("/Globals/Function/Environment/Variables")
        .cloned()
        .unwrap_or(Value::Null);
    let globals = resolver.resolve(&globals, "Globals.Function.Environment.Variables")?;
    for source in [
        &globals,
        props
            .pointer("/Environment/Variables")
            .unwrap_or(&Value::Null),
    ] {
        if let Some(vars) = source.as_object() {
            for (name, value) in vars {
                let value =
                    resolver.string(value, &format!("{at}.Environment.Variables.{name}"))?;
                environment.insert(name.clone(), value);
            }
        }
    }
    if let Some(vars) = inputs.env_vars.get(id) {
        environment.extend(vars.clone());
    }
    let name = resolver.get_ref(id).unwrap_or(id).to_owned();
    Ok(Function {
        logical_id: id.to_owned(),
        arn: format!(
            "arn:aws:lambda:{}:{ACCOUNT_ID}:function:{name}",
            inputs.region
        ),
        name,
        binary: binary.to_owned(),
        environment,
    })
}

fn api(
    id: &str,
    props: &Value,
    resources: &serde_json::Map<String, Value>,
    functions: &BTreeMap<String, Function>,
    resolver: &Resolver,
) -> Result<Api, Problem> {
    let at = format!("Resources.{id}.Properties");
    let stage = str_field(props, "StageName", &at)?.to_owned();
    for unsupported in [
        "DefinitionBody",
        "DefinitionUri",
        "Cors",
        "BinaryMediaTypes",
        "Domain",
    ] {
        if props.get(unsupported).is_some() {
            return Err((
                format!("{at}.{unsupported}"),
                "not emulated by the offline stack".to_owned(),
            ));
        }
    }
    let auth = props.get("Auth").cloned().unwrap_or(Value::Null);
    let mut authorizers = BTreeMap::new();
    if let Some(defined) = auth.get("Authorizers").and_then(Value::as_object) {
        for (name, spec) in defined {
            let at = format!("{at}.Auth.Authorizers.{name}");
            authorizers.insert(name.clone(), token_authorizer(name, spec, functions, &at)?);
        }
    }
    let default_authorizer = match auth.get("DefaultAuthorizer").and_then(Value::as_str) {
        None | Some("NONE") => None,
        Some(name) if authorizers.contains_key(name) => Some(name.to_owned()),
        Some(name) => {
            return Err((
                format!("{at}.Auth.DefaultAuthorizer"),
                format!("`{name}` is not one of Auth.Authorizers"),
            ));
        }
    };
    let mut gateway_responses = BTreeMap::new();
    if let Some(defined) = props.get("GatewayResponses").and_then(Value::as_object) {
        for (kind, spec) in defined {
            let at = format!("{at}.GatewayResponses.{kind}");
            gateway_responses.insert(kind.clone(), gateway_response(kind, spec, &at)?);
        }
    }

    let mut routes: Vec<ApiRoute> = Vec::new();
    for (function_id, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let Some(events) = resource
            .pointer("/Properties/Events")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (event_name, event) in events {
            let at = format!("Resources.{function_id}.Properties.Events.{event_name}");
            let kind = str_field(event, "Type", &at)?;
            if kind != "Api" {
                return Err((
                    format!("{at}.Type"),
                    format!("`{kind}` events are not emulated by the offline stack (only Api)"),
                ));
            }
            let event_props = resolver.resolve(
                event.get("Properties").unwrap_or(&Value::Null),
                &format!("{at}.Properties"),
            )?;
            let at = format!("{at}.Properties");
            match event_props.get("RestApiId").and_then(Value::as_str) {
                Some(api) if api == API_ID => {}
                _ => {
                    return Err((
                        format!("{at}.RestApiId"),
                        format!("must be `!Ref {id}` (the implicit API is not emulated)"),
                    ));
                }
            }
            let path = str_field(&event_props, "Path", &at)?;
            let method = str_field(&event_props, "Method", &at)?;
            let pattern = RoutePattern::parse(method, path).map_err(|why| (at.clone(), why))?;
            let authorizer = match event_props
                .pointer("/Auth/Authorizer")
                .and_then(Value::as_str)
            {
                None => default_authorizer.clone(),
                Some("NONE") => None,
                Some(name) if authorizers.contains_key(name) => Some(name.to_owned()),
                Some(name) => {
                    return Err((
                        format!("{at}.Auth.Authorizer"),
                        format!("`{name}` is not one of the API's Auth.Authorizers"),
                    ));
                }
            };
            if functions.get(function_id).map(|f| f.binary.as_str()) != Some(ECHO_BINARY) {
                return Err((
                    at.clone(),
                    format!(
                        "the function `{function_id}` is not a proxy integration the offline stack runs"
                    ),
                ));
            }
            if let Some(other) = routes.iter().find(|r| r.pattern.same_route(&pattern)) {
                return Err((at, format!("repeats the route of {}", other.event)));
            }
            routes.push(ApiRoute {
                event: format!("{function_id}.{event_name}"),
                pattern,
                function: function_id.clone(),
                authorizer,
            });
        }
    }
    if routes.is_empty() {
        return Err((at, "the API has no route (Events of type Api)".to_owned()));
    }
    Ok(Api {
        logical_id: id.to_owned(),
        id: API_ID.to_owned(),
        stage,
        authorizers,
        routes,
        gateway_responses,
    })
}

fn token_authorizer(
    name: &str,
    spec: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
) -> Result<TokenAuthorizer, Problem> {
    if spec.get("UserPoolArn").is_some() {
        return Err((
            at.to_owned(),
            "Cognito (UserPoolArn) authorizers are not emulated offline; use the Lambda authorizer"
                .to_owned(),
        ));
    }
    let arn = str_field(spec, "FunctionArn", at)?;
    let function = functions.values().find(|f| f.arn == arn).ok_or_else(|| {
        (
            format!("{at}.FunctionArn"),
            format!("`{arn}` is not a function of the template"),
        )
    })?;
    if function.binary != AUTHORIZER_BINARY {
        return Err((
            format!("{at}.FunctionArn"),
            format!("`{}` is not the authorizer binary", function.logical_id),
        ));
    }
    let payload = spec
        .get("FunctionPayloadType")
        .and_then(Value::as_str)
        .unwrap_or("TOKEN");
    if payload != "TOKEN" {
        return Err((
            format!("{at}.FunctionPayloadType"),
            format!("`{payload}` authorizers are not emulated offline (TOKEN only)"),
        ));
    }
    let identity = spec.get("Identity").cloned().unwrap_or(Value::Null);
    let header = identity
        .get("Header")
        .and_then(Value::as_str)
        .unwrap_or("Authorization")
        .to_owned();
    let validation = match identity.get("ValidationExpression").and_then(Value::as_str) {
        Some(expr) => Some(
            Regex::new(&format!("^(?:{expr})$"))
                .map_err(|e| (format!("{at}.Identity.ValidationExpression"), e.to_string()))?,
        ),
        None => None,
    };
    let ttl_seconds = match identity.get("ReauthorizeEvery") {
        None => 300,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .filter(|ttl| *ttl <= 3600)
            .ok_or_else(|| {
                (
                    format!("{at}.Identity.ReauthorizeEvery"),
                    "expected 0 to 3600 seconds".to_owned(),
                )
            })?,
    };
    Ok(TokenAuthorizer {
        name: name.to_owned(),
        function: function.logical_id.clone(),
        header,
        validation,
        ttl_seconds,
    })
}

/// Response types the offline gateway produces.
pub const GATEWAY_RESPONSE_TYPES: &[&str] = &[
    "UNAUTHORIZED",
    "ACCESS_DENIED",
    "AUTHORIZER_FAILURE",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "MISSING_AUTHENTICATION_TOKEN",
    "REQUEST_TOO_LARGE",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
];

fn gateway_response(kind: &str, spec: &Value, at: &str) -> Result<GatewayResponse, Problem> {
    if !GATEWAY_RESPONSE_TYPES.contains(&kind) {
        return Err((
            at.to_owned(),
            format!("`{kind}` is not a response type the offline gateway produces"),
        ));
    }
    let default_status = match kind {
        "UNAUTHORIZED" => 401,
        "ACCESS_DENIED" | "MISSING_AUTHENTICATION_TOKEN" => 403,
        "REQUEST_TOO_LARGE" => 413,
        "DEFAULT_4XX" => 400,
        _ => 500,
    };
    let status = match spec.get("StatusCode") {
        None => default_status,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| (format!("{at}.StatusCode"), "not an HTTP status".to_owned()))?,
    };
    let mut headers = Vec::new();
    let params = spec
        .get("ResponseParameters")
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(other) = params
        .as_object()
        .and_then(|p| p.keys().find(|k| k.as_str() != "Headers"))
    {
        return Err((
            format!("{at}.ResponseParameters.{other}"),
            "not emulated offline (Headers only)".to_owned(),
        ));
    }
    if let Some(defined) = params.get("Headers").and_then(Value::as_object) {
        for (name, value) in defined {
            let quoted = value
                .as_str()
                .and_then(|v| v.strip_prefix('\'')?.strip_suffix('\''));
            let value = quoted.ok_or_else(|| {
                (
                    format!("{at}.ResponseParameters.Headers.{name}"),
                    "only static values ('quoted') are emulated offline".to_owned(),
                )
            })?;
            headers.push((name.clone(), value.to_owned()));
        }
    }
    let template = match spec.get("ResponseTemplates") {
        None => r#"{"message":$context.error.messageString}"#.to_owned(),
        Some(templates) => templates
            .get("application/json")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                (
                    format!("{at}.ResponseTemplates"),
                    "needs an application/json template".to_owned(),
                )
            })?
            .to_owned(),
    };
    let without_known = template
        .replace("$context.error.messageString", "")
        .replace("$context.error.message", "");
    if let Some(i) = without_known.find('$') {
        let variable: String = without_known[i..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | ',' | '}'))
            .collect();
        return Err((
            format!("{at}.ResponseTemplates.application/json"),
            format!("`{variable}` is not emulated offline ($context.error.message[String] only)"),
        ));
    }
    Ok(GatewayResponse {
        status,
        headers,
        template,
    })
}

/// Parses SAM's `parameter_overrides` syntax: `Name=Value Name2="value with spaces"`.
pub fn parse_overrides(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut token = String::new();
        let mut quote = None;
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, c) if c.is_whitespace() => break,
                (_, '\\') => token.extend(chars.next()),
                (_, c) => token.push(c),
            }
        }
        if quote.is_some() {
            return Err(format!("unclosed quote in `{text}`"));
        }
        let (name, value) = token
            .split_once('=')
            .ok_or_else(|| format!("`{token}` is not Name=Value"))?;
        let name = name.strip_prefix("ParameterKey=").unwrap_or(name);
        out.insert(name.to_owned(), value.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn overrides_parse_like_sam() {
        let o = parse_overrides(r#"CognitoDomainPrefix="change-me" Name='Echo API' N=5"#).unwrap();
        assert_eq!(o["CognitoDomainPrefix"], "change-me");
        assert_eq!(o["Name"], "Echo API");
        assert_eq!(o["N"], "5");
        assert!(parse_overrides("A=\"open").is_err());
        assert!(parse_overrides("novalue").is_err());
        assert!(parse_overrides("  ").unwrap().is_empty());
    }

    #[test]
    fn gateway_responses_accept_static_values_only() {
        let ok = gateway_response(
            "UNAUTHORIZED",
            &serde_json::json!({"StatusCode": 401, "ResponseParameters": {"Headers": {"WWW-Authenticate": "'Bearer'"}},
                "ResponseTemplates": {"application/json": "{\"message\":$context.error.messageString}"}}),
            "X",
        )
        .unwrap();
        assert_eq!(
            ok.headers,
            [("WWW-Authenticate".to_owned(), "Bearer".to_owned())]
        );
        for (spec, needle) in [
            (
                serde_json::json!({"ResponseParameters": {"Headers": {"X": "method.request.header.y"}}}),
                "static",
            ),
            (
                serde_json::json!({"ResponseTemplates": {"application/json": "{\"a\":\"$context.authorizer.sub\"}"}}),
                "$context.authorizer.sub",
            ),
            (serde_json::json!({"StatusCode": 999}), "HTTP status"),
        ] {
            let (_, problem) = gateway_response("ACCESS_DENIED", &spec, "X").unwrap_err();
            assert!(problem.contains(needle), "{problem}");
        }
        assert!(gateway_response("THROTTLED", &serde_json::json!({}), "X").is_err());
    }
}
