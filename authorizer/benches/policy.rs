#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Policies of real-size route tables: the shipped template's 3 routes and the first 12, 60 and
//! 300 routes of `examples/saas-api/route-scopes.json`. Prints, per table, the conflicts, the time
//! to work out its plan, and the answer's size over every token class (no name, each scope or
//! group alone, every name), in whole-API and per-route scope; then measures the CPU of a warm
//! decision per table: the whole invocation as the Lambda runs it (verify, decide, log, answer)
//! and the answer's JSON.
//!
//! Run: `bench/policy.sh` (or `cargo bench -p authorizer --bench policy`).

#[path = "support/jwks.rs"]
mod jwks;
#[path = "support/member.rs"]
mod member;

use std::hint::black_box;
use std::time::Instant;

use authorizer::mint::SigningKey;
use authorizer::{
    Authorizer, Config, Grants, MethodArn, Metrics, PolicyScope, RouteRules, RouteTable, Routed,
    Rules, UserPool,
};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_BenchPool";
const API: &str = "arn:aws:execute-api:us-east-1:123456789012:abcdefghij/Prod";

/// Each table: its name, its JSON, the request a member makes (method, resource, path).
fn tables() -> Vec<(String, String, [&'static str; 3])> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let env: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/events/env.json")).unwrap())
            .unwrap();
    let shipped = env["AuthorizerFunction"]["ROUTE_SCOPES"]
        .as_str()
        .unwrap()
        .to_owned();
    let saas =
        std::fs::read_to_string(format!("{root}/examples/saas-api/route-scopes.json")).unwrap();
    let lines: Vec<&str> = saas.lines().filter(|l| l.starts_with("  \"")).collect();
    let first = |n: usize| {
        let body: Vec<&str> = lines[..n].iter().map(|l| l.trim_end_matches(',')).collect();
        format!("{{{}}}", body.join(","))
    };
    let mut tables = vec![("shipped-3".to_owned(), shipped, ["GET", "/echo", "/echo"])];
    for (n, request) in [
        (12, ["GET", "/v1/orgs/{id}/members", "/v1/orgs/o1/members"]),
        (60, ["GET", "/v1/projects/{id}", "/v1/projects/p1"]),
        (
            300,
            ["GET", "/v1/tasks/{id}/comments", "/v1/tasks/t1/comments"],
        ),
    ] {
        tables.push((format!("saas-{n}"), first(n), request));
    }
    tables
}

/// Every scope and group the table's rules name.
fn names(table: &RouteTable) -> (Vec<String>, Vec<String>) {
    let (mut scopes, mut groups) = (Vec::new(), Vec::new());
    for rule in table
        .routes()
        .iter()
        .flat_map(|r| r.requirement.alternatives())
    {
        scopes.extend(rule.any_scopes.iter().chain(&rule.all_scopes).cloned());
        groups.extend(rule.any_groups.iter().chain(&rule.all_groups).cloned());
    }
    for list in [&mut scopes, &mut groups] {
        list.sort();
        list.dedup();
    }
    (scopes, groups)
}

fn grants(scopes: Vec<String>, groups: Vec<String>) -> Grants {
    Grants {
        sub: "s".into(),
        client_id: "c".into(),
        username: Some("alice".into()),
        scopes,
        groups,
        pool_id: POOL_ID.into(),
        expires_at: 0,
        jti: None,
        claims: Vec::new(),
    }
}

/// The token classes: no name, each name alone, every name.
fn token_classes(table: &RouteTable) -> Vec<Grants> {
    let (scopes, groups) = names(table);
    let mut classes = vec![
        grants(vec![], vec![]),
        grants(scopes.clone(), groups.clone()),
    ];
    classes.extend(scopes.iter().map(|s| grants(vec![s.clone()], vec![])));
    classes.extend(groups.iter().map(|g| grants(vec![], vec![g.clone()])));
    classes
}

/// Largest and median policy document, in bytes, and the most resources, over `classes`.
fn sizes(rules: &Rules, classes: &[Grants], routes: &RouteTable) -> (usize, usize, usize) {
    let mut bytes = Vec::new();
    let mut resources = 0;
    for g in classes {
        // Per route, every route of the table is asked for.
        for route in routes.routes() {
            let method = if route.pattern.method == "ANY" {
                "GET"
            } else {
                &route.pattern.method
            };
            let arn = MethodArn::parse(&format!("{API}/{method}/x")).unwrap();
            let routed = Routed {
                method,
                resource: &route.pattern.path,
            };
            let (p, _) = rules.decide_routed(g, &arn, Some(routed));
            bytes.push(serde_json::to_vec(&p.to_policy()).unwrap().len());
            resources = resources.max(p.allowed().len() + p.denied().len());
            if matches!(rules, Rules::Routes(r) if r.scope() == PolicyScope::Api) {
                break; // One answer for every route.
            }
        }
    }
    bytes.sort_unstable();
    (bytes[bytes.len() - 1], bytes[bytes.len() / 2], resources)
}

fn print_sizes() {
    println!(
        "{:10} {:>6} {:>9} {:>10} | {:>9} {:>9} {:>9} | {:>9} {:>9}",
        "table",
        "routes",
        "conflicts",
        "plan ms",
        "api max",
        "api med",
        "resources",
        "route max",
        "route med"
    );
    for (name, json, _) in tables() {
        let table = RouteTable::parse(&json).unwrap();
        let started = Instant::now();
        let api = Rules::Routes(RouteRules::new(table.clone(), PolicyScope::Api));
        let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
        let route = Rules::Routes(RouteRules::new(table.clone(), PolicyScope::Route));
        let classes = token_classes(&table);
        let (api_max, api_med, resources) = sizes(&api, &classes, &table);
        let (route_max, route_med, _) = sizes(&route, &classes, &table);
        println!(
            "{name:10} {:>6} {:>9} {plan_ms:>10.2} | {api_max:>9} {api_med:>9} {resources:>9} | {route_max:>9} {route_med:>9}",
            table.routes().len(),
            api.conflicts().len(),
        );
    }
    println!(
        "(bytes of the policy document with a 59-character ARN prefix, over every token class)"
    );
}

fn bench(c: &mut Criterion) {
    print_sizes();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let key = SigningKey::generate("bench-key").unwrap();
    let pool = UserPool::from_id(POOL_ID).unwrap();
    let server = rt.block_on(jwks::serve(POOL_ID, &key));
    // A person in the groups the tables admit readers and members by.
    let claims = member::member_claims(&pool);
    let token = format!("Bearer {}", key.sign(&claims));
    let mut group = c.benchmark_group("decision");
    for (name, json, [method, resource, path]) in tables() {
        for scope in ["api", "route"] {
            let env = [
                ("USER_POOL_ID", POOL_ID.to_owned()),
                ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", server.uri()),
                ("ROUTE_SCOPES", json.clone()),
                ("POLICY_SCOPE", scope.to_owned()),
            ];
            let config =
                Config::from_lookup(|k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
                    .unwrap();
            let authorizer = Authorizer::new(config, Metrics::discard()).unwrap();
            rt.block_on(authorizer.prefetch());
            let event = json!({
                "type": "REQUEST",
                "methodArn": format!("{API}/{method}{path}"),
                "resource": resource,
                "path": path,
                "httpMethod": method,
                "headers": {"Authorization": token},
                "requestContext": {"resourcePath": resource, "httpMethod": method},
            });
            let answer = rt.block_on(authorizer.handle(event.clone())).unwrap();
            assert_eq!(
                answer["policyDocument"]["Statement"][0]["Effect"], "Allow",
                "{name} {scope}"
            );
            group.bench_function(format!("{name}/{scope}"), |b| {
                b.iter(|| {
                    let answer = rt
                        .block_on(authorizer.handle(black_box(event.clone())))
                        .unwrap();
                    black_box(serde_json::to_vec(&answer).unwrap())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
