//! The start banner: URLs, client credentials, and the seeds' curl session for this stack.

use std::fmt::Write as _;

use crate::server::Offline;

/// What to print at start.
pub fn banner(offline: &Offline) -> String {
    let mut out = summary(offline);
    try_it(offline, &mut out);
    let _ = write!(out, "\nCtrl-C stops it.");
    out
}

/// The stack, its URLs, routes and app clients.
fn summary(offline: &Offline) -> String {
    let stack = offline.stack();
    let mut out = String::new();
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
    for route in &stack.api.routes {
        let _ = writeln!(
            out,
            "  route       {:6} {}  ({})",
            route.pattern.method,
            offline.api_url(&route.pattern.path),
            route.authorizer.as_deref().unwrap_or("no authorizer"),
        );
    }
    for client in &stack.clients {
        let _ = writeln!(out, "  app client  {} ({})", client.name, client.logical_id);
        let _ = writeln!(out, "    client id     {}", client.credentials.client_id);
        if client.has_secret {
            let _ = writeln!(
                out,
                "    client secret {}",
                client.credentials.client_secret
            );
        }
        let _ = writeln!(out, "    scopes        {}", client.scopes.join(" "));
    }
    out
}

/// curl commands for the first client and route.
fn try_it(offline: &Offline, out: &mut String) {
    let stack = offline.stack();
    let (Some(client), Some(route)) = (stack.clients.first(), stack.api.routes.first()) else {
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
}
