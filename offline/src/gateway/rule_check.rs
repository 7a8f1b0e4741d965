//! What the banner says at start about each linked Lambda authorizer: its own warnings
//! (`Config::warnings`: conflicts, answers over the budget), and where its route rules
//! (`ROUTE_SCOPES` or `ROUTE_SCOPES_FILE`, read by the authorizer's own `Config`) and the routes
//! it guards disagree: a guarded route no rule names (every token is refused it), and a rule
//! naming no route the authorizer guards (a typo, or a route that moved). A rule and a route
//! agree when their paths have the same shape and their methods are the same or one is `ANY`.
//! HTTP APIs' `$default` route has no path to compare and is left out. Also: an answer that
//! holds for one route only (an HTTP API's `isAuthorized`, a REST `REQUEST` answer with
//! `POLICY_SCOPE=route`) cached without the route in the cache key, which API Gateway would
//! then reuse for the token's other routes.

use authorizer::RoutePattern;
use authorizer::{PolicyScope, Rules};

use super::functions::Functions;
use crate::template::api::ContextVariable;
use crate::template::{Api, ApiRoute, AuthorizerKind, IdentitySource, LambdaAuthorizer, Stack};

/// One line per warning, each naming the function and, for a disagreement, the API, the route
/// and the setting.
pub(crate) fn warnings(stack: &Stack, functions: &Functions) -> Vec<String> {
    let mut lines = Vec::new();
    for (function, config) in &functions.configs {
        lines.extend(config.warnings.iter().map(|w| format!("{function}: {w}")));
        if let Rules::Routes(rules) = &config.rules {
            let setting = setting(stack, function);
            let rules: Vec<&RoutePattern> =
                rules.table().routes().iter().map(|r| &r.pattern).collect();
            lines.extend(disagreements(stack, function, setting, &rules));
        }
    }
    lines.extend(route_answers_cached_per_token(stack, functions));
    lines
}

/// Authorizers whose answers hold for one route, cached on identity sources without the route.
fn route_answers_cached_per_token(stack: &Stack, functions: &Functions) -> Vec<String> {
    let mut lines = Vec::new();
    for api in &stack.apis {
        for (name, authorizer) in &api.authorizers {
            let Some(config) = functions.configs.get(&authorizer.function) else {
                continue;
            };
            let per_route = match &config.rules {
                Rules::Routes(rules) => rules.scope() == PolicyScope::Route || api.is_http(),
                Rules::WholeApi(_) => false,
            };
            if per_route && authorizer.ttl_seconds > 0 && !keyed_on_route(api, authorizer) {
                lines.push(format!(
                    "{}: {} authorizer {name} answers for one route but its cache key names none: API Gateway reuses a token's answer on its other routes ({}, or ReauthorizeEvery: 0)",
                    authorizer.function,
                    api.logical_id,
                    if api.is_http() {
                        "add $context.routeKey to its identity sources"
                    } else {
                        "add context.httpMethod and context.resourcePath to its identity sources"
                    }
                ));
            }
        }
    }
    lines
}

/// Whether `authorizer`'s cache key holds the route (REST: method and resource path; HTTP API:
/// the route key). A `TOKEN` authorizer's events name no route: its answers are whole-API ones.
fn keyed_on_route(api: &Api, authorizer: &LambdaAuthorizer) -> bool {
    let has = |variable| {
        authorizer
            .identity()
            .contains(&IdentitySource::Context(variable))
    };
    match &authorizer.kind {
        AuthorizerKind::Token { .. } => true,
        _ if api.is_http() => has(ContextVariable::RouteKey),
        _ => has(ContextVariable::HttpMethod) && has(ContextVariable::ResourcePath),
    }
}

/// Which setting holds the function's rules.
fn setting<'a>(stack: &'a Stack, function: &str) -> &'a str {
    let file = stack
        .function(function)
        .is_some_and(|f| f.environment.contains_key("ROUTE_SCOPES_FILE"));
    if file {
        "ROUTE_SCOPES_FILE"
    } else {
        "ROUTE_SCOPES"
    }
}

/// The routes `function` guards without a rule, and its rules naming none of them.
fn disagreements(
    stack: &Stack,
    function: &str,
    setting: &str,
    rules: &[&RoutePattern],
) -> Vec<String> {
    let guarded: Vec<(&str, &ApiRoute)> = stack
        .apis
        .iter()
        .flat_map(|api| {
            api.routes.iter().filter_map(move |route| {
                let name = route.authorizer.as_deref()?;
                let runs = api.authorizers.get(name)?.function == function;
                (runs && !route.catch_all).then_some((api.logical_id.as_str(), route))
            })
        })
        .collect();
    let mut lines = Vec::new();
    for (api, route) in &guarded {
        if !rules.iter().any(|rule| agree(rule, &route.pattern)) {
            let key = route.route_key();
            lines.push(format!(
                "{function}: {api} route `{key}` has no rule in {setting}: the authorizer refuses it to every token"
            ));
        }
    }
    for rule in rules {
        if !guarded.iter().any(|(_, route)| agree(rule, &route.pattern)) {
            let key = format!("{} {}", rule.method, rule.path);
            lines.push(format!(
                "{function}: {setting} has a rule for `{key}`, a route of no API this authorizer guards"
            ));
        }
    }
    lines
}

/// Whether a rule and a route name the same requests' route.
fn agree(rule: &RoutePattern, route: &RoutePattern) -> bool {
    rule.same_path(route)
        && (rule.method == route.method || rule.method == "ANY" || route.method == "ANY")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(key: &str) -> RoutePattern {
        RoutePattern::parse_key(key).unwrap()
    }

    #[test]
    fn rules_and_routes_agree_by_path_shape_and_method() {
        assert!(agree(&pattern("GET /a/{x}"), &pattern("GET /a/{id}")));
        assert!(agree(&pattern("ANY /a"), &pattern("POST /a")));
        assert!(agree(&pattern("GET /a"), &pattern("ANY /a")));
        assert!(!agree(&pattern("GET /a"), &pattern("POST /a")));
        assert!(!agree(&pattern("GET /a/{x}"), &pattern("GET /a/b")));
    }
}
