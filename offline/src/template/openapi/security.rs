//! An OpenAPI definition's authorizers: each security scheme (`components.securitySchemes`, or
//! Swagger 2's `securityDefinitions`) with an `x-amazon-apigateway-authorizer`
//! ("x-amazon-apigateway-authorizer object", API Gateway developer guide): of type `token` or
//! `request`, a Lambda authorizer of a function of the template, which API Gateway may invoke
//! (its `authorizerCredentials`, or an `AWS::Lambda::Permission`); of type `cognito_user_pools`
//! (REST) or `jwt` (HTTP APIs), one of API Gateway's own. Schemes without the extension (API
//! keys, IAM) are refused.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::{Map, Value};

use super::OpenApi;
use super::identity_source::identity_sources;
use crate::template::api::{
    AuthorizerKind, BuiltinAuthorizer, CognitoAuthorizer, JwtAuthorizer, LambdaAuthorizer,
};
use crate::template::api_auth::{Guard, Guards};
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, optional_str, str_field, string_list, whole_number};
use crate::template::http_api::jwt;
use crate::template::lambda_authorizer::{MAX_TTL_SECONDS, check_cache_key};
use crate::template::rest_api::authorizers::DEFAULT_TTL_SECONDS;

/// Keys of `x-amazon-apigateway-authorizer` the offline stack reads.
const KEYS: &[&str] = &[
    "type",
    "authorizerUri",
    "authorizerCredentials",
    "identitySource",
    "identityValidationExpression",
    "authorizerResultTtlInSeconds",
    "authorizerPayloadFormatVersion",
    "enableSimpleResponses",
];

/// Keys of a `cognito_user_pools` authorizer.
const COGNITO_KEYS: &[&str] = &[
    "type",
    "providerARNs",
    "identitySource",
    "identityValidationExpression",
    "authorizerResultTtlInSeconds",
];

/// Keys of a `jwt` authorizer.
const JWT_KEYS: &[&str] = &["type", "jwtConfiguration", "identitySource"];

/// Keys of a security scheme besides the extension.
const SCHEME_KEYS: &[&str] = &[
    "type",
    "name",
    "in",
    "description",
    "x-amazon-apigateway-authtype",
    "x-amazon-apigateway-authorizer",
    "flows",
];

/// A definition's authorizers, by name.
#[derive(Debug, Default)]
pub(crate) struct Schemes {
    pub(crate) lambda: BTreeMap<String, LambdaAuthorizer>,
    pub(crate) builtin: BTreeMap<String, BuiltinAuthorizer>,
}

/// One scheme's authorizer.
enum Scheme {
    Lambda(LambdaAuthorizer),
    Builtin(BuiltinAuthorizer),
}

/// The definition's security schemes, each an authorizer, by name.
pub(crate) fn authorizers(openapi: &OpenApi<'_>) -> Result<Schemes, Located> {
    let (schemes, at) = match (
        openapi.body.pointer("/components/securitySchemes"),
        openapi.body.get("securityDefinitions"),
    ) {
        (Some(schemes), _) => (
            schemes,
            format!("{}.components.securitySchemes", openapi.at),
        ),
        (None, Some(schemes)) => (schemes, format!("{}.securityDefinitions", openapi.at)),
        (None, None) => return Ok(Schemes::default()),
    };
    let schemes = schemes
        .as_object()
        .ok_or_else(|| Problem::NotAMapping.at(&at))?;
    let mut read = Schemes::default();
    for (name, scheme) in schemes {
        match scheme_authorizer(openapi, scheme, &format!("{at}.{name}"))? {
            Scheme::Lambda(lambda) => read.lambda.insert(name.clone(), lambda).is_none(),
            Scheme::Builtin(builtin) => read.builtin.insert(name.clone(), builtin).is_none(),
        };
    }
    Ok(read)
}

/// The authorizer of one security scheme (at `at`).
fn scheme_authorizer(openapi: &OpenApi<'_>, scheme: &Value, at: &str) -> Result<Scheme, Located> {
    only_known(scheme, SCHEME_KEYS, at)?;
    let Some(spec) = scheme.get("x-amazon-apigateway-authorizer") else {
        return Err(Problem::NotALambdaAuthorizer.at(at));
    };
    let at = format!("{at}.x-amazon-apigateway-authorizer");
    let kind = super::kind(spec);
    match (kind.as_str(), openapi.http) {
        ("token" | "request", _) => lambda(openapi, scheme, spec, &at).map(Scheme::Lambda),
        ("cognito_user_pools", false) => cognito(scheme, spec, &at).map(Scheme::Builtin),
        ("jwt", true) => jwt(spec, &at).map(Scheme::Builtin),
        ("cognito_user_pools" | "jwt", _) => {
            Err(Problem::OtherKindsAuthorizer(kind).at(format!("{at}.type")))
        }
        _ => Err(Problem::UnsupportedPayload(kind).at(format!("{at}.type"))),
    }
}

/// A `cognito_user_pools` authorizer (REST, at `at`): `providerARNs`, its header
/// (`identitySource`, else the scheme's `name` with `in: header`, else `Authorization`),
/// `identityValidationExpression`, a TTL of 0 to 3600.
fn cognito(scheme: &Value, spec: &Value, at: &str) -> Result<BuiltinAuthorizer, Located> {
    only_known(spec, COGNITO_KEYS, at)?;
    ttl(spec, false, at)?;
    let identity = match optional_str(spec, "identitySource", at)? {
        Some(text) => identity_sources(&text, false, &format!("{at}.identitySource"))?,
        None => Vec::new(),
    };
    let AuthorizerKind::Token { header, validation } = token(scheme, spec, &identity, at)? else {
        return Err(Problem::TokenIdentity.at(format!("{at}.identitySource")));
    };
    let trust_at = format!("{at}.providerARNs");
    let user_pool_arns = string_list(spec, "providerARNs", at)?;
    if user_pool_arns.is_empty() {
        return Err(Problem::Missing.at(trust_at));
    }
    Ok(BuiltinAuthorizer::Cognito(CognitoAuthorizer {
        trust_at,
        user_pool_arns,
        header,
        validation,
        scopes: Vec::new(),
    }))
}

/// A `jwt` authorizer (HTTP API, at `at`): `jwtConfiguration` (`issuer`, `audience`) and one
/// `identitySource`, a header or query parameter.
fn jwt(spec: &Value, at: &str) -> Result<BuiltinAuthorizer, Located> {
    only_known(spec, JWT_KEYS, at)?;
    let config_at = format!("{at}.jwtConfiguration");
    let (issuer, audience) = jwt::configuration(spec.get("jwtConfiguration"), &config_at)?;
    let source_at = format!("{at}.identitySource");
    let source = match spec.get("identitySource") {
        Some(Value::Array(list)) => match list.as_slice() {
            [Value::String(one)] => one.clone(),
            _ => {
                return Err(
                    Problem::ExpectedList(Value::Array(list.clone()).to_string()).at(source_at),
                );
            }
        },
        _ => str_field(spec, "identitySource", at)?.to_owned(),
    };
    Ok(BuiltinAuthorizer::Jwt(JwtAuthorizer {
        trust_at: format!("{config_at}.issuer"),
        issuer,
        audience,
        source: jwt::token_source(&source, &source_at)?,
        scopes: Vec::new(),
    }))
}

/// A `token` or `request` authorizer (at `at`): a Lambda authorizer.
fn lambda(
    openapi: &OpenApi<'_>,
    scheme: &Value,
    spec: &Value,
    at: &str,
) -> Result<LambdaAuthorizer, Located> {
    let kind = super::kind(spec);
    let at = at.to_owned();
    only_known(spec, KEYS, &at)?;
    let function = openapi.lambda_function(spec, "authorizerUri", &at)?;
    if spec.get("authorizerCredentials").is_none() {
        openapi.check_permission(&function, &openapi.authorizer_arn(), &at)?;
    }
    let ttl_seconds = ttl(spec, openapi.http, &at)?;
    let identity = match optional_str(spec, "identitySource", &at)? {
        Some(text) => identity_sources(&text, openapi.http, &format!("{at}.identitySource"))?,
        None => Vec::new(),
    };
    let kind = if openapi.http {
        check_http(spec, &at)?;
        check_cache_key(&identity, ttl_seconds, &at)?;
        AuthorizerKind::HttpV2 { identity }
    } else if kind == "token" {
        token(scheme, spec, &identity, &at)?
    } else {
        check_cache_key(&identity, ttl_seconds, &at)?;
        AuthorizerKind::Request { identity }
    };
    Ok(LambdaAuthorizer {
        function,
        ttl_seconds,
        kind,
    })
}

/// `authorizerResultTtlInSeconds`: 0 to 3600; REST's default 300; an HTTP API's must be given.
fn ttl(spec: &Value, http: bool, at: &str) -> Result<u64, Located> {
    let at = format!("{at}.authorizerResultTtlInSeconds");
    match spec.get("authorizerResultTtlInSeconds") {
        None if http => Err(Problem::NoReauthorizeEvery.at(at)),
        None => Ok(DEFAULT_TTL_SECONDS),
        Some(v) => whole_number(v)
            .filter(|t| *t <= MAX_TTL_SECONDS)
            .ok_or_else(|| Problem::ReauthorizeEvery.at(at)),
    }
}

/// An HTTP API authorizer answers payload 2.0 with simple responses, as the project's does.
fn check_http(spec: &Value, at: &str) -> Result<(), Located> {
    let version = spec.get("authorizerPayloadFormatVersion").map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if !matches!(version.as_deref(), Some("2.0" | "2")) {
        let problem =
            Problem::AuthorizerPayloadVersion(version.unwrap_or_else(|| "missing".to_owned()));
        return Err(problem.at(format!("{at}.authorizerPayloadFormatVersion")));
    }
    if spec.get("enableSimpleResponses").and_then(Value::as_bool) != Some(true) {
        return Err(Problem::SimpleResponsesOnly.at(format!("{at}.enableSimpleResponses")));
    }
    Ok(())
}

/// A REST `token` authorizer: its header (`identitySource`, else the scheme's `name` when `in:
/// header`) and `identityValidationExpression`.
fn token(
    scheme: &Value,
    spec: &Value,
    identity: &[crate::template::api::IdentitySource],
    at: &str,
) -> Result<AuthorizerKind, Located> {
    use crate::template::api::IdentitySource;
    let header = match identity {
        [IdentitySource::Header(name)] => name.clone(),
        [] if scheme.get("in").and_then(Value::as_str) == Some("header") => scheme
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("Authorization")
            .to_owned(),
        [] => "Authorization".to_owned(),
        _ => return Err(Problem::TokenIdentity.at(format!("{at}.identitySource"))),
    };
    let validation = match optional_str(spec, "identityValidationExpression", at)? {
        Some(expr) => Some(Regex::new(&format!("^(?:{expr})$")).map_err(|e| {
            Problem::BadValidationExpression(e.to_string())
                .at(format!("{at}.identityValidationExpression"))
        })?),
        None => None,
    };
    Ok(AuthorizerKind::Token { header, validation })
}

/// What an operation's `security` (at `at`) says: `None` when it names no authorizer (absent,
/// `[]`, or requirements without one), `Some(Guard::default())` for SAM's `NONE`, else the guard
/// of the authorizer it names (one of `guards`', with its scopes). More than one requirement,
/// or scopes for a Lambda authorizer, are refused.
pub(crate) fn requirement(
    security: Option<&Value>,
    guards: &Guards<'_>,
    at: &str,
) -> Result<Option<Guard>, Located> {
    let Some(security) = security else {
        return Ok(None);
    };
    let at = format!("{at}.security");
    let list = security
        .as_array()
        .ok_or_else(|| Problem::ExpectedList(security.to_string()).at(&at))?;
    let names: Vec<(&String, &Value)> = list
        .iter()
        .filter_map(Value::as_object)
        .flat_map(Map::iter)
        .collect();
    match names.as_slice() {
        [] => Ok(None),
        [(name, _)] if name.as_str() == "NONE" => Ok(Some(Guard::default())),
        [(name, scopes)] => {
            let at = format!("{at}[0].{name}");
            let scopes = match scopes {
                Value::Null => Vec::new(),
                Value::Array(list) => list
                    .iter()
                    .map(|s| s.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Problem::ExpectedList(scopes.to_string()).at(&at))?,
                other => return Err(Problem::ExpectedList(other.to_string()).at(&at)),
            };
            guards.named(name, scopes, &at).map(Some)
        }
        _ => Err(Problem::ManySecurityRequirements.at(at)),
    }
}
