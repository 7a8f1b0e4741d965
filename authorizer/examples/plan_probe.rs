#![allow(clippy::unwrap_used)]
use authorizer::{Grants, MethodArn, RouteTable, Rules};
fn main() {
    let text = std::fs::read_to_string("examples/saas-api/route-scopes.json").unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  \"")).collect();
    let sizes: Vec<usize> = std::env::var("SIZES")
        .map(|s| s.split(",").map(|x| x.parse().unwrap()).collect())
        .unwrap_or(vec![12, 60, 300]);
    for n in sizes {
        let body: Vec<String> = lines[..n]
            .iter()
            .map(|l| l.trim_end_matches(',').to_owned())
            .collect();
        let json = format!("{{{}}}", body.join(","));
        let t0 = std::time::Instant::now();
        let table = RouteTable::parse(&json).unwrap();
        let t1 = std::time::Instant::now();
        let rules = Rules::routes(table);
        let t2 = std::time::Instant::now();
        println!(
            "n={n} parse={:?} plan={:?} conflicts={}",
            t1 - t0,
            t2 - t1,
            rules.conflicts().len()
        );
        for c in rules.conflicts().iter().take(5) {
            println!("  {c}");
        }
        let arn = MethodArn::parse(
            "arn:aws:execute-api:us-east-1:123456789012:abc123defg/Prod/GET/v1/orgs",
        )
        .unwrap();
        let mut scopes_all: Vec<String> = Vec::new();
        for l in &lines[..n] {
            for part in l.split('"') {
                if part.starts_with("saas/") {
                    scopes_all.push(part.to_owned());
                }
            }
        }
        scopes_all.sort();
        scopes_all.dedup();
        let tokens: Vec<(&str, Vec<String>, Vec<String>)> = vec![
            ("member", vec![], vec!["members".into()]),
            ("viewer", vec![], vec!["viewers".into()]),
            ("billing", vec![], vec!["billing".into()]),
            ("admin", vec![], vec!["admins".into(), "members".into()]),
            ("orgs.read", vec!["saas/orgs.read".into()], vec![]),
            ("all scopes", scopes_all.clone(), vec![]),
            ("nothing", vec![], vec![]),
        ];
        for (name, scopes, groups) in tokens {
            let g = Grants {
                sub: "s".into(),
                client_id: "c".into(),
                username: Some("u".into()),
                scopes,
                groups,
                pool_id: "p".into(),
                expires_at: 0,
                jti: None,
            };
            let t = std::time::Instant::now();
            let p = rules.permissions(&g, &arn);
            let dt = t.elapsed();
            let policy = serde_json::to_string(&p.to_policy()).unwrap();
            println!(
                "  {name:12} allow={:4} deny={:3} bytes={:6} first={dt:?}",
                p.allowed().len(),
                p.denied().len(),
                policy.len()
            );
        }
    }
}
