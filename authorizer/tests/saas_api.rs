//! The 300-route table of `examples/saas-api` (a project-management SaaS API), for every token
//! class (no name the rules know, each scope or group alone, the groups people have together,
//! every name) and a request for every route, as written and with a trailing slash:
//! - whole-API policies are exact both ways (no over-grant, no under-grant) and the table has no
//!   conflict; the largest answer is over the 8 KB budget, and the configuration says so at start;
//! - per-route answers are exact too, and every one is within the budget.
#![allow(clippy::unwrap_used, clippy::panic)]

use authorizer::{
    ANSWER_BUDGET, Config, Grants, MethodArn, PolicyScope, RouteRules, RouteTable, Routed, Rules,
};

const API: &str = "arn:aws:execute-api:us-east-1:123456789012:abcdefghij/Prod";

fn table() -> RouteTable {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/saas-api/route-scopes.json"
    );
    RouteTable::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn token(scopes: &[String], groups: &[&str]) -> Grants {
    Grants {
        sub: "s".into(),
        client_id: "c".into(),
        username: Some("u".into()),
        scopes: scopes.to_vec(),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        pool_id: "p".into(),
        expires_at: 0,
        jti: None,
        claims: Vec::new(),
    }
}

/// No name, each scope alone, each group alone, members with viewers, admins with members, and
/// every scope.
fn tokens(table: &RouteTable) -> Vec<Grants> {
    let mut scopes: Vec<String> = table
        .routes()
        .iter()
        .flat_map(|r| r.requirement.alternatives())
        .flat_map(|rule| rule.any_scopes.iter().chain(&rule.all_scopes).cloned())
        .collect();
    scopes.sort();
    scopes.dedup();
    let mut tokens = vec![token(&[], &[]), token(&scopes, &[])];
    tokens.extend(scopes.iter().map(|s| token(std::slice::from_ref(s), &[])));
    for groups in [
        &["members"][..],
        &["viewers"],
        &["billing"],
        &["admins"],
        &["members", "viewers"],
        &["admins", "members"],
    ] {
        tokens.push(token(&[], groups));
    }
    tokens
}

/// A request for each route: its method (`GET` for `ANY`) and its path with values in the
/// parameters.
fn requests(table: &RouteTable) -> Vec<(String, String, String)> {
    table
        .routes()
        .iter()
        .map(|r| {
            let method = if r.pattern.method == "ANY" {
                "GET"
            } else {
                &r.pattern.method
            };
            let path: Vec<&str> = r
                .pattern
                .path
                .split('/')
                .map(|s| match s {
                    s if s.ends_with("+}") => "a/b",
                    s if s.starts_with('{') => "x1",
                    s => s,
                })
                .collect();
            (method.to_owned(), path.join("/"), r.pattern.path.clone())
        })
        .collect()
}

fn allowed(
    rules: &Rules,
    grants: &Grants,
    method: &str,
    path: &str,
    routed: Option<Routed<'_>>,
) -> bool {
    let arn = MethodArn::parse(&format!("{API}/{method}{path}")).unwrap();
    rules.decide_routed(grants, &arn, routed).1.is_ok()
}

#[test]
fn whole_api_policies_are_exact_both_ways_and_the_budget_is_flagged() {
    let table = table();
    assert_eq!(table.routes().len(), 300);
    let rules = Rules::routes(table.clone());
    assert!(rules.conflicts().is_empty(), "{:#?}", rules.conflicts());
    let (mut over, mut under) = (0, 0);
    for grants in tokens(&table) {
        for (method, path, _) in requests(&table) {
            let route = table.find(&method, &path).unwrap();
            let may = route.requirement.check(&grants).is_ok();
            for written in [path.clone(), format!("{path}/")] {
                match (allowed(&rules, &grants, &method, &written, None), may) {
                    (true, false) => over += 1,
                    (false, true) => under += 1,
                    _ => {}
                }
            }
        }
    }
    assert_eq!((over, under), (0, 0), "over-grants, under-grants");
    let config = Config::from_lookup(|name| match name {
        "USER_POOL_ID" => Some("us-east-1_Example01".to_owned()),
        "ROUTE_SCOPES_FILE" => Some(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../examples/saas-api/route-scopes.json"
            )
            .to_owned(),
        ),
        _ => None,
    })
    .unwrap();
    assert!(
        config
            .warnings
            .iter()
            .any(|w| w.starts_with("ROUTE_SCOPES_FILE: the answer for")
                && w.contains(&format!("over the {ANSWER_BUDGET}-byte budget"))
                && w.contains("POLICY_SCOPE=route")),
        "{:?}",
        config.warnings
    );
}

#[test]
fn per_route_answers_are_exact_and_within_the_budget() {
    let table = table();
    let rules = Rules::Routes(RouteRules::new(table.clone(), PolicyScope::Route));
    let mut largest = 0;
    for grants in tokens(&table) {
        for (method, path, resource) in requests(&table) {
            let route = table.find(&method, &path).unwrap();
            let routed = Routed {
                method: &method,
                resource: &resource,
            };
            let may = route.requirement.check(&grants).is_ok();
            for written in [path.clone(), format!("{path}/")] {
                assert_eq!(
                    allowed(&rules, &grants, &method, &written, Some(routed)),
                    may,
                    "{method} {written} for {:?} {:?}",
                    grants.scopes,
                    grants.groups
                );
            }
            let arn = MethodArn::parse(&format!("{API}/{method}{path}")).unwrap();
            let policy = rules
                .decide_routed(&grants, &arn, Some(routed))
                .0
                .to_policy();
            largest = largest.max(serde_json::to_vec(&policy).unwrap().len());
        }
    }
    assert!(
        largest + 1024 <= ANSWER_BUDGET,
        "largest per-route policy: {largest} bytes"
    );
}
