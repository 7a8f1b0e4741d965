//! The API the offline gateway serves, whichever SAM resource defines it: a REST API
//! (`AWS::Serverless::Api`, read by `rest_api`) or an HTTP API (`AWS::Serverless::HttpApi`, read
//! by `http_api`). Only the model: its stage, Lambda authorizers (`authorizer`), API Gateway's
//! own authorizers (`builtin_authorizer`), routes (`route`), CORS (`cors`), gateway responses
//! (`gateway_response`) and stage settings (`stage`).

pub(crate) mod authorizer;
pub(crate) mod builtin_authorizer;
pub(crate) mod cors;
pub(crate) mod gateway_response;
pub(crate) mod route;
pub(crate) mod stage;

use std::collections::BTreeMap;

pub(crate) use self::authorizer::{
    AuthorizerKind, ContextVariable, IdentitySource, LambdaAuthorizer,
};
pub(crate) use self::builtin_authorizer::{
    BuiltinAuthorizer, CognitoAuthorizer, JwtAuthorizer, TokenSource,
};
pub(crate) use self::cors::{Cors, HttpCors};
pub(crate) use self::gateway_response::GatewayResponse;
pub(crate) use self::route::{ApiRoute, Integration, MockResponse};
pub(crate) use self::stage::{AccessLog, MethodSetting, StageSettings};

/// HTTP APIs' default stage, served at the root of the API (`/echo`, not `/$default/echo`).
pub(crate) const DEFAULT_STAGE: &str = "$default";

/// Which kind of API Gateway API it is; they answer differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ApiKind {
    /// REST API: paths read canonically, `methodArn` policies, gateway responses, SAM's `Cors`.
    Rest,
    /// HTTP API: paths matched as sent, `$default` route, payload 2.0, its CORS configuration.
    Http {
        /// `CorsConfiguration`, when set.
        cors: Option<HttpCors>,
    },
}

/// The API of the template.
#[derive(Debug, Clone)]
pub struct Api {
    pub(crate) logical_id: String,
    pub(crate) id: String,
    pub(crate) kind: ApiKind,
    /// `StageName`; an HTTP API without one has [`DEFAULT_STAGE`].
    pub(crate) stage: String,
    /// The stage's variables (REST `Variables`, HTTP `StageVariables`), in events and identity
    /// sources.
    pub(crate) stage_variables: BTreeMap<String, String>,
    pub authorizers: BTreeMap<String, LambdaAuthorizer>,
    /// API Gateway's own authorizers (REST `COGNITO_USER_POOLS`, HTTP API JWT), by name; a
    /// route's `authorizer` names one of these or one of `authorizers`.
    pub(crate) builtin_authorizers: BTreeMap<String, BuiltinAuthorizer>,
    /// The functions' routes, then (REST) the CORS preflight routes.
    pub(crate) routes: Vec<ApiRoute>,
    /// REST only: by type (`UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ...).
    pub(crate) gateway_responses: BTreeMap<String, GatewayResponse>,
    /// REST only: SAM's `Cors`, when set.
    pub(crate) cors: Option<Cors>,
    pub(crate) stage_settings: StageSettings,
}

impl Api {
    pub(crate) fn is_http(&self) -> bool {
        matches!(self.kind, ApiKind::Http { .. })
    }

    /// The path prefix requests carry: `/{stage}`, or nothing for HTTP APIs' `$default` stage.
    pub(crate) fn stage_prefix(&self) -> String {
        if self.stage == DEFAULT_STAGE {
            String::new()
        } else {
            format!("/{}", self.stage)
        }
    }
}
