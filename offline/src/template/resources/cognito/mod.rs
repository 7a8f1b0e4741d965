//! The Cognito side of the template: the local user pool and its settings (`pool`), the resource
//! servers' scopes and Cognito's own OpenID Connect scopes (`scopes`), the app clients with their
//! whole sign-in configuration (`client`, token lifetimes in `validity`), and the groups
//! (`groups`).

pub mod client;
pub mod groups;
pub mod pool;
pub mod scopes;
pub mod validity;

pub use self::client::{AppClient, AuthFlow, OAuthFlow, UserExistenceErrors, app_client};
pub use self::groups::{UserPoolGroup, check_group_names, group};
pub use self::pool::{LocalPool, Mfa, PasswordPolicy, UserPoolSettings};
pub use self::scopes::{OIDC_SCOPES, check_client_scopes, resource_server_scopes};
pub use self::validity::TokenValidity;
