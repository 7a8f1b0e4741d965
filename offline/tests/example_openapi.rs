//! `examples/openapi-api`: an OpenAPI-defined REST API (routes, mock `/health` and preflights, a
//! token authorizer in `securitySchemes`), two handler functions of its own run as processes,
//! the repository's authorizer linked in; 401, 200 and 403 as AWS answers them; the README's
//! walkthrough run as written; the rules and the routes compared at start.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use offline::Offline;
use serde_json::json;
use support::doc::{self, Shell};
use support::{Client, example_options, raw, status_with, with_token};

const PAGE: &str = "examples/openapi-api/README.md";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_example_answers_as_api_gateway_would() {
    let offline = Offline::start(example_options("openapi-api"))
        .await
        .unwrap();
    assert!(offline.warnings().is_empty(), "{:?}", offline.warnings());
    let addr = offline.addr();
    let health = raw(addr, "GET", "/Prod/health", &[]).await;
    assert_eq!(
        (health.status, health.json()),
        (200, json!({"status": "ok"}))
    );
    assert_eq!(raw(addr, "GET", "/Prod/orders", &[]).await.status, 401);
    let http = Client::new();
    let read = http.access_token(&offline, Some("orders-api/read")).await;
    let list = with_token(addr, "GET", "/Prod/orders", &read).await;
    assert_eq!(list.status, 200, "{list:?}");
    let client_id = &offline.stack().clients[0].credentials.client_id;
    assert_eq!(
        list.json()["caller"],
        json!(client_id),
        "the authorizer's principal"
    );
    assert_eq!(
        status_with(addr, "GET", "/Prod/products/tea", &read).await,
        200
    );
    assert_eq!(
        status_with(addr, "GET", "/Prod/products/nope", &read).await,
        404
    );
    assert_eq!(status_with(addr, "POST", "/Prod/orders", &read).await, 403);
    assert_eq!(
        status_with(addr, "DELETE", "/Prod/products/tea", &read).await,
        403
    );
    let admin = http.access_token(&offline, Some("orders-api/admin")).await;
    assert_eq!(
        status_with(addr, "DELETE", "/Prod/products/tea", &admin).await,
        204
    );
    // An undefined method: API Gateway's Missing Authentication Token, before the authorizer.
    assert_eq!(
        status_with(addr, "PATCH", "/Prod/orders", &admin).await,
        403
    );
    let preflight = raw(addr, "OPTIONS", "/Prod/products", &[]).await;
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://localhost:3001")
    );
    let banner = offline::cli::banner(&offline);
    for line in [
        "route       GET     http://127.0.0.1",
        "function    OrdersFunction: a process: cargo build -p openapi-api-handlers --bin orders",
        "function    AuthorizerFunction: the project's authorizer, linked in",
        "present, checked: AWS::Lambda::Permission AuthorizerPermission, CatalogPermission, OrdersPermission",
    ] {
        assert!(banner.contains(line), "{line} in {banner}");
    }
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs curl and python3 (the walkthrough's tools): run scripts/check.sh"]
async fn the_readme_walkthrough_runs_as_written() {
    let offline = Offline::start(example_options("openapi-api"))
        .await
        .unwrap();
    let banner = offline::cli::banner(&offline);
    let page = doc::page(PAGE);
    let (script, announced) =
        doc::banner_session(&banner, &page, "<!-- openapi-api-walkthrough -->");
    let lines = Shell::new().run(&script).await;
    assert_eq!(lines.len(), announced, "{lines:#?}");
    doc::assert_announced(&page, &lines);
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_and_routes_that_disagree_are_warnings_in_the_banner() {
    let mut options = example_options("openapi-api");
    // The rules through --env-vars: GET /products has none, and GET /nope is no route.
    let rules = r#"{"GET /orders": "orders-api/read", "POST /orders": "orders-api/write",
        "GET /orders/{id}": "orders-api/read", "PUT /orders/{id}": "orders-api/write",
        "DELETE /orders/{id}": "orders-api/admin", "POST /orders/{id}/cancel": "orders-api/write",
        "POST /products": "orders-api/write", "GET /products/{id}": "orders-api/read",
        "PATCH /products/{id}": "orders-api/write", "DELETE /products/{id}": "orders-api/admin",
        "GET /nope": "orders-api/read"}"#;
    let vars = [("ROUTE_SCOPES".to_owned(), rules.to_owned())];
    options
        .inputs
        .env_vars
        .insert("AuthorizerFunction".to_owned(), vars.into_iter().collect());
    let offline = Offline::start(options).await.unwrap();
    assert_eq!(
        offline.warnings(),
        [
            "AuthorizerFunction: OrdersApi route `GET /products` has no rule in ROUTE_SCOPES: the authorizer refuses it to every token",
            "AuthorizerFunction: ROUTE_SCOPES has a rule for `GET /nope`, a route of no API this authorizer guards",
        ]
    );
    let banner = offline::cli::banner(&offline);
    assert!(
        banner.contains("  WARNING     AuthorizerFunction: OrdersApi route `GET /products`"),
        "{banner}"
    );
    // As the warning says: the route exists, the authorizer refuses it.
    let all = Client::new().access_token(&offline, None).await;
    assert_eq!(
        with_token(offline.addr(), "GET", "/Prod/products", &all)
            .await
            .status,
        403
    );
    offline.stop().await;
}
