//! Reading `template.yaml` as CloudFormation and SAM read it: the YAML tags (`yaml`), intrinsic
//! functions and conditions (`intrinsics`), parameters with samconfig and command-line overrides
//! (`parameters`, `overrides`, `samconfig`), the auth stack's SSM parameters (`auth_stack`), the
//! resources (`resources`), the REST API (`rest_api`), and the whole resolved system (`stack`).
//! Nothing here serves requests; every error names the file and the path in the template.

pub mod auth_stack;
pub mod env_vars;
pub mod error;
pub mod fields;
pub mod ids;
pub mod intrinsics;
pub mod outputs;
pub mod overrides;
pub mod parameters;
pub mod resources;
pub mod rest_api;
pub mod samconfig;
pub mod stack;
pub mod yaml;

pub use self::error::{LoadError, Located, Problem, TemplateError};
pub use self::ids::{ACCOUNT_ID, API_ID};
pub use self::resources::cognito::{
    AppClient, AuthFlow, OAuthFlow, TokenValidity, UserPoolGroup, UserPoolSettings,
};
pub use self::resources::function::Function;
pub use self::resources::kinds::NotEmulated;
pub use self::rest_api::{Api, ApiRoute, Cors, GatewayResponse, Integration, TokenAuthorizer};
pub use self::stack::{Inputs, Stack};
