//! The app's `config.json` for this stack, and why the page would fail on its origin.
//!
//! The page reads `{authorizeUrl, tokenUrl, logoutUrl, clientId, redirectUri, logoutUri, scopes,
//! apiUrl}`; deployed, the API stack's `AppConfig` output gives the same fields. Offline they
//! name `localhost`, never `127.0.0.1`: Cognito accepts `http://` callback URLs only for
//! `localhost`, and the page's origin must be the one the API's CORS names.

use serde::Serialize;

use crate::template::{ApiKind, AppClient, OAuthFlow, Stack};

/// What `config.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConfig {
    pub(crate) authorize_url: String,
    pub(crate) token_url: String,
    pub(crate) logout_url: String,
    /// The public app client people sign in through.
    pub(crate) client_id: String,
    /// The page's URL: the app's origin and `/`.
    pub(crate) redirect_uri: String,
    /// The same URL, where `/logout` sends the browser back.
    pub(crate) logout_uri: String,
    /// The client's scopes, space-separated.
    pub(crate) scopes: String,
    /// The API's stage URL (`http://localhost:3000/Prod`): the page calls `{apiUrl}/echo`.
    pub(crate) api_url: String,
}

impl AppConfig {
    /// The config of a page on `app_origin` (`http://localhost:3001`) for the stack whose issuer
    /// and API are at `stack_origin` (`http://localhost:3000`); `None` when no app client can
    /// sign people in from a page (see [`page_client`]).
    pub(crate) fn for_stack(stack: &Stack, stack_origin: &str, app_origin: &str) -> Option<Self> {
        let client = page_client(stack)?;
        let page = format!("{app_origin}/");
        Some(Self {
            authorize_url: format!("{stack_origin}/oauth2/authorize"),
            token_url: format!("{stack_origin}/oauth2/token"),
            logout_url: format!("{stack_origin}/logout"),
            client_id: client.credentials.client_id.clone(),
            redirect_uri: page.clone(),
            logout_uri: page,
            scopes: client.scopes.join(" "),
            api_url: format!("{stack_origin}{}", stack.api().stage_prefix()),
        })
    }

    /// `config.json`'s text.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The page's origin.
    pub fn app_origin(&self) -> String {
        origin_of(&self.redirect_uri).unwrap_or_default()
    }

    /// What in the stack would make the page fail on its origin: CORS that does not name it, a
    /// redirect or sign-out URL the client does not register.
    pub fn mismatches(&self, stack: &Stack) -> Vec<Mismatch> {
        let origin = self.app_origin();
        let mut found = Vec::new();
        let allowed = match &stack.api().kind {
            ApiKind::Rest => stack.api().cors.as_ref().map(|c| {
                if c.allow_origin == origin {
                    Ok(())
                } else {
                    Err(c.allow_origin.clone())
                }
            }),
            ApiKind::Http { cors } => cors.as_ref().map(|c| {
                c.allowed_origin(&origin)
                    .map(|_| ())
                    .ok_or_else(|| c.allow_origins.join(", "))
            }),
        };
        match allowed {
            None => found.push(Mismatch::NoCors {
                origin: origin.clone(),
            }),
            Some(Err(allowed)) => found.push(Mismatch::CorsOrigin {
                origin: origin.clone(),
                allowed,
            }),
            Some(Ok(())) => {}
        }
        let Some(client) = stack.client(&self.client_id) else {
            return found;
        };
        if !client.callback_urls.contains(&self.redirect_uri) {
            found.push(Mismatch::Callback {
                uri: self.redirect_uri.clone(),
                client: client.logical_id.clone(),
                registered: client.callback_urls.join(" "),
            });
        }
        if !client.logout_urls.contains(&self.logout_uri) {
            found.push(Mismatch::Logout {
                uri: self.logout_uri.clone(),
                client: client.logical_id.clone(),
                registered: client.logout_urls.join(" "),
            });
        }
        found
    }
}

/// Why the page on its origin would fail against this stack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mismatch {
    #[error("the API's CORS allows {allowed}, not {origin}: the browser will refuse its answers")]
    CorsOrigin { origin: String, allowed: String },
    #[error("the API has no CORS settings: the browser will refuse its answers to {origin}")]
    NoCors { origin: String },
    #[error(
        "{uri} is not a callback URL of {client} ({registered}): sign-in would end on the error page"
    )]
    Callback {
        uri: String,
        client: String,
        registered: String,
    },
    #[error(
        "{uri} is not a sign-out URL of {client} ({registered}): sign-out would end on the error page"
    )]
    Logout {
        uri: String,
        client: String,
        registered: String,
    },
}

/// The first app client a page can sign people in through: the code flow, and no secret (a page
/// cannot keep one).
pub(crate) fn page_client(stack: &Stack) -> Option<&AppClient> {
    stack
        .clients
        .iter()
        .find(|c| c.allows(OAuthFlow::Code) && !c.has_secret)
}

/// `scheme://host[:port]` of an `http(s)` URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        for (url, origin) in [
            ("http://localhost:3000/Prod", Some("http://localhost:3000")),
            ("https://a.example.com", Some("https://a.example.com")),
            ("https://a.example.com?x#y", Some("https://a.example.com")),
            ("myapp://cb", None),
            ("http:///x", None),
            ("nothing", None),
        ] {
            assert_eq!(origin_of(url).as_deref(), origin, "{url}");
        }
    }
}
