//! The start banner: URLs, routes, app clients and groups, what is present but not emulated, and
//! the seeds' curl session for this stack.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::server::Offline;
use crate::template::{ApiKind, AppClient, Cors, Integration, OAuthFlow, Stack};

/// What to print at start.
pub fn banner(offline: &Offline) -> String {
    let mut out = String::new();
    endpoints(offline, &mut out);
    app(offline, &mut out);
    routes(offline, &mut out);
    people(offline.stack(), &mut out);
    for client in &offline.stack().clients {
        app_client(client, &mut out);
    }
    not_emulated(offline.stack(), &mut out);
    try_it(offline, &mut out);
    let _ = write!(out, "\nCtrl-C stops it.");
    out
}

/// The stack, the pool and the issuer's URLs.
fn endpoints(offline: &Offline, out: &mut String) {
    let stack = offline.stack();
    let _ = writeln!(
        out,
        "Offline stack of {} (stack {}, region {})",
        stack.template.display(),
        stack.stack_name,
        stack.region
    );
    let _ = writeln!(out, "  user pool   {}", stack.pool_id);
    let [issuer, _] = offline.issuer().pool().issuers();
    let _ = writeln!(out, "  issuer      {issuer}");
    let _ = writeln!(
        out,
        "  JWKS        {}/{}/.well-known/jwks.json",
        offline.base_url(),
        stack.pool_id
    );
    let _ = writeln!(out, "  token URL   {}", offline.token_url());
    if let Some(also) = offline.also_url() {
        let _ = writeln!(
            out,
            "  also        {also}  (--allow-host: the same stack, for sam local's containers)"
        );
    }
    let base = offline.base_url();
    let _ = writeln!(
        out,
        "  hosted UI   {base}/oauth2/authorize, {base}/login, {base}/logout, {base}/oauth2/userInfo"
    );
    let _ = writeln!(
        out,
        "  Cognito API {base}/  (aws cognito-idp ... --endpoint-url {base}; any access key)"
    );
}

/// The browser app's page, and why it would fail on its origin, or why it is not served.
fn app(offline: &Offline, out: &mut String) {
    let Some(config) = offline.app_config() else {
        let why = offline.app_absence().unwrap_or_default();
        let _ = writeln!(out, "  app         not served ({why})");
        return;
    };
    let page = &config.redirect_uri;
    let _ = writeln!(
        out,
        "  app         {page}  (the browser app: sign in, call the API; {page}config.json)"
    );
    let mismatches = config.mismatches(offline.stack());
    for mismatch in &mismatches {
        let _ = writeln!(
            out,
            "  app         WARNING: the page will fail here: {mismatch}"
        );
    }
    if !mismatches.is_empty() {
        let origin = config.app_origin();
        let _ = writeln!(
            out,
            "              for template.yaml: --parameter-overrides AllowedOrigin={origin} PeopleCallbackUrls={page} PeopleLogoutUrls={page}"
        );
    }
}

fn routes(offline: &Offline, out: &mut String) {
    let api = &offline.stack().api;
    for route in &api.routes {
        let integration = match &route.integration {
            Integration::Lambda(function) => function.as_str(),
            Integration::Preflight(_) => "CORS preflight",
        };
        let authorizer = route.authorizer.as_deref().unwrap_or("no authorizer");
        if route.catch_all {
            let _ = writeln!(
                out,
                "  route       {} {}  ({integration}, {authorizer}; any path no other route matches)",
                route.route_key(),
                offline.api_url("/"),
            );
        } else {
            let _ = writeln!(
                out,
                "  route       {:7} {}  ({integration}, {authorizer})",
                route.pattern.method,
                offline.api_url(&route.pattern.path),
            );
        }
    }
    cors(&api.kind, api.cors.as_ref(), out);
}

fn cors(kind: &ApiKind, rest: Option<&Cors>, out: &mut String) {
    match (kind, rest) {
        (ApiKind::Rest, Some(cors)) => {
            let _ = writeln!(
                out,
                "  CORS        Access-Control-Allow-Origin: {} (sent whatever the Origin; browsers compare)",
                cors.allow_origin
            );
        }
        (ApiKind::Http { cors: Some(cors) }, _) => {
            let _ = writeln!(
                out,
                "  CORS        allowed origins {} (Access-Control-Allow-Origin only for them; none for another)",
                cors.allow_origins.join(", ")
            );
        }
        _ => {}
    }
}

/// The pool's groups and sign-in settings.
fn people(stack: &Stack, out: &mut String) {
    let groups: Vec<&str> = stack.groups.iter().map(|g| g.name.as_str()).collect();
    if !groups.is_empty() {
        let _ = writeln!(out, "  groups      {}", groups.join(", "));
    }
    let pool = &stack.user_pool;
    let _ = writeln!(
        out,
        "  sign-in     user names case-{}sensitive, passwords of {}+ characters, {}",
        if pool.username_case_sensitive {
            ""
        } else {
            "in"
        },
        pool.password_policy.minimum_length,
        if pool.admin_create_user_only {
            "users created by an admin"
        } else {
            "self sign-up allowed"
        }
    );
}

fn app_client(client: &AppClient, out: &mut String) {
    let _ = writeln!(out, "  app client  {} ({})", client.name, client.logical_id);
    let _ = writeln!(out, "    client id     {}", client.credentials.client_id);
    if client.has_secret {
        let _ = writeln!(
            out,
            "    client secret {}",
            client.credentials.client_secret
        );
    }
    let flows: Vec<&str> = client.flows.iter().map(|f| f.as_str()).collect();
    let _ = writeln!(out, "    OAuth flows   {}", flows.join(" "));
    let _ = writeln!(out, "    scopes        {}", client.scopes.join(" "));
    if client.is_for_people() {
        let sign_in: Vec<&str> = client.auth_flows.iter().map(|f| f.as_str()).collect();
        let _ = writeln!(out, "    sign-in       {}", sign_in.join(" "));
        let _ = writeln!(out, "    callbacks     {}", client.callback_urls.join(" "));
        if !client.logout_urls.is_empty() {
            let _ = writeln!(out, "    sign-out URLs {}", client.logout_urls.join(" "));
        }
    }
    let v = &client.validity;
    let _ = writeln!(
        out,
        "    lifetimes     access {} s, ID {} s, refresh {} s",
        v.access_seconds, v.id_seconds, v.refresh_seconds
    );
}

/// Resources read but not played, by type.
fn not_emulated(stack: &Stack, out: &mut String) {
    let mut by_type: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for resource in &stack.not_emulated {
        by_type
            .entry(resource.resource_type)
            .or_default()
            .push(&resource.logical_id);
    }
    for (kind, ids) in by_type {
        let _ = writeln!(out, "  present, not emulated: {kind} {}", ids.join(", "));
    }
    let stage = &stack.api.stage_settings;
    for method in &stage.methods {
        let limit = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
        let _ = writeln!(
            out,
            "  present, not emulated: throttling of {} {}: {}/s, burst {} (no 429 offline)",
            method.http_method,
            method.resource_path,
            limit(method.rate_limit.map(|r| r.to_string())),
            limit(method.burst_limit.map(|b| b.to_string())),
        );
    }
    if stage.tracing || stage.access_log.is_some() {
        let _ = writeln!(
            out,
            "  present, not emulated: {}{}",
            if stage.tracing { "X-Ray tracing " } else { "" },
            if stage.access_log.is_some() {
                "access log"
            } else {
                ""
            },
        );
    }
}

/// curl commands for the first client-credentials client and the first route.
fn try_it(offline: &Offline, out: &mut String) {
    let stack = offline.stack();
    let machine = stack
        .clients
        .iter()
        .find(|c| c.allows(OAuthFlow::ClientCredentials));
    let routes = &stack.api.routes;
    let route = routes
        .iter()
        .find(|r| r.pattern.method == "GET")
        .or(routes.first());
    let (Some(client), Some(route)) = (machine, route) else {
        return;
    };
    let url = offline.api_url(&route.pattern.path);
    let id = &client.credentials.client_id;
    let secret = &client.credentials.client_secret;
    let _ = writeln!(out, "\nTry it:");
    let _ = writeln!(out, "  curl -i {url}");
    let _ = writeln!(
        out,
        "  curl -X POST --user {id}:{secret} '{}?grant_type=client_credentials' -H 'Content-Type: application/x-www-form-urlencoded'",
        offline.token_url()
    );
    let _ = writeln!(
        out,
        "  TOKEN=$(curl -s --user {id}:{secret} {} -d grant_type=client_credentials -d scope={} | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        offline.token_url(),
        client.scopes.first().map_or("", String::as_str),
    );
    let _ = writeln!(out, "  curl -i {url} -H \"Authorization: Bearer $TOKEN\"");
    let _ = writeln!(
        out,
        "  cargo run -p offline -- user-token --username alice --groups admins   # a signed-in user's token"
    );
    let _ = writeln!(
        out,
        "  people: README.md, section People (create a user with the AWS CLI, sign in through the hosted UI)"
    );
    if let Some(page) = offline.app_url() {
        let _ = writeln!(
            out,
            "  in a browser: open {page} and sign in as such a user (README.md, \"In a browser\")"
        );
    }
}
