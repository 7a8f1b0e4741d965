//! The Cognito side of the template: the local user pool and its settings (`pool`), the resource
//! servers' scopes and Cognito's own OpenID Connect scopes (`scopes`), the app clients with their
//! whole sign-in configuration (`client`, token lifetimes in `validity`), the groups
//! (`groups`), custom attributes (`schema`) and the pre token generation trigger (`triggers`).

pub(crate) mod client;
pub(crate) mod groups;
pub(crate) mod pool;
pub(crate) mod schema;
pub(crate) mod scopes;
pub(crate) mod triggers;
pub(crate) mod validity;

pub use self::client::AppClient;
pub(crate) use self::client::{AuthFlow, OAuthFlow, UserExistenceErrors, app_client};
pub(crate) use self::groups::{UserPoolGroup, check_group_names, group};
pub(crate) use self::pool::{LocalPool, PasswordPolicy, UserPoolSettings};
pub(crate) use self::schema::{AttributeType, CustomAttribute, STANDARD_ATTRIBUTES};
pub(crate) use self::scopes::{check_client_scopes, resource_server_scopes};
