//! Everything the offline stack runs, resolved from the template (`reader`), and where its
//! values come from besides the template (`Inputs`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::api::Api;
use super::env_vars::EnvVars;
use super::resources::cognito::{AppClient, UserPoolGroup, UserPoolSettings};
use super::resources::function::Function;
use super::resources::kinds::NotEmulated;
use super::resources::permission::Permission;

/// Where the values come from, besides the template.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub template: PathBuf,
    /// The shared auth stack's template, whose SSM parameters feed `AWS::SSM::Parameter::Value`
    /// parameters and whose user pool's settings the local pool takes. `None`: such parameters
    /// need an override, and the pool has Cognito's default settings.
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
    pub(crate) template: PathBuf,
    pub(crate) stack_name: String,
    pub region: String,
    pub pool_id: String,
    pub pool_arn: String,
    /// The pool's sign-in settings (the API template's pool, else the auth stack's, else
    /// Cognito's defaults).
    pub(crate) user_pool: UserPoolSettings,
    /// The template's conditions, evaluated.
    pub conditions: BTreeMap<String, bool>,
    /// Every `resourceServer/scope` the pool's resource servers define.
    pub scopes: Vec<String>,
    pub clients: Vec<AppClient>,
    pub groups: Vec<UserPoolGroup>,
    pub(crate) functions: BTreeMap<String, Function>,
    /// The permissions letting API Gateway invoke functions (`AWS::Lambda::Permission`).
    pub(crate) permissions: Vec<Permission>,
    /// The APIs, in the template's order (at least one).
    pub apis: Vec<Api>,
    /// Resources read but not played (log groups, topics, alarms), by logical id.
    pub(crate) not_emulated: Vec<NotEmulated>,
    /// `Outputs` whose condition holds, resolved with the local ids (the API's URL has the
    /// deployed form, `https://{api}.execute-api...`).
    pub outputs: BTreeMap<String, String>,
}

impl Stack {
    /// The template's first API (its only one, for most templates).
    pub fn api(&self) -> &Api {
        // A stack is resolved only with at least one API (`apis::apis`).
        &self.apis[0]
    }

    /// The function behind a route or authorizer.
    pub(crate) fn function(&self, logical_id: &str) -> Option<&Function> {
        self.functions.get(logical_id)
    }

    /// The pool's pre token generation trigger's function, if it has one.
    pub(crate) fn pre_token_function(&self) -> Option<&Function> {
        let arn = &self.user_pool.pre_token.as_ref()?.lambda_arn;
        self.functions.values().find(|f| &f.arn == arn)
    }

    /// The app client with `client_id`.
    pub(crate) fn client(&self, client_id: &str) -> Option<&AppClient> {
        self.clients
            .iter()
            .find(|c| c.credentials.client_id == client_id)
    }
}
