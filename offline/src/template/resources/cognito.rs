//! The Cognito side of the template: the local user pool, the resource servers' scopes and the
//! app clients (flows, scopes, access-token validity).

use serde_json::Value;

use crate::state::ClientCredentials;
use crate::template::error::{Located, Problem};
use crate::template::fields::{array_field, str_field, strings, whole_number};
use crate::template::ids::ACCOUNT_ID;

/// The user pool the offline stack plays: its id and ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPool {
    pub id: String,
    pub arn: String,
}

impl LocalPool {
    pub fn new(id: String, region: &str) -> Self {
        Self {
            arn: format!("arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{id}"),
            id,
        }
    }

    /// `UserPoolId` of a pool's resource must be this pool.
    fn check(&self, props: &Value, at: &str) -> Result<(), Located> {
        let given = str_field(props, "UserPoolId", at)?;
        if given == self.id {
            Ok(())
        } else {
            Err(Problem::OtherUserPool {
                given: given.to_owned(),
                pool: self.id.clone(),
            }
            .at(format!("{at}.UserPoolId")))
        }
    }
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

/// `resourceServer/scope` for every scope of an `AWS::Cognito::UserPoolResourceServer`'s
/// resolved properties `props` (at `at`).
pub fn resource_server_scopes(
    props: &Value,
    pool: &LocalPool,
    at: &str,
) -> Result<Vec<String>, Located> {
    pool.check(props, at)?;
    let identifier = str_field(props, "Identifier", at)?;
    array_field(props, "Scopes")
        .iter()
        .enumerate()
        .map(|(i, scope)| {
            let name = str_field(scope, "ScopeName", &format!("{at}.Scopes[{i}]"))?;
            Ok(format!("{identifier}/{name}"))
        })
        .collect()
}

/// An `AWS::Cognito::UserPoolClient` from its resolved properties.
pub fn app_client(
    id: &str,
    props: &Value,
    credentials: Option<ClientCredentials>,
    pool: &LocalPool,
    at: &str,
) -> Result<AppClient, Located> {
    pool.check(props, at)?;
    let credentials = credentials.ok_or_else(|| Problem::NoCredentials.at(at))?;
    let access_token_seconds = access_token_seconds(props, at)?;
    let flows = strings(props, "AllowedOAuthFlows", at)?;
    if let Some(flow) = flows
        .iter()
        .find(|f| !["client_credentials", "code", "implicit"].contains(&f.as_str()))
    {
        return Err(Problem::UnknownFlow(flow.clone()).at(format!("{at}.AllowedOAuthFlows")));
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

/// `AccessTokenValidity` in `TokenValidityUnits.AccessToken` (default 60 minutes), within
/// Cognito's 5 minutes to 1 day.
fn access_token_seconds(props: &Value, at: &str) -> Result<u64, Located> {
    let validity = match props.get("AccessTokenValidity") {
        None => None,
        Some(v) => Some(
            whole_number(v)
                .ok_or_else(|| Problem::NotWholeNumber.at(format!("{at}.AccessTokenValidity")))?,
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
            return Err(Problem::TimeUnit(other.to_owned())
                .at(format!("{at}.TokenValidityUnits.AccessToken")));
        }
    };
    let seconds = validity.map_or(3600, |v| v.saturating_mul(unit_seconds));
    if (300..=86_400).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Problem::TokenValidity(seconds).at(format!("{at}.AccessTokenValidity")))
    }
}

/// Every scope an app client allows must be one of the resource servers'.
pub fn check_client_scopes(clients: &[AppClient], scopes: &[String]) -> Result<(), Located> {
    for client in clients {
        if let Some(unknown) = client.scopes.iter().find(|s| !scopes.contains(s)) {
            return Err(Problem::UnknownScope(unknown.clone()).at(format!(
                "Resources.{}.Properties.AllowedOAuthScopes",
                client.logical_id
            )));
        }
    }
    Ok(())
}
