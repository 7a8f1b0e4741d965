//! `Auth.Authorizers` of the REST API: Lambda `TOKEN` authorizers running the authorizer binary,
//! and `Auth.DefaultAuthorizer`.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{entries, str_field, whole_number};
use crate::template::resources::function::{AUTHORIZER_BINARY, Function};

/// A REST API `TOKEN` Lambda authorizer.
#[derive(Debug, Clone)]
pub struct TokenAuthorizer {
    /// Logical id of the function.
    pub function: String,
    /// `Identity.Header` (default `Authorization`).
    pub header: String,
    /// `Identity.ValidationExpression`: a token that does not match gets 401 without a call.
    pub validation: Option<Regex>,
    /// `Identity.ReauthorizeEvery` (default 300 s, at most 3600): how long a result is cached
    /// per token.
    pub ttl_seconds: u64,
}

/// `Auth.Authorizers` by name; `at` is the API's properties path.
pub fn authorizers(
    auth: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
) -> Result<BTreeMap<String, TokenAuthorizer>, Located> {
    entries(auth, "Authorizers", &format!("{at}.Auth"), |_, spec, at| {
        token_authorizer(spec, functions, at)
    })
}

/// `Auth.DefaultAuthorizer`: one of `authorizers`, or none (absent or `NONE`).
pub fn default_authorizer(
    auth: &Value,
    authorizers: &BTreeMap<String, TokenAuthorizer>,
    at: &str,
) -> Result<Option<String>, Located> {
    match auth.get("DefaultAuthorizer").and_then(Value::as_str) {
        None | Some("NONE") => Ok(None),
        Some(name) if authorizers.contains_key(name) => Ok(Some(name.to_owned())),
        Some(name) => Err(Problem::UnknownDefaultAuthorizer(name.to_owned())
            .at(format!("{at}.Auth.DefaultAuthorizer"))),
    }
}

fn token_authorizer(
    spec: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
) -> Result<TokenAuthorizer, Located> {
    if spec.get("UserPoolArn").is_some() {
        return Err(Problem::CognitoAuthorizer.at(at));
    }
    let function = authorizer_function(spec, functions, at)?;
    let payload = spec
        .get("FunctionPayloadType")
        .and_then(Value::as_str)
        .unwrap_or("TOKEN");
    if payload != "TOKEN" {
        return Err(
            Problem::UnsupportedPayload(payload.to_owned()).at(format!("{at}.FunctionPayloadType"))
        );
    }
    let identity = spec.get("Identity").unwrap_or(&Value::Null);
    let header = identity
        .get("Header")
        .and_then(Value::as_str)
        .unwrap_or("Authorization")
        .to_owned();
    let validation = match identity.get("ValidationExpression").and_then(Value::as_str) {
        Some(expr) => Some(Regex::new(&format!("^(?:{expr})$")).map_err(|e| {
            Problem::BadValidationExpression(e.to_string())
                .at(format!("{at}.Identity.ValidationExpression"))
        })?),
        None => None,
    };
    let ttl_seconds = match identity.get("ReauthorizeEvery") {
        None => 300,
        Some(v) => whole_number(v).filter(|ttl| *ttl <= 3600).ok_or_else(|| {
            Problem::ReauthorizeEvery.at(format!("{at}.Identity.ReauthorizeEvery"))
        })?,
    };
    Ok(TokenAuthorizer {
        function: function.logical_id.clone(),
        header,
        validation,
        ttl_seconds,
    })
}

/// The function `FunctionArn` names, which must run the authorizer binary.
fn authorizer_function<'a>(
    spec: &Value,
    functions: &'a BTreeMap<String, Function>,
    at: &str,
) -> Result<&'a Function, Located> {
    let arn = str_field(spec, "FunctionArn", at)?;
    let function = functions
        .values()
        .find(|f| f.arn == arn)
        .ok_or_else(|| Problem::UnknownFunction(arn.to_owned()).at(format!("{at}.FunctionArn")))?;
    if function.binary == AUTHORIZER_BINARY {
        Ok(function)
    } else {
        Err(Problem::NotTheAuthorizer(function.logical_id.clone()).at(format!("{at}.FunctionArn")))
    }
}
