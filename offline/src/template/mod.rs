//! Reading `template.yaml` as CloudFormation and SAM read it: the YAML tags (`yaml`), intrinsic
//! functions and conditions (`intrinsics`), parameters with samconfig and command-line overrides
//! (`parameters`, `overrides`, `samconfig`), the auth stack's SSM parameters (`auth_stack`), the
//! resources (`resources`), the API (`api`, the model; `rest_api` and `http_api` read each kind,
//! `single_api` picks one; `lambda_authorizer`, `api_events` and `api_fields` hold what both
//! read), and the whole resolved system (`stack`), which `reader` reads.
//! Nothing here serves requests or writes the state; every error names the file and the path in the template.

pub mod api;
pub mod api_events;
pub mod api_fields;
pub mod auth_stack;
pub mod env_vars;
pub mod error;
pub mod fields;
pub mod http_api;
pub mod ids;
pub mod intrinsics;
pub mod lambda_authorizer;
pub mod outputs;
pub mod overrides;
pub mod parameters;
pub mod reader;
pub mod resources;
pub mod rest_api;
pub mod samconfig;
pub mod single_api;
pub mod stack;
pub mod yaml;

pub use self::api::{
    Api, ApiKind, ApiRoute, AuthorizerKind, Cors, GatewayResponse, HttpCors, IdentitySource,
    Integration, LambdaAuthorizer,
};
pub use self::error::{LoadError, Located, Problem, TemplateError};
pub use self::ids::{ACCOUNT_ID, API_ID};
pub use self::reader::Template;
pub use self::resources::cognito::{
    AppClient, AuthFlow, OAuthFlow, TokenValidity, UserPoolGroup, UserPoolSettings,
};
pub use self::resources::function::Function;
pub use self::resources::kinds::NotEmulated;
pub use self::stack::{Inputs, Stack};
