//! The authorization request (`/oauth2/authorize` and `/login` take the same parameters) checked
//! as Cognito checks it, plus PKCE, which the offline stack requires of public clients. The hosted
//! UI reads it; the code it issues keeps it for the token endpoint.

use super::error::OAuthError;
use super::params::repeats_a_name;
use super::pkce::is_challenge;
use crate::template::{AppClient, OAuthFlow};

/// A checked authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorizeRequest {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) state: Option<String>,
    /// Granted scopes (the client's, all of them when `scope` is absent).
    pub(crate) scopes: Vec<String>,
    /// `code_challenge` (S256).
    pub(crate) code_challenge: Option<String>,
    pub(crate) nonce: Option<String>,
}

/// Why an authorization request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthorizeRefusal {
    /// No trustworthy `redirect_uri`: the hosted UI shows its error page.
    Page(OAuthError, String),
    /// Sent back to the client's `redirect_uri` with `error`, `error_description` and `state`.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: OAuthError,
        description: String,
    },
}

/// A refusal sent back to the client's `redirect_uri`: the error and its description.
type Refusal = (OAuthError, &'static str);

impl AuthorizeRequest {
    /// The request `params` make for one of `clients`: with no trustworthy client and
    /// `redirect_uri` the hosted UI's error page, otherwise any refusal goes back to the client.
    pub(crate) fn read(
        params: &[(String, String)],
        clients: &[AppClient],
    ) -> Result<Self, AuthorizeRefusal> {
        let (client, redirect_uri) = trusted_redirect(params, clients)?;
        let state = param(params, "state").map(str::to_owned);
        let (scopes, code_challenge) =
            grant(params, client).map_err(|(error, description)| AuthorizeRefusal::Redirect {
                redirect_uri: redirect_uri.to_owned(),
                state: state.clone(),
                error,
                description: description.to_owned(),
            })?;
        Ok(Self {
            client_id: client.credentials.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            state,
            scopes,
            code_challenge,
            nonce: param(params, "nonce").map(str::to_owned),
        })
    }

    /// The request as a query string (for the login form's action, `/logout`'s redirect).
    pub(crate) fn query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("response_type", "code");
        query.append_pair("client_id", &self.client_id);
        query.append_pair("redirect_uri", &self.redirect_uri);
        query.append_pair("scope", &self.scopes.join(" "));
        if let Some(state) = &self.state {
            query.append_pair("state", state);
        }
        if let Some(challenge) = &self.code_challenge {
            query.append_pair("code_challenge_method", "S256");
            query.append_pair("code_challenge", challenge);
        }
        if let Some(nonce) = &self.nonce {
            query.append_pair("nonce", nonce);
        }
        query.finish()
    }
}

/// The first value of `name` in `params`.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The client the request names and its `redirect_uri`, which must be one of the client's
/// callback URLs: without both, nothing can be sent back, and the hosted UI shows its error page.
fn trusted_redirect<'a>(
    params: &'a [(String, String)],
    clients: &'a [AppClient],
) -> Result<(&'a AppClient, &'a str), AuthorizeRefusal> {
    let page = |e: OAuthError, why: &str| AuthorizeRefusal::Page(e, why.to_owned());
    let client_id = param(params, "client_id")
        .ok_or_else(|| page(OAuthError::InvalidRequest, "client_id is missing"))?;
    let client = clients
        .iter()
        .find(|c| c.credentials.client_id == client_id)
        .ok_or_else(|| page(OAuthError::InvalidRequest, "unknown client_id"))?;
    let redirect_uri = param(params, "redirect_uri")
        .filter(|uri| client.callback_urls.iter().any(|c| c == uri))
        .ok_or_else(|| {
            page(
                OAuthError::RedirectMismatch,
                "redirect_uri is not one of the client's callback URLs",
            )
        })?;
    Ok((client, redirect_uri))
}

/// What `client` is granted: the scopes and the PKCE challenge, once every parameter is once,
/// `response_type` is `code` (and the client has the flow), the identity provider is Cognito's,
/// each scope is the client's and PKCE is as required.
fn grant(
    params: &[(String, String)],
    client: &AppClient,
) -> Result<(Vec<String>, Option<String>), Refusal> {
    if repeats_a_name(params) {
        return Err((OAuthError::InvalidRequest, "a parameter is repeated"));
    }
    response_type(param(params, "response_type"), client)?;
    if param(params, "identity_provider").is_some_and(|p| p != "COGNITO") {
        return Err((
            OAuthError::InvalidRequest,
            "only the COGNITO identity provider is emulated",
        ));
    }
    let scopes = scopes(param(params, "scope"), client).ok_or((
        OAuthError::InvalidScope,
        "a scope is not allowed for this client",
    ))?;
    let method = param(params, "code_challenge_method");
    let code_challenge = pkce(method, param(params, "code_challenge"), client)
        .map_err(|why| (OAuthError::InvalidRequest, why))?;
    Ok((scopes, code_challenge))
}

/// `response_type` must be `code`, a flow the client has.
fn response_type(value: Option<&str>, client: &AppClient) -> Result<(), Refusal> {
    match value {
        Some("code") if client.allows(OAuthFlow::Code) => Ok(()),
        Some("code" | "token") => Err((
            OAuthError::UnauthorizedClient,
            "the client may not use this response type",
        )),
        _ => Err((
            OAuthError::UnsupportedResponseType,
            "response_type must be code",
        )),
    }
}

/// The requested scopes if the client has each (and at least one is left), else `None`.
fn scopes(requested: Option<&str>, client: &AppClient) -> Option<Vec<String>> {
    let scopes: Vec<String> = match requested {
        Some(text) => text
            .split([' ', '+'])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => client.scopes.clone(),
    };
    let allowed = |s: &String| client.scopes.contains(s);
    (!scopes.is_empty() && scopes.iter().all(allowed)).then_some(scopes)
}

/// The S256 `code_challenge`: required of public clients (Cognito accepts a code flow without
/// PKCE; the offline stack refuses it so that an app that forgot PKCE fails here first), optional
/// for clients with a secret; `plain` is refused, as Cognito refuses it.
fn pkce(
    method: Option<&str>,
    challenge: Option<&str>,
    client: &AppClient,
) -> Result<Option<String>, &'static str> {
    match (method, challenge) {
        (None, None) if client.has_secret => Ok(None),
        (None, None) => Err("code_challenge is required for public clients (PKCE with S256)"),
        (Some("S256"), Some(c)) if is_challenge(c) => Ok(Some(c.to_owned())),
        (Some("S256"), _) => Err("code_challenge must be 43 base64url characters (S256)"),
        (Some(_), _) => Err("code_challenge_method must be S256"),
        (None, Some(_)) => Err("code_challenge_method is required with code_challenge"),
    }
}
