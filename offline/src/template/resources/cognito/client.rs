//! `AWS::Cognito::UserPoolClient`: an app client's whole sign-in configuration, read with
//! Cognito's defaults and the rules Cognito enforces when it creates one.

use serde_json::Value;

use super::pool::LocalPool;
use super::validity::TokenValidity;
use crate::state::ClientCredentials;
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, bounded, only_known, optional_str, strings};

/// An OAuth 2.0 grant an app client may use (`AllowedOAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OAuthFlow {
    /// Machines: the token endpoint with the client's id and secret.
    ClientCredentials,
    /// People: the hosted UI's authorization code, redeemed at the token endpoint.
    Code,
    /// People: tokens straight from the authorization endpoint.
    Implicit,
}

impl OAuthFlow {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ClientCredentials => "client_credentials",
            Self::Code => "code",
            Self::Implicit => "implicit",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::ClientCredentials, Self::Code, Self::Implicit]
            .into_iter()
            .find(|f| f.as_str() == name)
    }
}

/// A sign-in flow of Cognito's API an app client allows (`ExplicitAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFlow {
    /// `ALLOW_USER_SRP_AUTH`: Secure Remote Password.
    UserSrp,
    /// `ALLOW_USER_PASSWORD_AUTH`: the password sent to Cognito.
    UserPassword,
    /// `ALLOW_ADMIN_USER_PASSWORD_AUTH`: the password sent by a server with IAM credentials.
    AdminUserPassword,
    /// `ALLOW_REFRESH_TOKEN_AUTH`: new tokens from a refresh token.
    RefreshToken,
    /// `ALLOW_CUSTOM_AUTH`: Lambda-defined challenges.
    Custom,
    /// `ALLOW_USER_AUTH`: choice-based sign-in.
    UserAuth,
}

impl AuthFlow {
    const ALL: [Self; 6] = [
        Self::UserSrp,
        Self::UserPassword,
        Self::AdminUserPassword,
        Self::RefreshToken,
        Self::Custom,
        Self::UserAuth,
    ];

    /// Cognito's default when `ExplicitAuthFlows` is absent.
    pub(crate) const DEFAULT: [Self; 3] = [Self::RefreshToken, Self::UserSrp, Self::Custom];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::UserSrp => "ALLOW_USER_SRP_AUTH",
            Self::UserPassword => "ALLOW_USER_PASSWORD_AUTH",
            Self::AdminUserPassword => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            Self::RefreshToken => "ALLOW_REFRESH_TOKEN_AUTH",
            Self::Custom => "ALLOW_CUSTOM_AUTH",
            Self::UserAuth => "ALLOW_USER_AUTH",
        }
    }
}

/// `PreventUserExistenceErrors` (default `LEGACY`, Cognito's when it is not given).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum UserExistenceErrors {
    /// Sign-in and recovery answer alike whether or not the user exists.
    Enabled,
    /// `UserNotFoundException` tells callers which users exist.
    #[default]
    Legacy,
}

/// An app client of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppClient {
    pub logical_id: String,
    /// `ClientName` (default: the logical id).
    pub(crate) name: String,
    pub credentials: ClientCredentials,
    /// Whether the client has a secret (`GenerateSecret`, default false).
    pub has_secret: bool,
    /// `AllowedOAuthFlowsUserPoolClient` (default false): without it no OAuth flow works.
    pub(crate) oauth_enabled: bool,
    /// `AllowedOAuthFlows`; `client_credentials` excludes the other two.
    pub(crate) flows: Vec<OAuthFlow>,
    /// `AllowedOAuthScopes`: resource-server scopes and Cognito's own.
    pub scopes: Vec<String>,
    /// `CallbackURLs`: where the hosted UI may send a code or tokens (`redirect_uri` must be one).
    pub(crate) callback_urls: Vec<String>,
    /// `LogoutURLs`: where `/logout` may send the browser.
    pub(crate) logout_urls: Vec<String>,
    /// `DefaultRedirectURI`, one of the callback URLs.
    pub(crate) default_redirect_uri: Option<String>,
    /// `ExplicitAuthFlows` (default [`AuthFlow::DEFAULT`]).
    pub(crate) auth_flows: Vec<AuthFlow>,
    /// `SupportedIdentityProviders`: `COGNITO` only (federation is not emulated).
    pub(crate) identity_providers: Vec<String>,
    pub(crate) validity: TokenValidity,
    pub(crate) user_existence_errors: UserExistenceErrors,
    /// `EnableTokenRevocation` (default true).
    pub(crate) token_revocation: bool,
    /// `AuthSessionValidity`: minutes a sign-in session lasts between challenges, 3 to 15
    /// (default 3).
    pub auth_session_minutes: u64,
}

impl AppClient {
    /// Whether the client may use `flow` (it must be allowed, and OAuth enabled).
    pub(crate) fn allows(&self, flow: OAuthFlow) -> bool {
        self.oauth_enabled && self.flows.contains(&flow)
    }

    /// Whether people can sign in through it (it is not a client-credentials client).
    pub(crate) fn is_for_people(&self) -> bool {
        !self.flows.contains(&OAuthFlow::ClientCredentials)
    }
}

/// Properties read, or known to change nothing offline (analytics, attribute permissions,
/// context data).
const KNOWN: &[&str] = &[
    "UserPoolId",
    "ClientName",
    "GenerateSecret",
    "AllowedOAuthFlows",
    "AllowedOAuthFlowsUserPoolClient",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "AuthSessionValidity",
    "ReadAttributes",
    "WriteAttributes",
    "AnalyticsConfiguration",
    "EnablePropagateAdditionalUserContextData",
];

/// An `AWS::Cognito::UserPoolClient` from its resolved properties.
pub(crate) fn app_client(
    id: &str,
    props: &Value,
    credentials: Option<ClientCredentials>,
    pool: &LocalPool,
    at: &str,
) -> Result<AppClient, Located> {
    pool.check(props, at)?;
    only_known(props, KNOWN, at)?;
    let credentials = credentials.ok_or_else(|| Problem::NoCredentials.at(at))?;
    let has_secret = boolean(props, "GenerateSecret", false, at)?;
    let flows = oauth_flows(props, has_secret, at)?;
    let (callback_urls, logout_urls, default_redirect_uri) = redirects(props, at)?;
    Ok(AppClient {
        logical_id: id.to_owned(),
        name: optional_str(props, "ClientName", at)?.unwrap_or_else(|| id.to_owned()),
        credentials,
        has_secret,
        oauth_enabled: boolean(props, "AllowedOAuthFlowsUserPoolClient", false, at)?,
        flows,
        scopes: strings(props, "AllowedOAuthScopes", at)?,
        callback_urls,
        logout_urls,
        default_redirect_uri,
        auth_flows: auth_flows(props, at)?,
        identity_providers: identity_providers(props, at)?,
        validity: TokenValidity::read(props, at)?,
        user_existence_errors: user_existence_errors(props, at)?,
        token_revocation: boolean(props, "EnableTokenRevocation", true, at)?,
        auth_session_minutes: bounded(props, "AuthSessionValidity", 3..=15, at)?.unwrap_or(3),
    })
}

/// `AllowedOAuthFlows`, checked as Cognito does: `client_credentials` alone, and with a secret.
fn oauth_flows(props: &Value, has_secret: bool, at: &str) -> Result<Vec<OAuthFlow>, Located> {
    let names = strings(props, "AllowedOAuthFlows", at)?;
    let at = format!("{at}.AllowedOAuthFlows");
    let flows = names
        .iter()
        .map(|name| {
            OAuthFlow::parse(name).ok_or_else(|| Problem::UnknownFlow(name.clone()).at(&at))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if flows.contains(&OAuthFlow::ClientCredentials) {
        if flows.iter().any(|f| *f != OAuthFlow::ClientCredentials) {
            return Err(Problem::MixedOAuthFlows.at(at));
        }
        if !has_secret {
            return Err(Problem::ClientCredentialsWithoutSecret.at(at));
        }
    }
    Ok(flows)
}

/// `ExplicitAuthFlows`, Cognito's default when absent.
fn auth_flows(props: &Value, at: &str) -> Result<Vec<AuthFlow>, Located> {
    if props.get("ExplicitAuthFlows").is_none() {
        return Ok(AuthFlow::DEFAULT.to_vec());
    }
    let names = strings(props, "ExplicitAuthFlows", at)?;
    let at = format!("{at}.ExplicitAuthFlows");
    names
        .iter()
        .map(|name| {
            if let Some(flow) = AuthFlow::ALL.into_iter().find(|f| f.as_str() == name) {
                Ok(flow)
            } else if !name.starts_with("ALLOW_") && name.ends_with("_AUTH")
                || name == "CUSTOM_AUTH_FLOW_ONLY"
            {
                Err(Problem::LegacyAuthFlow(name.clone()).at(&at))
            } else {
                Err(Problem::UnknownAuthFlow(name.clone()).at(&at))
            }
        })
        .collect()
}

fn identity_providers(props: &Value, at: &str) -> Result<Vec<String>, Located> {
    let providers = strings(props, "SupportedIdentityProviders", at)?;
    match providers.iter().find(|p| p.as_str() != "COGNITO") {
        Some(other) => Err(Problem::FederatedIdentityProvider(other.clone())
            .at(format!("{at}.SupportedIdentityProviders"))),
        None => Ok(providers),
    }
}

fn user_existence_errors(props: &Value, at: &str) -> Result<UserExistenceErrors, Located> {
    match optional_str(props, "PreventUserExistenceErrors", at)?.as_deref() {
        None | Some("LEGACY") => Ok(UserExistenceErrors::Legacy),
        Some("ENABLED") => Ok(UserExistenceErrors::Enabled),
        Some(other) => Err(Problem::UserExistenceErrors(other.to_owned())
            .at(format!("{at}.PreventUserExistenceErrors"))),
    }
}

type Redirects = (Vec<String>, Vec<String>, Option<String>);

/// `CallbackURLs`, `LogoutURLs` and `DefaultRedirectURI`, each checked as Cognito does.
fn redirects(props: &Value, at: &str) -> Result<Redirects, Located> {
    let mut lists = Vec::with_capacity(2);
    for key in ["CallbackURLs", "LogoutURLs"] {
        let urls = strings(props, key, at)?;
        for url in &urls {
            check_redirect(url).map_err(|why| {
                Problem::BadRedirectUrl(url.clone(), why).at(format!("{at}.{key}"))
            })?;
        }
        lists.push(urls);
    }
    let logout = lists.pop().unwrap_or_default();
    let callbacks = lists.pop().unwrap_or_default();
    let default = optional_str(props, "DefaultRedirectURI", at)?;
    if let Some(default) = default.as_ref().filter(|d| !callbacks.contains(d)) {
        return Err(Problem::DefaultRedirectNotCallback(default.clone())
            .at(format!("{at}.DefaultRedirectURI")));
    }
    Ok((callbacks, logout, default))
}

/// Longest redirect URL Cognito accepts.
const MAX_URL: usize = 1024;

/// An absolute URL without a fragment; `http` only for `localhost` (app schemes such as
/// `myapp://` are accepted).
fn check_redirect(url: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("not an absolute URL");
    };
    if url.len() > MAX_URL {
        return Err("longer than 1024 characters");
    }
    if url.contains('#') {
        return Err("a redirect URL has no fragment");
    }
    if scheme.eq_ignore_ascii_case("http") {
        let host = rest.split(['/', ':', '?']).next().unwrap_or_default();
        if !host.eq_ignore_ascii_case("localhost") {
            return Err("Cognito accepts http:// only for localhost");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pool() -> LocalPool {
        LocalPool::new("us-east-1_Abc".to_owned(), "us-east-1")
    }

    fn read(props: Value) -> Result<AppClient, Located> {
        let mut props = props;
        props["UserPoolId"] = json!("us-east-1_Abc");
        let credentials = ClientCredentials {
            client_id: "id".into(),
            client_secret: "secret".into(),
        };
        app_client("C", &props, Some(credentials), &pool(), "C")
    }

    #[test]
    fn cognitos_defaults() {
        let client = read(json!({})).unwrap();
        assert_eq!(client.name, "C");
        assert!(!client.has_secret && !client.oauth_enabled && client.token_revocation);
        assert_eq!(client.auth_flows, AuthFlow::DEFAULT);
        assert_eq!(client.validity, TokenValidity::default());
        assert_eq!(client.user_existence_errors, UserExistenceErrors::Legacy);
        assert_eq!(client.auth_session_minutes, 3);
        assert!(client.is_for_people() && !client.allows(OAuthFlow::Code));
    }

    #[test]
    fn a_people_client_is_read_whole() {
        let client = read(json!({
            "ClientName": "people", "GenerateSecret": "false", "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthScopes": ["openid"],
            "CallbackURLs": ["http://localhost:3000/callback", "https://app.example.com/cb", "myapp://cb"],
            "LogoutURLs": ["http://localhost:3000/"], "DefaultRedirectURI": "myapp://cb",
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "SupportedIdentityProviders": ["COGNITO"], "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": true, "AuthSessionValidity": 5,
        }))
        .unwrap();
        assert!(client.allows(OAuthFlow::Code) && !client.allows(OAuthFlow::Implicit));
        assert_eq!(
            client.auth_flows,
            [AuthFlow::UserSrp, AuthFlow::RefreshToken]
        );
        assert_eq!(client.callback_urls.len(), 3);
        assert_eq!(client.logout_urls, ["http://localhost:3000/"]);
        assert_eq!(client.default_redirect_uri.as_deref(), Some("myapp://cb"));
        assert_eq!(client.user_existence_errors, UserExistenceErrors::Enabled);
        assert_eq!(client.auth_session_minutes, 5);
    }

    #[test]
    fn what_cognito_refuses_is_refused() {
        for (props, path, needle) in [
            (
                json!({"AllowedOAuthFlows": ["client_credentials", "code"], "GenerateSecret": true}),
                "C.AllowedOAuthFlows",
                "cannot be allowed with",
            ),
            (
                json!({"AllowedOAuthFlows": ["client_credentials"]}),
                "C.AllowedOAuthFlows",
                "secret",
            ),
            (
                json!({"AllowedOAuthFlows": ["password"]}),
                "C.AllowedOAuthFlows",
                "password",
            ),
            (
                json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH"]}),
                "C.ExplicitAuthFlows",
                "legacy",
            ),
            (
                json!({"ExplicitAuthFlows": ["ALLOW_MAGIC"]}),
                "C.ExplicitAuthFlows",
                "ALLOW_MAGIC",
            ),
            (
                json!({"SupportedIdentityProviders": ["COGNITO", "Google"]}),
                "C.SupportedIdentityProviders",
                "Google",
            ),
            (
                json!({"CallbackURLs": ["http://app.example.com/cb"]}),
                "C.CallbackURLs",
                "localhost",
            ),
            (
                json!({"CallbackURLs": ["https://a/cb#x"]}),
                "C.CallbackURLs",
                "fragment",
            ),
            (
                json!({"LogoutURLs": ["/relative"]}),
                "C.LogoutURLs",
                "absolute",
            ),
            (
                json!({"CallbackURLs": ["https://a/cb"], "DefaultRedirectURI": "https://b/cb"}),
                "C.DefaultRedirectURI",
                "CallbackURLs",
            ),
            (
                json!({"PreventUserExistenceErrors": "ON"}),
                "C.PreventUserExistenceErrors",
                "ENABLED",
            ),
            (
                json!({"AuthSessionValidity": 20}),
                "C.AuthSessionValidity",
                "3 to 15",
            ),
            (
                json!({"RefreshTokenRotation": {}}),
                "C.RefreshTokenRotation",
                "not read",
            ),
        ] {
            let err = read(props.clone()).unwrap_err();
            let text = err.problem.to_string();
            assert_eq!(err.path, path, "{props}: {text}");
            assert!(text.contains(needle), "{props}: {text}");
        }
    }
}
