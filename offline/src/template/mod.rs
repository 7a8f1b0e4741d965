//! Reading `template.yaml` as CloudFormation and SAM read it: the YAML tags (`yaml`), intrinsic
//! functions and conditions (`intrinsics`), parameters with samconfig and command-line overrides
//! (`parameters`, `overrides`, `samconfig`), the auth stack's SSM parameters (`auth_stack`), the
//! resources (`resources`), the API (`api`, the model; `rest_api` and `http_api` read each kind,
//! `single_api` picks one; `api_auth`, `lambda_authorizer`, `api_events` and `api_fields` hold
//! what both read; `builtin_pool` checks API Gateway's own authorizers trust the local pool),
//! and the whole resolved system (`stack`), which `reader` reads.
//! Nothing here serves requests or writes the state; every error names the file and the path in the template.

pub(crate) mod api;
pub(crate) mod api_auth;
pub(crate) mod api_definition;
pub(crate) mod api_events;
pub(crate) mod api_fields;
pub(crate) mod apis;
pub(crate) mod auth_stack;
pub(crate) mod builtin_pool;
pub(crate) mod env_vars;
pub(crate) mod error;
pub(crate) mod fields;
pub(crate) mod http_api;
pub(crate) mod ids;
pub(crate) mod intrinsics;
pub(crate) mod lambda_authorizer;
pub(crate) mod openapi;
pub(crate) mod outputs;
pub(crate) mod overrides;
pub(crate) mod parameters;
pub(crate) mod reader;
pub(crate) mod resources;
pub(crate) mod rest_api;
pub(crate) mod samconfig;
pub(crate) mod stack;
pub(crate) mod yaml;

pub(crate) use self::api::{
    Api, ApiKind, ApiRoute, AuthorizerKind, BuiltinAuthorizer, CognitoAuthorizer, Cors,
    GatewayResponse, HttpCors, IdentitySource, Integration, JwtAuthorizer, LambdaAuthorizer,
    MockResponse, TokenSource,
};
pub(crate) use self::error::{LoadError, Problem, TemplateError};
pub(crate) use self::ids::ACCOUNT_ID;
pub(crate) use self::reader::Template;
pub use self::resources::cognito::AppClient;
pub(crate) use self::resources::cognito::{AuthFlow, OAuthFlow, UserPoolGroup, UserPoolSettings};
pub(crate) use self::resources::function::Function;
pub use self::stack::{Inputs, Stack};
