//! The template's REST API: stage, `TOKEN` authorizers, gateway responses, and the routes that
//! functions' `Api` events define.

use std::collections::BTreeMap;

use authorizer::routes::RoutePattern;
use regex::Regex;
use serde_json::Value;

use crate::resolve::{Problem, Resolver};
use crate::stack::{API_ID, AUTHORIZER_BINARY, ECHO_BINARY, Function, str_field};

/// A REST API `TOKEN` Lambda authorizer.
#[derive(Debug, Clone)]
pub struct TokenAuthorizer {
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

pub(crate) fn api(
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
            authorizers.insert(name.clone(), token_authorizer(spec, functions, &at)?);
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
            let pattern =
                RoutePattern::parse(method, path).map_err(|why| (at.clone(), why.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
