//! OpenAPI definitions (`tests/fixtures/openapi.yaml`): a REST API and an HTTP API side by side
//! in one template, each at its stage, each with the authorizer its definition declares, a mock
//! `/health`, the HTTP API's `x-amazon-apigateway-cors`; and what the offline stack refuses in a
//! definition, each named by its JSON path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use offline::Offline;
use serde_json::json;
use support::{Client, TempDir, changed_fixture, fixture_options, raw, with_token};

const FIXTURE: &str = "openapi.yaml";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_api_and_an_http_api_side_by_side() {
    let offline = Offline::start(fixture_options(FIXTURE)).await.unwrap();
    let addr = offline.addr();
    let http = Client::new();
    let read = http.access_token(&offline, Some("echo-api/read")).await;
    // The REST API at /Prod: 401 without a token, the read scope on GET only, a mock.
    assert_eq!(raw(addr, "GET", "/Prod/echo", &[]).await.status, 401);
    assert_eq!(
        with_token(addr, "GET", "/Prod/echo", &read).await.status,
        200
    );
    let denied = with_token(addr, "POST", "/Prod/echo", &read).await;
    assert_eq!(
        (denied.status, denied.json()),
        (
            403,
            json!({"message": "User is not authorized to access this resource"})
        )
    );
    let health = raw(addr, "GET", "/Prod/health", &[]).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (200, r#"{"status": "ok"}"#)
    );
    // The HTTP API on $default: its own answers (403 Forbidden), its CORS.
    assert_eq!(raw(addr, "GET", "/echo", &[]).await.status, 401);
    let answer = with_token(addr, "GET", "/echo", &read).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.json()["caller"]["scopes"], json!(["echo-api/read"]));
    let denied = with_token(addr, "POST", "/echo", &read).await;
    assert_eq!(
        (denied.status, denied.json()),
        (403, json!({"message": "Forbidden"}))
    );
    let origin = [
        ("Origin", "http://localhost:3001"),
        ("Access-Control-Request-Method", "GET"),
    ];
    let preflight = raw(addr, "OPTIONS", "/echo", &origin).await;
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("GET,POST")
    );
    let banner = offline::cli::banner(&offline);
    for line in [
        format!("  API         RestApi (REST API, stage Prod, http://{addr}/Prod)"),
        format!("  API         HttpApi (HTTP API, stage $default, http://{addr})"),
        format!("  route       GET     http://{addr}/Prod/health  (mock, no authorizer)"),
        format!("  route       POST    http://{addr}/echo  (Echo, Lambda)"),
    ] {
        assert!(banner.contains(&line), "{line} in {banner}");
    }
    offline.stop().await;
}

#[tokio::test]
async fn what_a_definition_cannot_say_offline_is_refused_by_its_path() {
    let rest = "Resources.RestApi.Properties.DefinitionBody";
    let http = "Resources.HttpApi.Properties.DefinitionBody";
    let cases = [
        (
            "                type: token",
            "                type: jwt",
            format!("{rest}.components.securitySchemes.Token.x-amazon-apigateway-authorizer.type"),
            "other kind of API",
        ),
        (
            "                type: request",
            "                type: cognito_user_pools",
            format!("{http}.components.securitySchemes.Lambda.x-amazon-apigateway-authorizer.type"),
            "other kind of API",
        ),
        (
            "                type: token\n",
            "                type: cognito_user_pools\n                providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_other]\n",
            format!(
                "{rest}.components.securitySchemes.Token.x-amazon-apigateway-authorizer.authorizerUri"
            ),
            "not read",
        ),
        (
            "        info: {title: rest, version: '1'}",
            "        info: {title: rest, version: '1'}\n        security: [{Token: []}]",
            format!("{rest}.security"),
            "root-level security",
        ),
        (
            "                type: mock",
            "                type: http",
            format!("{rest}.paths./health.get.x-amazon-apigateway-integration.type"),
            "`http` integrations",
        ),
        (
            "application/json: '{\"status\": \"ok\"}'",
            "application/json: '$input.json(\"$\")'",
            format!(
                "{rest}.paths./health.get.x-amazon-apigateway-integration.responses.default.responseTemplates.application/json"
            ),
            "VTL",
        ),
        (
            "              security: [{Token: []}]",
            "              security: [{Token: [echo-api/read]}]",
            format!("{rest}.paths./echo.get.security[0].Token"),
            "Cognito authorizers",
        ),
        (
            "              security: [{Token: []}]",
            "              x-amazon-apigateway-request-validator: all\n              security: [{Token: []}]",
            format!("{rest}.paths./echo.get.x-amazon-apigateway-request-validator"),
            "not read",
        ),
        (
            "                httpMethod: POST",
            "                httpMethod: GET",
            format!("{rest}.paths./echo.get.x-amazon-apigateway-integration.httpMethod"),
            "POST",
        ),
        (
            "                payloadFormatVersion: '2.0'",
            "                payloadFormatVersion: '1.0'",
            format!("{http}.paths./echo.get.x-amazon-apigateway-integration.payloadFormatVersion"),
            "2.0",
        ),
        (
            "      FunctionName: !Ref Echo",
            "      FunctionName: !Ref Authorizer",
            // Templates' resources are read in order of logical id: the HTTP API first.
            format!("{http}.paths./echo.get.x-amazon-apigateway-integration"),
            "may not invoke `Echo`",
        ),
        (
            "      Principal: apigateway.amazonaws.com\n\n  AuthorizerPermission",
            "      Principal: s3.amazonaws.com\n\n  AuthorizerPermission",
            "Resources.EchoPermission.Properties.Principal".to_owned(),
            "apigateway.amazonaws.com",
        ),
        (
            "  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n",
            "  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      StageName: Prod\n",
            "Resources.RestApi.Properties.StageName".to_owned(),
            "also the stage of HttpApi",
        ),
        (
            "uri: !GetAtt Echo.Arn",
            "uri: arn:aws:lambda:us-east-1:123456789012:function:elsewhere",
            format!("{http}.paths./echo.get.x-amazon-apigateway-integration.uri"),
            "not a function of the template",
        ),
    ];
    for (from, to, path, needle) in cases {
        let dir = TempDir::new("openapi-refused");
        let options = changed_fixture(&dir, FIXTURE, from, to);
        let err = Offline::start(options).await.unwrap_err().to_string();
        assert!(
            err.contains(&format!(": {path}: ")),
            "{to}: {path} in {err}"
        );
        assert!(err.contains(needle), "{to}: {needle} in {err}");
    }
}

/// The fixture with API Gateway's own authorizers declared in the definitions: a
/// `cognito_user_pools` scheme on the REST API (`GET /echo` requires `echo-api/read`), a `jwt`
/// scheme on the HTTP API (the same), each trusting the template's pool.
fn with_builtin_schemes(dir: &TempDir) -> offline::Options {
    let text = std::fs::read_to_string(support::fixture(FIXTURE)).unwrap();
    let pool = "            Pool:\n              type: apiKey\n              name: Authorization\n              in: header\n              x-amazon-apigateway-authtype: cognito_user_pools\n              x-amazon-apigateway-authorizer:\n                type: cognito_user_pools\n                providerARNs: [!GetAtt Pool.Arn]\n            Token:\n";
    let jwt = "            Jwt:\n              type: oauth2\n              x-amazon-apigateway-authorizer:\n                type: jwt\n                identitySource: '$request.header.Authorization'\n                jwtConfiguration:\n                  issuer: !Sub 'https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}'\n                  audience: [!Ref Machine]\n            Lambda:\n";
    let mut changed = text.replacen("            Token:\n", pool, 1);
    changed = changed.replacen("            Lambda:\n", jwt, 1);
    changed = changed.replacen(
        "              security: [{Token: []}]",
        "              security: [{Pool: [echo-api/read]}]",
        1,
    );
    changed = changed.replacen(
        "              security: [{Lambda: []}]",
        "              security: [{Jwt: [echo-api/read]}]",
        1,
    );
    let file = dir.path().join(FIXTURE);
    std::fs::write(&file, changed).unwrap();
    support::template_alone(&file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definitions_own_cognito_and_jwt_authorizers_check_the_local_pools_tokens() {
    let dir = TempDir::new("openapi-builtin");
    let offline = Offline::start(with_builtin_schemes(&dir)).await.unwrap();
    let addr = offline.addr();
    let http = Client::new();
    let read = http.access_token(&offline, Some("echo-api/read")).await;
    let write = http.access_token(&offline, Some("echo-api/write")).await;
    // REST, cognito_user_pools with a scope: 401 without a token or without the scope (API
    // Gateway's answer for a scope it does not find), 200 with it.
    assert_eq!(raw(addr, "GET", "/Prod/echo", &[]).await.status, 401);
    assert_eq!(
        with_token(addr, "GET", "/Prod/echo", &write).await.status,
        401
    );
    let answer = with_token(addr, "GET", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.json()["caller"]["scopes"], json!(["echo-api/read"]));
    // HTTP API, jwt with a scope: 401 without a token, 403 without the scope, 200 with it.
    assert_eq!(raw(addr, "GET", "/echo", &[]).await.status, 401);
    assert_eq!(with_token(addr, "GET", "/echo", &write).await.status, 403);
    let answer = with_token(addr, "GET", "/echo", &read).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.json()["caller"]["scopes"], json!(["echo-api/read"]));
    // The routes that still name the Lambda authorizers are unchanged.
    assert_eq!(
        with_token(addr, "POST", "/Prod/echo", &read).await.status,
        403
    );
    let banner = offline::cli::banner(&offline);
    let line = format!(
        "  route       GET     http://{addr}/Prod/echo  (Echo, Pool COGNITO_USER_POOLS, scopes echo-api/read)"
    );
    assert!(banner.contains(&line), "{line} in {banner}");
    offline.stop().await;
}

#[tokio::test]
async fn a_definitions_cognito_authorizer_must_trust_the_local_pool() {
    let dir = TempDir::new("openapi-other-pool");
    let options = with_builtin_schemes(&dir);
    let file = dir.path().join(FIXTURE);
    let text = std::fs::read_to_string(&file).unwrap();
    let other = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_other";
    std::fs::write(
        &file,
        text.replacen("[!GetAtt Pool.Arn]", &format!("[{other}]"), 1),
    )
    .unwrap();
    let err = Offline::start(options).await.unwrap_err().to_string();
    let path = "Resources.RestApi.Properties.DefinitionBody.components.securitySchemes.Pool.x-amazon-apigateway-authorizer.providerARNs";
    assert!(err.contains(&format!(": {path}: ")), "{path} in {err}");
    assert!(err.contains(other), "{err}");
}
