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
            "                type: cognito_user_pools",
            format!("{rest}.components.securitySchemes.Token.x-amazon-apigateway-authorizer.type"),
            "not emulated offline yet",
        ),
        (
            "                type: request",
            "                type: jwt",
            format!("{http}.components.securitySchemes.Lambda.x-amazon-apigateway-authorizer.type"),
            "not emulated offline yet",
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
