//! `examples/multi-tenant`: a pool with `custom:tenant_id`, the example's own Rust pre token
//! generation trigger (V3_0) run as a process, and the authorizer binding `/tenants/{tenantId}/`
//! to the claim: a user of `acme` and a machine client of `globex` each reach their own tenant's
//! path only, under every spelling; a user without a tenant gets no token. Then the README's
//! walkthrough, run as written with the AWS CLI.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Api, PASSWORD, claims};
use serde_json::json;
use support::doc::{self, Shell};
use support::{Client, TempDir, example_options, root, status_with};

const PAGE: &str = "examples/multi-tenant/README.md";

fn client_id(offline: &Offline, logical_id: &str) -> String {
    let client = offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == logical_id);
    client.unwrap().credentials.client_id.clone()
}

/// `name`'s access token (of tenant `tenant`, or none), signed in with a password.
async fn person(
    offline: &Offline,
    api: &Api,
    name: &str,
    tenant: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut attributes = vec![json!({"Name": "email", "Value": format!("{name}@example.com")})];
    if let Some(tenant) = tenant {
        attributes.push(json!({"Name": "custom:tenant_id", "Value": tenant}));
    }
    api.admin(
        "AdminCreateUser",
        json!({"Username": name, "MessageAction": "SUPPRESS", "UserAttributes": attributes}),
    )
    .await;
    api.admin(
        "AdminSetUserPassword",
        json!({"Username": name, "Password": PASSWORD, "Permanent": true}),
    )
    .await;
    api.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id(offline, "PeopleClient"),
               "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
        false,
    )
    .await
}

async fn machine(offline: &Offline, logical_id: &str) -> String {
    let client = offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == logical_id)
        .unwrap();
    let (status, body) = Client::new()
        .token(
            offline,
            &client.credentials.client_id,
            &client.credentials.client_secret,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `token` reaches `own`'s orders, an order and invoices, and no spelling of `other`'s.
async fn only_own_tenant(offline: &Offline, token: &str, own: &str, other: &str) {
    let addr = offline.addr();
    let upper = other.to_uppercase();
    let mut title = other.to_owned();
    title[..1].make_ascii_uppercase();
    for path in [
        format!("/Prod/tenants/{own}/orders"),
        format!("/Prod/tenants/{own}/orders/"),
        format!("/Prod/tenants/{own}/invoices"),
        format!("/Prod/tenants/{own}/orders/o-1"),
        format!("/Prod/tenants/{own}/orders/o-1/"),
    ] {
        assert_eq!(status_with(addr, "GET", &path, token).await, 200, "{path}");
    }
    for path in [
        format!("/Prod/tenants/{other}/orders"),
        format!("/Prod/tenants/{other}/orders/"),
        format!("/Prod/tenants/{other}/invoices"),
        format!("/Prod/tenants/{other}/orders/o-1"),
        format!("/Prod/tenants/{other}/orders/{own}"),
        format!("/Prod/tenants/{upper}/orders"),
        format!("/Prod/tenants/{title}/orders"),
        format!("/Prod/tenants/{own}/../{other}/orders"),
        format!("/Prod/tenants/{other}%2F/orders"),
        format!("/Prod/tenants/{own}/orders/x/../../{other}/orders"),
        format!("/Prod/tenants/{own}/orders/..%2F..%2F{other}%2Forders"),
    ] {
        let status = status_with(addr, "GET", &path, token).await;
        assert!(matches!(status, 403 | 404), "{path}: {status}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_caller_reaches_its_own_tenant_only() {
    let offline = Offline::start(example_options("multi-tenant"))
        .await
        .unwrap();
    assert!(offline.warnings().is_empty(), "{:?}", offline.warnings());
    let api = Api::new(&offline);

    let (status, answer) = person(&offline, &api, "alice", Some("acme")).await;
    assert_eq!(status, 200, "{answer}");
    let alice = answer["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    let seen = claims(alice);
    assert_eq!(
        (seen["custom:tenant_id"].as_str(), seen["scope"].as_str()),
        (
            Some("acme"),
            Some("aws.cognito.signin.user.admin orders/read")
        )
    );
    only_own_tenant(&offline, alice, "acme", "globex").await;

    let globex = machine(&offline, "GlobexMachineClient").await;
    assert_eq!(claims(&globex)["custom:tenant_id"], "globex");
    only_own_tenant(&offline, &globex, "globex", "acme").await;
    let acme = machine(&offline, "AcmeMachineClient").await;
    only_own_tenant(&offline, &acme, "acme", "globex").await;

    let (status, answer) = person(&offline, &api, "nobody", None).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["__type"], "UserLambdaValidationException");
    assert_eq!(
        answer["message"],
        "PreTokenGeneration failed with error the user belongs to no tenant."
    );

    let banner = offline::cli::banner(&offline);
    for line in [
        "  attributes  custom:tenant_id (the pool's Schema)",
        "  trigger     pre token generation V3_0: PreTokenFunction before people's and client-credentials tokens",
    ] {
        assert!(banner.contains(line), "{line} in {banner}");
    }
    assert!(banner.contains("function    PreTokenFunction: a process: cargo build -p multi-tenant-trigger --bin pre-token"), "{banner}");
    offline.stop().await;
}

/// `offline ARGS --template examples/multi-tenant/template.yaml --state-dir DIR`, parsed.
fn command(args: &[&str], dir: &str) -> offline::cli::Command {
    let template = root().join("examples/multi-tenant/template.yaml");
    let config = root().join("examples/multi-tenant/samconfig.toml");
    let (template, config) = (template.display().to_string(), config.display().to_string());
    let mut all = args.to_vec();
    all.extend([
        "--template",
        &template,
        "--config-file",
        &config,
        "--state-dir",
        dir,
    ]);
    offline::cli::parse(all).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_token_claims_stand_for_the_trigger() {
    let state = TempDir::new("multi-tenant-state");
    let dir = state.path().display().to_string();
    let offline::cli::Command::Serve(options) = command(&["--port", "0", "--no-app"], &dir) else {
        panic!("serve")
    };
    let offline = Offline::start(options).await.unwrap();
    // `offline user-token --username carol --scope orders/read --claim custom:tenant_id=acme`,
    // with the running stack's saved key.
    let args = [
        "user-token",
        "--username",
        "carol",
        "--scope",
        "orders/read",
        "--claim",
        "custom:tenant_id=acme",
        "--claim",
        "plan=gold",
    ];
    let offline::cli::Command::UserToken(options, request) = command(&args, &dir) else {
        panic!("user-token")
    };
    let token = offline::cli::user_token(&options, &request).unwrap();
    let seen = claims(&token);
    assert_eq!(
        (seen["custom:tenant_id"].as_str(), seen["plan"].as_str()),
        (Some("acme"), Some("gold"))
    );
    only_own_tenant(&offline, &token, "acme", "globex").await;
    for protected in [
        "sub=x",
        "client_id=x",
        "scope=orders/read",
        "cognito:groups=admins",
        "token_use=id",
    ] {
        let args = ["user-token", "--username", "carol", "--claim", protected];
        let err = offline::cli::parse(args).unwrap_err().to_string();
        assert!(
            err.contains("cannot be added or changed"),
            "{protected}: {err}"
        );
    }
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS CLI of .venv, curl and python3: run scripts/check.sh"]
async fn the_readme_walkthrough_runs_as_written() {
    let bin = root().join(".venv/bin");
    assert!(
        bin.join("aws").is_file(),
        "no AWS CLI in .venv: run scripts/venv.sh first (scripts/check.sh does)"
    );
    let offline = Offline::start(example_options("multi-tenant"))
        .await
        .unwrap();
    let banner = offline::cli::banner(&offline);
    let page = doc::page(PAGE);
    let (script, announced) =
        doc::banner_session(&banner, &page, "<!-- multi-tenant-walkthrough -->");
    let home = TempDir::new("multi-tenant-home");
    let home = home.path().display().to_string();
    let mut shell = Shell::new()
        .var("HOME", home.clone())
        .var("AWS_CONFIG_FILE", format!("{home}/config"))
        .var("AWS_SHARED_CREDENTIALS_FILE", format!("{home}/credentials"));
    shell.path_first = Some(bin);
    let lines = shell.run(&script).await;
    assert_eq!(lines.len(), announced, "{lines:#?}");
    doc::assert_announced(&page, &lines);
    offline.stop().await;
}
