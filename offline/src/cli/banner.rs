//! The start banner: URLs, routes, app clients and groups, what is present but not emulated, and
//! the example session for this stack, ready to paste.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::server::Offline;
use crate::template::resources::cognito::triggers::PreTokenVersion;
use crate::template::resources::function::ECHO_BINARY;
use crate::template::{Api, ApiKind, ApiRoute, AppClient, Cors, Integration, OAuthFlow, Stack};

/// What to print at start.
pub fn banner(offline: &Offline) -> String {
    let mut out = String::new();
    endpoints(offline, &mut out);
    app(offline, &mut out);
    for api in &offline.stack().apis {
        routes(offline, api, &mut out);
    }
    for (id, how) in offline.functions() {
        let _ = writeln!(out, "  function    {id}: {how}");
    }
    warnings(offline, &mut out);
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

/// The most routes the banner lists for one API.
const MAX_ROUTES_SHOWN: usize = 30;

/// One API's routes (after a line naming it, when the template has several) and its CORS.
fn routes(offline: &Offline, api: &Api, out: &mut String) {
    if offline.stack().apis.len() > 1 {
        let kind = if api.is_http() {
            "HTTP API"
        } else {
            "REST API"
        };
        let url = offline.url_of(api, "");
        let _ = writeln!(
            out,
            "  API         {} ({kind}, stage {}, {url})",
            api.logical_id, api.stage
        );
    }
    let shown = if api.routes.len() > MAX_ROUTES_SHOWN {
        MAX_ROUTES_SHOWN - 1
    } else {
        api.routes.len()
    };
    for route in &api.routes[..shown] {
        let integration = match &route.integration {
            Integration::Lambda(function) => function.as_str(),
            Integration::Preflight(_) => "CORS preflight",
            Integration::Mock(_) => "mock",
        };
        let authorizer = authorizer(api, route);
        if route.catch_all {
            let _ = writeln!(
                out,
                "  route       {} {}  ({integration}, {authorizer}; any path no other route matches)",
                route.route_key(),
                offline.url_of(api, "/"),
            );
        } else {
            let _ = writeln!(
                out,
                "  route       {:7} {}  ({integration}, {authorizer})",
                route.pattern.method,
                offline.url_of(api, &route.pattern.path),
            );
        }
    }
    if shown < api.routes.len() {
        let _ = writeln!(
            out,
            "  route       ... and {} more (the template's definition lists them all)",
            api.routes.len() - shown
        );
    }
    cors(&api.kind, api.cors.as_ref(), out);
}

/// The authorizers' warnings, and where their rules and routes disagree.
fn warnings(offline: &Offline, out: &mut String) {
    for warning in offline.warnings() {
        let _ = writeln!(out, "  WARNING     {warning}");
    }
}

/// The route's authorizer, with the type of API Gateway's own and the scopes they require.
fn authorizer(api: &Api, route: &ApiRoute) -> String {
    let Some(name) = route.authorizer.as_deref() else {
        return "no authorizer".to_owned();
    };
    let Some(builtin) = api.builtin_authorizers.get(name) else {
        return name.to_owned();
    };
    match route.scopes.as_slice() {
        [] => format!("{name} {}", builtin.kind_name()),
        scopes => format!(
            "{name} {}, scopes {}",
            builtin.kind_name(),
            scopes.join(" ")
        ),
    }
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
    if !pool.custom_attributes.is_empty() {
        let names: Vec<&str> = pool
            .custom_attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "  attributes  {} (the pool's Schema)",
            names.join(", ")
        );
    }
    if let (Some(trigger), Some(function)) = (&pool.pre_token, stack.pre_token_function()) {
        let (version, tokens) = match trigger.version {
            PreTokenVersion::V2 => ("V2_0", "people's tokens"),
            PreTokenVersion::V3 => ("V3_0", "people's and client-credentials tokens"),
        };
        let _ = writeln!(
            out,
            "  trigger     pre token generation {version}: {} before {tokens}",
            function.logical_id
        );
    }
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
    if !stack.permissions.is_empty() {
        let ids: Vec<&str> = stack
            .permissions
            .iter()
            .map(|p| p.logical_id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "  present, checked: AWS::Lambda::Permission {} (API Gateway or Cognito may invoke what they name)",
            ids.join(", ")
        );
    }
    for api in &stack.apis {
        stage_settings(&api.stage_settings, out);
    }
}

/// What a stage's settings set that the offline gateway does not play.
fn stage_settings(stage: &crate::template::api::StageSettings, out: &mut String) {
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

/// The shell helper the session reads JSON with: python3, which the README's prerequisites already
/// need (jq may not be installed). `from_json a b` prints `.a.b` as `jq -r` would.
const FROM_JSON: &str = r#"from_json() { python3 -c 'import json, sys; v = json.load(sys.stdin)
for k in sys.argv[1:]: v = v[k]
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))' "$@"; }"#;

/// The example session for this stack, ready to paste: `export` lines with its client, URLs and
/// pool, then the curl commands README.md shows (and says what each answers) for the first
/// client-credentials client and the first GET route behind a Lambda authorizer.
fn try_it(offline: &Offline, out: &mut String) {
    let stack = offline.stack();
    let machine = stack
        .clients
        .iter()
        .find(|c| c.allows(OAuthFlow::ClientCredentials));
    let routes = &stack.api().routes;
    let lambda = |r: &ApiRoute| {
        r.authorizer
            .as_ref()
            .is_some_and(|a| stack.api().authorizers.contains_key(a))
    };
    let get = routes
        .iter()
        .find(|r| r.pattern.method == "GET" && lambda(r));
    let (Some(client), Some(get)) = (machine, get) else {
        people_and_browser(offline, out);
        return;
    };
    let echo = get
        .function()
        .and_then(|id| stack.function(id))
        .is_some_and(|f| f.binary == ECHO_BINARY);
    let says = if echo {
        "README.md, \"Run it on your laptop\", says what each answers"
    } else {
        "a token of the client's first scope, then the first GET route behind an authorizer"
    };
    let _ = writeln!(
        out,
        "\nTry it: paste these lines into bash or zsh ({says}):"
    );
    exports(offline, client, &get.pattern.path, out);
    let _ = writeln!(out, r#"curl -s -w ' %{{http_code}}\n' "$API""#);
    let scope = client
        .scopes
        .first()
        .map_or(String::new(), |s| format!(" -d scope={s}"));
    let _ = writeln!(
        out,
        r#"READ=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" "$TOKEN_URL" \
  -d grant_type=client_credentials{scope} | from_json access_token)"#
    );
    if echo {
        let post = routes.iter().any(|r| {
            let same = r.pattern.path == get.pattern.path;
            r.pattern.method == "POST" && same && lambda(r)
        });
        echo_session(post, out);
    } else {
        let _ = writeln!(
            out,
            r#"curl -s -w ' %{{http_code}}\n' "$API" -H "Authorization: Bearer $READ""#
        );
    }
    people_and_browser(offline, out);
}

/// The `export` lines of the session and the JSON reader it uses.
fn exports(offline: &Offline, client: &AppClient, path: &str, out: &mut String) {
    let stack = offline.stack();
    let credentials = &client.credentials;
    let _ = writeln!(
        out,
        "export CLIENT_ID={} CLIENT_SECRET={}",
        credentials.client_id, credentials.client_secret
    );
    let _ = writeln!(
        out,
        "export TOKEN_URL={} API={}",
        offline.token_url(),
        offline.api_url(path)
    );
    let _ = writeln!(
        out,
        "export POOL_ID={} COGNITO_ENDPOINT={}",
        stack.pool_id,
        offline.base_url()
    );
    let _ = writeln!(out, "{FROM_JSON}");
}

/// The echo's part of README.md's session: the caller's scopes, then POST with each token.
fn echo_session(post: bool, out: &mut String) {
    let _ = writeln!(
        out,
        r#"curl -s "$API" -H "Authorization: Bearer $READ" | from_json caller scopes"#
    );
    if post {
        let status =
            r#"curl -s -o /dev/null -w 'POST %{http_code}\n' "$API" -H "Authorization: Bearer"#;
        let _ = writeln!(out, r#"{status} $READ" -d '{{}}'"#);
        let _ = writeln!(
            out,
            r#"ALL=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" "$TOKEN_URL" -d grant_type=client_credentials | from_json access_token)"#
        );
        let _ = writeln!(out, r#"{status} $ALL" -d '{{}}'"#);
    }
}

/// Where people come in: a signed-in user's token when the template has groups for rules to name
/// (an API whose rules name none admits no person), the people walkthrough, the browser app.
fn people_and_browser(offline: &Offline, out: &mut String) {
    let _ = writeln!(out);
    if let Some(group) = offline.stack().groups.first() {
        let _ = writeln!(
            out,
            "A signed-in user's access token (in group {0}): cargo run -q -p offline -- user-token --username alice --groups {0}",
            group.name
        );
    }
    let _ = writeln!(
        out,
        "People: docs/people.md (create a user with the AWS CLI, sign in through the hosted UI)."
    );
    let stack = offline.stack();
    if stack.apis.iter().any(|a| !a.builtin_authorizers.is_empty()) {
        let _ = writeln!(
            out,
            "API Gateway's own authorizers (ID or access tokens, scopes): examples/cognito-authorizer/README.md."
        );
    }
    if let Some(page) = offline.app_url() {
        let _ = writeln!(
            out,
            "In a browser: open {page} and sign in as such a user (docs/browser.md)."
        );
    }
}
