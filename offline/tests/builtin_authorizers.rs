//! API Gateway's own authorizers over HTTP on 127.0.0.1, with the example's templates
//! (`examples/cognito-authorizer/`): the REST API's `COGNITO_USER_POOLS` authorizer (ID tokens on
//! a method without scopes, access tokens holding a scope on the others, 401 for everything
//! else, the claims as strings in `requestContext.authorizer.claims`) and the HTTP API's JWT
//! authorizer (`iss`, `aud` else `client_id`, no `token_use`, 403 for a missing scope, the claims
//! in `requestContext.authorizer.jwt`); and templates they refuse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "people_support/mod.rs"]
mod people;
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use offline::cli::{self, Command};
use offline::{Offline, Options};
use serde_json::{Value, json};
use support::{Client, Raw, TempDir, raw, root, with_token};

/// The groups of the example's stacks (`{stack name}-staff`).
const REST_STAFF: &str = "orders-rest-staff";
const HTTP_STAFF: &str = "orders-http-staff";

/// Options for the example's `template` (its samconfig.toml beside it under `config_env`, the
/// real auth template), or for a copy of it with `from` replaced by `to`.
fn example(template: &str, config_env: &str, change: Option<(&TempDir, &str, &str)>) -> Options {
    let mut path = root().join("examples/cognito-authorizer").join(template);
    if let Some((dir, from, to)) = change {
        let text = std::fs::read_to_string(&path).unwrap();
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "`{from}` is not in {template}");
        // The copy is elsewhere: its functions' code is still the repository's.
        let code = format!("CodeUri: {}", root().display());
        let changed = changed.replace("CodeUri: ../..", &code);
        path = dir.path().join(template);
        std::fs::write(&path, changed).unwrap();
    }
    let auth = root().join("auth/template.yaml").display().to_string();
    let config = root().join("examples/cognito-authorizer/samconfig.toml");
    let args = [
        "--port",
        "0",
        "--no-app",
        "--ephemeral",
        "--config-env",
        config_env,
        "--template",
        path.to_str().unwrap(),
        "--auth-template",
        &auth,
        "--config-file",
        config.to_str().unwrap(),
    ];
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

/// The app client `logical_id` of the stack: `(id, secret)`.
fn client(offline: &Offline, logical_id: &str) -> (String, String) {
    let clients = &offline.stack().clients;
    let client = clients.iter().find(|c| c.logical_id == logical_id).unwrap();
    let credentials = &client.credentials;
    (
        credentials.client_id.clone(),
        credentials.client_secret.clone(),
    )
}

/// A machine token of the example's machine client, for `scope`.
async fn machine_token(offline: &Offline, scope: &str) -> String {
    let (id, secret) = client(offline, "MachineClient");
    let (status, body) = Client::new()
        .token(offline, &id, &secret, Some(scope))
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `carol`, in the stack's `group`, signed in through the people client with the password
/// flow: `(id token, access token)`.
async fn carol(offline: &Offline, group: &str) -> (String, String) {
    let api = people::Api::new(offline);
    api.user("carol", people::PASSWORD, false, &[group]).await;
    sign_in(offline).await
}

/// `carol`'s tokens, as she signs in now.
async fn sign_in(offline: &Offline) -> (String, String) {
    let api = people::Api::new(offline);
    let (people_client, _) = client(offline, "PeopleClient");
    let (status, answer) = api
        .call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": people_client,
                   "AuthParameters": {"USERNAME": "carol", "PASSWORD": people::PASSWORD}}),
            false,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["AuthenticationResult"];
    let text = |key: &str| result[key].as_str().unwrap().to_owned();
    (text("IdToken"), text("AccessToken"))
}

/// `token` with its payload changed by `change` (the signature no longer matches).
fn forged(token: &str, change: impl FnOnce(&mut Value)) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims = people::claims(token);
    change(&mut claims);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{}.{payload}.{}", parts[0], parts[2])
}

/// The example's `template` started (samconfig env `env`, stack name `stack`), `carol` signed
/// in, and a machine's read token: `(stack, id token, access token, read token)`.
async fn started(template: &str, env: &str, stack: &str) -> (Offline, String, String, String) {
    let offline = Offline::start(example(template, env, None)).await.unwrap();
    let (id, access) = carol(&offline, &format!("{stack}-staff")).await;
    let read = machine_token(&offline, &format!("{stack}/read")).await;
    (offline, id, access, read)
}

fn assert_refused(answer: &Raw, status: u16, message: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.json(), json!({ "message": message }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_cognito_authorizer_takes_id_tokens_without_scopes_and_access_tokens_with_them() {
    let (rest, id, access, read) = started("template.yaml", "default", "orders-rest").await;
    let addr = rest.addr();

    assert_refused(
        &raw(addr, "GET", "/Prod/profile", &[]).await,
        401,
        "Unauthorized",
    );
    let answer = with_token(addr, "GET", "/Prod/profile", &id).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["caller"]["username"], "carol");
    assert_eq!(body["caller"]["tokenUse"], "id");
    assert_eq!(body["caller"]["groups"], json!([REST_STAFF]));
    // The raw token, as the console's test sends it, works as well as `Bearer <token>`.
    let bare = raw(addr, "GET", "/Prod/profile", &[("Authorization", &id)]).await;
    assert_eq!(bare.status, 200, "{}", bare.body);
    for token in [&access, &read] {
        let answer = with_token(addr, "GET", "/Prod/profile", token).await;
        assert_refused(&answer, 401, "Unauthorized");
    }

    let answer = with_token(addr, "GET", "/Prod/orders", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json()["caller"]["scopes"],
        json!(["orders-rest/read"])
    );
    // A missing scope is a 401 on a REST API, as AWS documents; so is an ID token there.
    for token in [&id, &access] {
        assert_refused(
            &with_token(addr, "GET", "/Prod/orders", token).await,
            401,
            "Unauthorized",
        );
    }
    let answer = with_token(addr, "POST", "/Prod/orders", &read).await;
    assert_refused(&answer, 401, "Unauthorized");
    assert_eq!(
        answer.header("x-amzn-errortype"),
        Some("UnauthorizedException")
    );
    let write = machine_token(&rest, "orders-rest/write").await;
    assert_eq!(
        with_token(addr, "POST", "/Prod/orders", &write)
            .await
            .status,
        200
    );

    let bad_signature = forged(&id, |claims| claims["cognito:username"] = json!("mallory"));
    let other_pool = forged(&id, |claims| {
        claims["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other0001")
    });
    for token in [bad_signature, other_pool, "not.a.jwt".to_owned()] {
        assert_refused(
            &with_token(addr, "GET", "/Prod/profile", &token).await,
            401,
            "Unauthorized",
        );
    }
    assert_eq!(
        rest.stats()
            .authorizer_invocations
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    rest.stop().await;
}

/// The example's `template` with a second group, `{stack}-auditors`.
fn with_auditors(dir: &TempDir, template: &str, env: &str) -> Options {
    let group = "  StaffGroup:\n    Type: AWS::Cognito::UserPoolGroup\n";
    let auditors = "  AuditorsGroup:\n    Type: AWS::Cognito::UserPoolGroup\n    Properties:\n      UserPoolId: !Ref CognitoUserPoolId\n      GroupName: !Sub '${AWS::StackName}-auditors'\n\n";
    example(
        template,
        env,
        Some((dir, group, &format!("{auditors}{group}"))),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_echo_reads_back_the_claims_each_authorizer_writes() {
    let dir = TempDir::new("claims");
    for (template, env, stack, path) in [
        ("template.yaml", "default", "orders-rest", "/Prod/profile"),
        ("http-api.yaml", "http-api", "orders-http", "/profile"),
    ] {
        let offline = Offline::start(with_auditors(&dir, template, env))
            .await
            .unwrap();
        let (id, _) = carol(&offline, &format!("{stack}-staff")).await;
        let api = people::Api::new(&offline);
        let auditors = format!("{stack}-auditors");
        api.admin(
            "AdminAddUserToGroup",
            json!({"Username": "carol", "GroupName": auditors}),
        )
        .await;
        let (id_now, _) = sign_in(&offline).await;
        let body = with_token(offline.addr(), "GET", path, &id_now)
            .await
            .json();
        let caller = &body["caller"];
        // Two groups through the REST form (comma-joined) and the HTTP API form (in brackets).
        assert_eq!(caller["groups"].as_array().map(Vec::len), Some(2), "{body}");
        let (people_client, _) = client(&offline, "PeopleClient");
        assert_eq!(
            caller["clientId"],
            json!(people_client),
            "an ID token's client is its aud"
        );
        assert_eq!(caller["principalId"], people::claims(&id)["sub"]);
        offline.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validation_expression_is_matched_against_aud_before_the_token_is_verified() {
    let dir = TempDir::new("cognito-validation");
    let change = (
        &dir,
        "Header: Authorization",
        "Header: X-Token\n              ValidationExpression: '[a-z0-9]+'",
    );
    let rest = Offline::start(example("template.yaml", "default", Some(change)))
        .await
        .unwrap();
    let addr = rest.addr();
    let (id, _) = carol(&rest, REST_STAFF).await;
    let answer = raw(addr, "GET", "/Prod/profile", &[("X-Token", &id)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_refused(
        &with_token(addr, "GET", "/Prod/profile", &id).await,
        401,
        "Unauthorized",
    );
    let other_aud = forged(&id, |claims| claims["aud"] = json!("UPPER-case"));
    let answer = raw(addr, "GET", "/Prod/profile", &[("X-Token", &other_aud)]).await;
    assert_refused(&answer, 401, "Unauthorized");
    rest.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_jwt_authorizer_checks_audience_not_token_use_and_answers_403_for_a_scope() {
    let (http, id, access, read) = started("http-api.yaml", "http-api", "orders-http").await;
    let addr = http.addr();

    let answer = raw(addr, "GET", "/profile", &[]).await;
    assert_refused(&answer, 401, "Unauthorized");
    // ID and access tokens alike: a JWT authorizer does not read token_use.
    for (token, token_use) in [(&id, "id"), (&access, "access"), (&read, "access")] {
        let answer = with_token(addr, "GET", "/profile", token).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["caller"]["tokenUse"], token_use);
    }
    let body = with_token(addr, "GET", "/profile", &id).await.json();
    assert_eq!(body["caller"]["groups"], json!([HTTP_STAFF]));

    let answer = with_token(addr, "GET", "/orders", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json()["caller"]["scopes"],
        json!(["orders-http/read"])
    );
    for (method, token) in [("POST", &read), ("GET", &id), ("GET", &access)] {
        let answer = with_token(addr, method, "/orders", token).await;
        assert_refused(&answer, 403, "Forbidden");
    }

    let other_audience = forged(&read, |claims| claims["client_id"] = json!("someone-else"));
    let answer = with_token(addr, "GET", "/profile", &other_audience).await;
    assert_refused(&answer, 401, "Unauthorized");
    assert!(
        answer
            .header("www-authenticate")
            .unwrap()
            .starts_with(r#"Bearer scope="" error="invalid_token""#)
    );
    http.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwt_authorizer_compares_aud_before_client_id_and_the_issuer_exactly() {
    let dir = TempDir::new("jwt-audience");
    let change = (&dir, "                - !Ref PeopleClient\n", "");
    let http = Offline::start(example("http-api.yaml", "http-api", Some(change)))
        .await
        .unwrap();
    let addr = http.addr();
    let (id, access) = carol(&http, HTTP_STAFF).await;
    // The people client is no audience now: its ID token (aud) and access token (client_id) fail.
    for token in [&id, &access] {
        let answer = with_token(addr, "GET", "/profile", token).await;
        assert_refused(&answer, 401, "Unauthorized");
        let challenge = answer.header("www-authenticate").unwrap();
        assert!(
            challenge.contains("the token does not have a valid audience"),
            "{challenge}"
        );
    }
    http.stop().await;

    let dir = TempDir::new("jwt-issuer");
    let change = (
        &dir,
        "issuer: !Sub 'https://cognito-idp.",
        "issuer: !Sub 'https://issuer-cognito-idp.",
    );
    let refused = Offline::start(example("http-api.yaml", "http-api", Some(change))).await;
    let message = refused.err().unwrap().to_string();
    assert!(
        message.contains("Auth.Authorizers.OrdersJwt.JwtConfiguration.issuer"),
        "{message}"
    );
    assert!(
        message.contains("is not the local user pool's issuer"),
        "{message}"
    );
}

#[tokio::test]
async fn templates_the_built_in_authorizers_cannot_run_are_refused_by_path() {
    let dir = TempDir::new("builtin-refused");
    for (template, env, from, to, path) in [
        (
            "template.yaml",
            "default",
            "UserPoolArn: !Ref CognitoUserPoolArn",
            "UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other0001",
            "Auth.Authorizers.OrdersUserPool.UserPoolArn",
        ),
        (
            "template.yaml",
            "default",
            "            Auth:\n              Authorizer: OrdersUserPool\n              AuthorizationScopes:",
            "            Auth:\n              AuthorizationScopes:",
            "Events.GetOrders.Properties.Auth.AuthorizationScopes",
        ),
        (
            "http-api.yaml",
            "http-api",
            "IdentitySource: $request.header.Authorization",
            "IdentitySource: $context.routeKey",
            "Auth.Authorizers.OrdersJwt.IdentitySource",
        ),
    ] {
        let options = example(template, env, Some((&dir, from, to)));
        let message = Offline::start(options).await.err().unwrap().to_string();
        assert!(message.contains(path), "{message}");
    }
}
