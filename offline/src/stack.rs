//! The system `template.yaml` describes, read the way CloudFormation and SAM read it: parameters
//! (defaults, samconfig overrides, SSM values published by the auth stack), the resource server,
//! app clients, functions and their environment, the REST API, its routes, authorizers and
//! gateway responses. What the offline stack cannot emulate stops it with the construct named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::Value;

use crate::api::{Api, api};
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
    pub arn: String,
    /// `Metadata.BuildProperties.Binary`.
    pub binary: String,
    /// `Environment.Variables` (Globals merged in), resolved, with `--env-vars` applied.
    pub environment: BTreeMap<String, String>,
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

pub(crate) fn resource_type<'a>(resource: &'a Value, at: &str) -> Result<&'a str, Problem> {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| (format!("{at}.Type"), "missing".into()))
}

pub(crate) fn properties(resource: &Value) -> &serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new))
}

pub(crate) fn str_field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, Problem> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| (format!("{at}.{key}"), "missing or not a string".into()))
}

pub(crate) fn array_field<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

pub(crate) fn strings(v: &Value, key: &str, at: &str) -> Result<Vec<String>, Problem> {
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
        binary: binary.to_owned(),
        environment,
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
}
