//! API Gateway's own authorizers, which run no function of the template: a REST API's
//! `COGNITO_USER_POOLS` authorizer (`UserPoolArn`) and an HTTP API's JWT authorizer
//! (`JwtConfiguration`). Both verify tokens of the local user pool; a route adds the scopes it
//! requires (`ApiRoute::scopes`).

use regex::Regex;

/// One of API Gateway's own authorizers.
#[derive(Debug, Clone)]
pub(crate) enum BuiltinAuthorizer {
    Cognito(CognitoAuthorizer),
    Jwt(JwtAuthorizer),
}

/// A REST API `COGNITO_USER_POOLS` authorizer.
#[derive(Debug, Clone)]
pub(crate) struct CognitoAuthorizer {
    /// Where the template names its pools (`UserPoolArn`, or a definition's `providerARNs`).
    pub(crate) trust_at: String,
    /// `UserPoolArn`: one ARN or several; each must be the local pool's.
    pub(crate) user_pool_arns: Vec<String>,
    /// `Identity.Header` (default `Authorization`): where the token is.
    pub(crate) header: String,
    /// `Identity.ValidationExpression`: matched against the token's `aud` before it is verified.
    pub(crate) validation: Option<Regex>,
    /// `AuthorizationScopes`: the scopes of the methods that name none of their own.
    pub(crate) scopes: Vec<String>,
}

/// An HTTP API JWT authorizer.
#[derive(Debug, Clone)]
pub(crate) struct JwtAuthorizer {
    /// Where the template names its issuer (`JwtConfiguration.issuer`, or a definition's
    /// `jwtConfiguration.issuer`).
    pub(crate) trust_at: String,
    /// `JwtConfiguration.issuer`: a token's `iss` must equal it.
    pub(crate) issuer: String,
    /// `JwtConfiguration.audience`: a token's `aud` (else its `client_id`) must be one of them.
    pub(crate) audience: Vec<String>,
    /// `IdentitySource`: where the token is.
    pub(crate) source: TokenSource,
    /// `AuthorizationScopes`: the scopes of the routes that name none of their own.
    pub(crate) scopes: Vec<String>,
}

/// Where a JWT authorizer finds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// `$request.header.NAME` (any case).
    Header(String),
    /// `$request.querystring.NAME`.
    QueryString(String),
}

impl BuiltinAuthorizer {
    /// `AuthorizationScopes` of the authorizer: what its routes require unless they say.
    pub(crate) fn default_scopes(&self) -> &[String] {
        match self {
            Self::Cognito(cognito) => &cognito.scopes,
            Self::Jwt(jwt) => &jwt.scopes,
        }
    }

    pub(crate) fn cognito(&self) -> Option<&CognitoAuthorizer> {
        match self {
            Self::Cognito(cognito) => Some(cognito),
            Self::Jwt(_) => None,
        }
    }

    pub(crate) fn jwt(&self) -> Option<&JwtAuthorizer> {
        match self {
            Self::Jwt(jwt) => Some(jwt),
            Self::Cognito(_) => None,
        }
    }

    /// Where the template names the pool or issuer it trusts.
    pub(crate) fn trust_at(&self) -> &str {
        match self {
            Self::Cognito(cognito) => &cognito.trust_at,
            Self::Jwt(jwt) => &jwt.trust_at,
        }
    }

    /// `COGNITO_USER_POOLS` or `JWT`, as API Gateway names the type.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Self::Cognito(_) => "COGNITO_USER_POOLS",
            Self::Jwt(_) => "JWT",
        }
    }
}
