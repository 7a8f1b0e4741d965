//! Helpers the people tests share: Cognito's JSON API called over HTTP, users made with the admin
//! operations, a browser for the hosted UI (cookies kept, redirects not followed), PKCE pairs,
//! the claims of a token, and the SRP client (amazon-cognito-identity-js under Node).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use offline::json_api;
use offline::{AppClient, Issuer, Offline, Options, Request, Stack, standalone_issuer};
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

/// A password that meets Cognito's default policy.
pub const PASSWORD: &str = "Corr3ct-Horse!";

/// The people app client of the project's template (`PeopleClient`).
pub fn people_client(offline: &Offline) -> &AppClient {
    offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == "PeopleClient")
        .unwrap()
}

/// The machine app client (`AppClient`).
pub fn machine_client(offline: &Offline) -> &AppClient {
    offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == "AppClient")
        .unwrap()
}

/// The claims of a JWS, unchecked.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// A client of the JSON API.
pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
    pub pool_id: String,
}

impl Api {
    pub fn new(offline: &Offline) -> Self {
        Self {
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            url: format!("{}/", offline.base_url()),
            pool_id: offline.stack().pool_id.clone(),
        }
    }

    /// `operation` with `body`, SigV4-looking when `signed` (the signature is not checked).
    pub async fn call(&self, operation: &str, body: Value, signed: bool) -> (u16, Value) {
        self.call_from(None, operation, body, signed).await
    }

    /// [`Api::call`] as a page of `origin` would send it (with `Origin`), when given.
    pub async fn call_from(
        &self,
        origin: Option<&str>,
        operation: &str,
        body: Value,
        signed: bool,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .post(&self.url)
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .body(body.to_string());
        if signed {
            request = request.header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=offline/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
            );
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A signed admin operation on the local pool that must succeed.
    pub async fn admin(&self, operation: &str, mut body: Value) -> Value {
        body["UserPoolId"] = json!(self.pool_id);
        let (status, answer) = self.call(operation, body, true).await;
        assert_eq!(status, 200, "{operation}: {answer}");
        answer
    }

    /// Creates `name` with a permanent `password` (or the temporary one when `temporary`), an
    /// e-mail address, in `groups`.
    pub async fn user(&self, name: &str, password: &str, temporary: bool, groups: &[&str]) {
        self.admin(
            "AdminCreateUser",
            json!({"Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")},
                                      {"Name": "email_verified", "Value": "true"}]}),
        )
        .await;
        self.admin(
            "AdminSetUserPassword",
            json!({"Username": name, "Password": password, "Permanent": !temporary}),
        )
        .await;
        for group in groups {
            self.admin(
                "AdminAddUserToGroup",
                json!({"Username": name, "GroupName": group}),
            )
            .await;
        }
    }

    /// An error's `(__type, message)`, checking the status and `x-amzn-ErrorType`.
    pub async fn error(&self, operation: &str, body: Value, signed: bool) -> (String, String) {
        let (status, answer) = self.call(operation, body, signed).await;
        assert_eq!(status, 400, "{operation}: {answer}");
        (
            answer["__type"].as_str().unwrap().to_owned(),
            answer["message"].as_str().unwrap().to_owned(),
        )
    }
}

/// A PKCE pair: `(verifier, S256 challenge)`.
pub fn pkce() -> (String, String) {
    let verifier = format!("v{}", authorizer::mint::random_id().replace('-', "")) + &"x".repeat(20);
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    (verifier, URL_SAFE_NO_PAD.encode(digest))
}

/// A browser: keeps cookies, does not follow redirects.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: BTreeMap<String, String>,
}

/// An answer as a browser sees it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// A query parameter of the redirect's location.
    pub fn location_param(&self, name: &str) -> Option<String> {
        let location = self.location.as_deref()?;
        let query = location.split_once('?')?.1;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The value of the page's hidden `_csrf` field.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"_csrf\" value=\"")
            .expect("a login form")
            + 20;
        self.body[at..].split('"').next().unwrap().to_owned()
    }

    /// The form's `action`, unescaped.
    pub fn action(&self) -> String {
        let at = self.body.find("action=\"").expect("a form") + 8;
        self.body[at..]
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&")
    }
}

impl Browser {
    pub fn new(offline: &Offline) -> Self {
        Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            base: offline.base_url().to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = if self.cookies.is_empty() {
            request
        } else {
            request.header("cookie", self.cookie_header())
        };
        let response = request.send().await.unwrap();
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned()),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    /// GET a path (or an absolute URL).
    pub async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let request = self.http.get(url);
        self.send(request).await
    }

    /// POST a form to a path.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// `/oauth2/authorize` for `client_id` with PKCE (`challenge`) and `state`, `scope`.
    pub async fn authorize(&mut self, client_id: &str, challenge: &str, scope: &str) -> Page {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", "http://localhost:3001/")
            .append_pair("scope", scope)
            .append_pair("state", "st4te")
            .append_pair("code_challenge_method", "S256")
            .append_pair("code_challenge", challenge)
            .finish();
        self.get(&format!("/oauth2/authorize?{query}")).await
    }

    /// The login form an authorization request (`openid`) of `client_id` leads to.
    pub async fn login_form(&mut self, client_id: &str, challenge: &str) -> Page {
        let to_login = self.authorize(client_id, challenge, "openid").await;
        assert_eq!(to_login.status, 302, "{to_login:?}");
        let form = self.get(to_login.location.as_deref().unwrap()).await;
        assert_eq!(form.status, 200, "{}", form.body);
        form
    }

    /// Posts the login form at `action` with its `_csrf`, a user name and a password.
    pub async fn submit(
        &mut self,
        action: &str,
        csrf: &str,
        username: &str,
        password: &str,
    ) -> Page {
        let fields = [
            ("_csrf", csrf),
            ("username", username),
            ("password", password),
        ];
        self.post(action, &fields).await
    }

    /// Signs in through the form the authorization request leads to; the final redirect.
    pub async fn sign_in(
        &mut self,
        client_id: &str,
        challenge: &str,
        username: &str,
        password: &str,
    ) -> Page {
        let form = self.login_form(client_id, challenge).await;
        let (csrf, action) = (form.csrf(), form.action());
        self.submit(&action, &csrf, username, password).await
    }
}

/// The token endpoint's answer to a form.
pub async fn token(offline: &Offline, form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(offline.token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The SRP client's folder (`npm ci --prefix offline/tests/srp-client` installs
/// amazon-cognito-identity-js there).
pub fn srp_client_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/srp-client")
}

/// Signs in with USER_SRP_AUTH through amazon-cognito-identity-js (Node). The test installs
/// nothing: `scripts/check.sh` runs `npm ci` there before `cargo test`; without the package or
/// Node it fails saying what to run. It is never skipped.
pub async fn srp_sign_in(
    offline: &Offline,
    username: &str,
    password: &str,
    new_password: Option<&str>,
) -> Value {
    let dir = srp_client_dir();
    let package = dir.join("node_modules/amazon-cognito-identity-js/package.json");
    assert!(
        package.is_file(),
        "amazon-cognito-identity-js is not installed in {}: run `npm ci --prefix offline/tests/srp-client` from the repository root first (scripts/check.sh does)",
        dir.display()
    );
    let input = json!({
        "endpoint": format!("{}/", offline.base_url()),
        "userPoolId": offline.stack().pool_id,
        "clientId": people_client(offline).credentials.client_id,
        "username": username,
        "password": password,
        "newPassword": new_password,
    });
    let mut child = tokio::process::Command::new("node")
        .arg("sign-in.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node (Node.js 20) is needed for the SRP client test: install Node.js");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.to_string().as_bytes()).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "node failed: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The issuer's clock in the in-process tests.
pub const T0: u64 = 1_800_000_000;

/// A stack's issuer, driven in-process on its own clock (the tests' files add what they need).
pub struct Pool {
    pub stack: Stack,
    pub issuer: Issuer,
}

impl Pool {
    pub fn open(options: &Options) -> Self {
        let (stack, issuer) = standalone_issuer(&options.inputs, &options.state).unwrap();
        Self { stack, issuer }
    }

    /// The people client's id.
    pub fn people(&self) -> &str {
        let mut clients = self.stack.clients.iter();
        let people = clients.find(|c| c.logical_id == "PeopleClient");
        &people.unwrap().credentials.client_id
    }

    /// A signed admin operation on the local pool at `T0` that must succeed.
    pub fn admin(&self, operation: &str, mut body: Value) {
        body["UserPoolId"] = json!(self.stack.pool_id);
        let (status, answer) = answer_at(&self.issuer, operation, body, true, T0);
        assert_eq!(status, 200, "{operation}: {answer}");
    }
}

/// The JSON API's answer to `operation` with `body` on `issuer` at `now` (Unix seconds), signed
/// as the AWS CLI signs when `signed`: `(status, body)`.
pub fn answer_at(
    issuer: &Issuer,
    operation: &str,
    body: Value,
    signed: bool,
    now: u64,
) -> (u16, Value) {
    let mut headers = vec![(
        "X-Amz-Target".to_owned(),
        format!("AWSCognitoIdentityProviderService.{operation}"),
    )];
    if signed {
        headers.push((
            "Authorization".to_owned(),
            "AWS4-HMAC-SHA256 Credential=offline/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00".to_owned(),
        ));
    }
    let request = Request {
        method: "POST".to_owned(),
        path: "/".to_owned(),
        headers,
        body: body.to_string().into_bytes(),
        ..Request::default()
    };
    let answer = json_api::answer(issuer, &request, now);
    let body = serde_json::from_slice(&answer.body).unwrap();
    (answer.status, body)
}
