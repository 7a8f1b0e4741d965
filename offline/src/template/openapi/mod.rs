//! An API's OpenAPI definition (`DefinitionBody`, inline or included from a local file,
//! `include`), read as API Gateway imports it ("OpenAPI extensions for API Gateway", API
//! Gateway developer guide) with what SAM adds: each path's operations (`get`, ..., and
//! `x-amazon-apigateway-any-method` as `ANY`; an HTTP API's `/$default` with `isDefaultRoute`)
//! are routes, each with its integration (`integration`, `mock`) and its authorizer: its
//! `security` naming a security scheme (`security`, with `identity_source`), SAM's `NONE`, or
//! none, in which case SAM's `Auth.DefaultAuthorizer` applies, as SAM applies it to every method
//! of the definition. An HTTP API's `x-amazon-apigateway-cors` is its CORS (`cors`). Anything
//! else API Gateway reads (request validators, gateway responses, binary media types, API keys,
//! the root-level `security`, which REST APIs ignore) is refused, naming the path.

pub(crate) mod cors;
pub(crate) mod identity_source;
pub(crate) mod include;
pub(crate) mod integration;
pub(crate) mod mock;
pub(crate) mod security;

use std::collections::BTreeMap;

use authorizer::RoutePattern;
use serde_json::Value;

use super::api::{ApiRoute, BuiltinAuthorizer, HttpCors, LambdaAuthorizer};
use super::api_auth::Guards;
use super::api_events::ApiInputs;
use super::error::{Located, Problem};
use super::fields::str_field;
use super::ids::ACCOUNT_ID;

/// What a definition gives an API.
#[derive(Debug, Default)]
pub(crate) struct Definition {
    pub(crate) routes: Vec<ApiRoute>,
    pub(crate) authorizers: BTreeMap<String, LambdaAuthorizer>,
    /// API Gateway's own authorizers, SAM's and the definition's.
    pub(crate) builtin: BTreeMap<String, BuiltinAuthorizer>,
    /// `x-amazon-apigateway-cors` (HTTP APIs).
    pub(crate) cors: Option<HttpCors>,
}

/// A definition being read: its body (resolved), where it is, the API's kind, stage and inputs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenApi<'a> {
    pub(crate) body: &'a Value,
    pub(crate) at: &'a str,
    pub(crate) http: bool,
    pub(crate) stage: &'a str,
    pub(crate) inputs: ApiInputs<'a>,
}

/// Root keys the offline stack reads or knows change nothing.
const ROOT_KEYS: &[&str] = &[
    "openapi",
    "swagger",
    "info",
    "paths",
    "components",
    "securityDefinitions",
    "definitions",
    "tags",
    "servers",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "externalDocs",
    "x-amazon-apigateway-cors",
];

/// Operation keys besides the integration and `security` that change nothing offline.
const OPERATION_KEYS: &[&str] = &[
    "x-amazon-apigateway-integration",
    "security",
    "isDefaultRoute",
    "summary",
    "description",
    "operationId",
    "tags",
    "parameters",
    "requestBody",
    "responses",
    "produces",
    "consumes",
    "deprecated",
    "externalDocs",
    "callbacks",
    "servers",
];

impl OpenApi<'_> {
    /// The logical id of the function a Lambda URI (`spec.key`, at `at`) names.
    pub(crate) fn lambda_function(
        &self,
        spec: &Value,
        key: &str,
        at: &str,
    ) -> Result<String, Located> {
        let uri = str_field(spec, key, at)?;
        let arn = match uri.strip_prefix("arn:aws:apigateway:") {
            Some(rest) => rest
                .split_once(":lambda:path/2015-03-31/functions/")
                .and_then(|(_, tail)| tail.strip_suffix("/invocations"))
                .unwrap_or_default(),
            None => uri,
        };
        self.inputs
            .functions
            .values()
            .find(|f| f.arn == arn)
            .map(|f| f.logical_id.clone())
            .ok_or_else(|| Problem::UnknownFunction(uri.to_owned()).at(format!("{at}.{key}")))
    }

    /// API Gateway may invoke `function` for a call from `source_arn`: an
    /// `AWS::Lambda::Permission` allows it (else every call would get 500).
    pub(crate) fn check_permission(
        &self,
        function: &str,
        source_arn: &str,
        at: &str,
    ) -> Result<(), Located> {
        if self
            .inputs
            .permissions
            .iter()
            .any(|p| p.allows(function, source_arn))
        {
            return Ok(());
        }
        let problem = Problem::NoLambdaPermission {
            function: function.to_owned(),
            source_arn: source_arn.to_owned(),
        };
        Err(problem.at(at))
    }

    fn arn_prefix(&self) -> String {
        let region = self.inputs.region;
        format!(
            "arn:aws:execute-api:{region}:{ACCOUNT_ID}:{}",
            self.inputs.api.id
        )
    }

    /// The ARN API Gateway calls an authorizer's function from.
    pub(crate) fn authorizer_arn(&self) -> String {
        format!("{}/authorizers/offline", self.arn_prefix())
    }

    /// The ARN API Gateway calls a route's function from: stage, method (`GET` for `ANY`) and
    /// the path with each parameter `x`.
    pub(crate) fn route_arn(&self, pattern: &RoutePattern) -> String {
        let method = if pattern.method == "ANY" {
            "GET"
        } else {
            &pattern.method
        };
        let path: Vec<&str> = pattern
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect();
        format!(
            "{}/{}/{method}{}",
            self.arn_prefix(),
            self.stage,
            path.join("/")
        )
    }
}

/// The definition `openapi`; `sam` holds SAM's `Auth.Authorizers` (to which the definition's
/// own are added) and its default; `guard_preflight` says whether SAM's default guards
/// `OPTIONS` operations (`AddDefaultAuthorizerToCorsPreflight`).
pub(crate) fn read(
    openapi: &OpenApi<'_>,
    sam: &Guards<'_>,
    guard_preflight: bool,
) -> Result<Definition, Located> {
    let at = openapi.at;
    check_root(openapi.body, openapi.http, at)?;
    let own = security::authorizers(openapi)?;
    let mut authorizers = sam.authorizers().clone();
    authorizers.add(
        own.lambda,
        own.builtin,
        &format!("{at}.components.securitySchemes"),
    )?;
    let guards = authorizers.guards();
    let routes = routes(openapi, &guards, guard_preflight)?;
    let cors = if openapi.http {
        cors::definition_cors(openapi.body, at)?
    } else {
        None
    };
    Ok(Definition {
        routes,
        authorizers: authorizers.lambda,
        builtin: authorizers.builtin,
        cors,
    })
}

/// Root keys: known ones; `security` and API Gateway extensions not emulated are refused.
fn check_root(body: &Value, http: bool, at: &str) -> Result<(), Located> {
    let map = body
        .as_object()
        .ok_or_else(|| Problem::NotAMapping.at(at))?;
    if map.contains_key("security") {
        let problem = if http {
            Problem::HttpRootSecurity
        } else {
            Problem::RootSecurity
        };
        return Err(problem.at(format!("{at}.security")));
    }
    if let Some(key) = unknown_key(map, ROOT_KEYS) {
        return Err(Problem::UnreadProperty.at(format!("{at}.{key}")));
    }
    if !http && map.contains_key("x-amazon-apigateway-cors") {
        return Err(Problem::UnreadProperty.at(format!("{at}.x-amazon-apigateway-cors")));
    }
    if let Some(base) = map
        .get("basePath")
        .and_then(Value::as_str)
        .filter(|b| *b != "/")
    {
        return Err(Problem::BasePath(base.to_owned()).at(format!("{at}.basePath")));
    }
    if body
        .pointer("/components/x-amazon-apigateway-integrations")
        .is_some()
    {
        return Err(
            Problem::UnreadProperty.at(format!("{at}.components.x-amazon-apigateway-integrations"))
        );
    }
    Ok(())
}

/// An extension object's `type`, in lower case (API Gateway reads `AWS_PROXY` and `aws_proxy`
/// alike); empty when absent.
pub(crate) fn kind(spec: &Value) -> String {
    spec.get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A key of `map` that is not `known` and not another vendor's extension (API Gateway's own
/// extensions are all read or refused).
fn unknown_key<'a>(map: &'a serde_json::Map<String, Value>, known: &[&str]) -> Option<&'a String> {
    map.keys().find(|k| {
        let vendor = k.starts_with("x-") && !k.starts_with("x-amazon-apigateway-");
        !known.contains(&k.as_str()) && !vendor
    })
}

/// Every operation of every path, a route.
fn routes(
    openapi: &OpenApi<'_>,
    guards: &Guards<'_>,
    guard_preflight: bool,
) -> Result<Vec<ApiRoute>, Located> {
    let at = format!("{}.paths", openapi.at);
    let paths = openapi
        .body
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| Problem::Missing.at(&at))?;
    let mut routes = Vec::new();
    for (path, item) in paths {
        let at = format!("{at}.{path}");
        let item = item
            .as_object()
            .ok_or_else(|| Problem::NotAMapping.at(&at))?;
        for (key, op) in item {
            let at = format!("{at}.{key}");
            let Some(method) = method(key, &at)? else {
                continue;
            };
            let route = operation(openapi, guards, guard_preflight, (method, path), op, &at)?;
            routes.push(route);
        }
    }
    Ok(routes)
}

/// The method a path item key names (`None` for the keys that are not operations).
fn method(key: &str, at: &str) -> Result<Option<&'static str>, Located> {
    Ok(Some(match key {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        "x-amazon-apigateway-any-method" => "ANY",
        "parameters" | "summary" | "description" | "servers" => return Ok(None),
        _ => return Err(Problem::UnreadProperty.at(at)),
    }))
}

/// The route of one operation (`method` on `path`, at `at`).
fn operation(
    openapi: &OpenApi<'_>,
    guards: &Guards<'_>,
    guard_preflight: bool,
    (method, path): (&str, &str),
    op: &Value,
    at: &str,
) -> Result<ApiRoute, Located> {
    let map = op.as_object().ok_or_else(|| Problem::NotAMapping.at(at))?;
    if let Some(key) = unknown_key(map, OPERATION_KEYS) {
        return Err(Problem::UnreadProperty.at(format!("{at}.{key}")));
    }
    let catch_all = op.get("isDefaultRoute").and_then(Value::as_bool) == Some(true);
    if catch_all && !(openapi.http && path == "/$default" && method == "ANY") {
        return Err(Problem::UnreadProperty.at(format!("{at}.isDefaultRoute")));
    }
    let pattern_path = if catch_all { "/{proxy+}" } else { path };
    let pattern =
        RoutePattern::parse(method, pattern_path).map_err(|why| Problem::Route(why).at(at))?;
    let integration = integration::integration(openapi, op, &pattern, at)?;
    let guard = match security::requirement(op.get("security"), guards, at)? {
        Some(named) => named,
        None if method == "OPTIONS" && !guard_preflight => Default::default(),
        None => guards.guard(&Value::Null, at, openapi.http)?,
    };
    Ok(ApiRoute {
        event: format!("{} {method} {path}", openapi.inputs.api.logical_id),
        pattern,
        catch_all,
        integration,
        authorizer: guard.authorizer,
        scopes: guard.scopes,
    })
}
