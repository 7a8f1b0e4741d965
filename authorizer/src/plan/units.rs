//! The resource patterns of each route: those an Allow writes, and the narrower ones a Deny
//! writes, each with the requests of the route it stands for.

use crate::reach::{REQUEST_METHODS, Reading, SEGMENT};
use crate::routes::{Route, Segment};

/// One resource pattern of one route (`GET/items/?*`; `GET/items/`, the trailing-slash form of
/// `/items`) and the requests of the route it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub(crate) route: usize,
    /// The request method, or `None` for every method (`*`).
    pub(crate) method: Option<&'static str>,
    /// How the requests it stands for reach the route.
    pub(crate) readings: &'static [Reading],
    /// `METHOD/path` after `arn:...:{apiId}/{stage}/`.
    pub(crate) pattern: String,
}

const PLAIN: &[Reading] = &[Reading::Canonical];
const PLAIN_AND_SLASH: &[Reading] = &[Reading::Canonical, Reading::Stripped];
const SLASH: &[Reading] = &[Reading::Stripped];
const EMPTY_GREEDY: &[Reading] = &[Reading::EmptyGreedy];
const UNSTRIPPED: &[Reading] = &[Reading::UnstrippedGreedy];

/// The patterns an Allow writes for each route: one per method it receives (or `*`, see
/// [`methods`]), and for a path ending in a literal its trailing-slash form too (a REST API routes
/// `/items/` to `/items`; a pattern ending in `?*` covers that form already).
pub(crate) fn allow_units(routes: &[Route]) -> Vec<Unit> {
    let mut units = Vec::new();
    for r in 0..routes.len() {
        for method in methods(routes, r, true) {
            units.extend(
                shapes(&routes[r])
                    .into_iter()
                    .filter(|(_, _, allows)| *allows)
                    .map(|(readings, path, _)| unit(r, method, readings, &path)),
            );
        }
    }
    units
}

/// The patterns a Deny may write for each route: one per method it receives, never `*` (a Deny
/// is written only for the methods some Allow reaches), and for a greedy parameter also the
/// trailing-slash forms a gateway might give it as an empty last segment (`GET/files/` and
/// `GET/files/?*/` for `/files/{path+}`), narrower than its main pattern.
pub(crate) fn deny_units(routes: &[Route]) -> Vec<Unit> {
    let mut units = Vec::new();
    for r in 0..routes.len() {
        for method in methods(routes, r, false) {
            units.extend(
                shapes(&routes[r])
                    .into_iter()
                    .map(|(readings, path, _)| unit(r, method, readings, &path)),
            );
        }
    }
    units
}

fn unit(
    route: usize,
    method: Option<&'static str>,
    readings: &'static [Reading],
    path: &str,
) -> Unit {
    Unit {
        route,
        method,
        readings,
        pattern: format!("{}/{path}", method.unwrap_or("*")),
    }
}

/// The path patterns of a route, with the readings of its requests they stand for and whether
/// an Allow writes them.
fn shapes(route: &Route) -> Vec<(&'static [Reading], String, bool)> {
    let path = route.pattern.resource_pattern();
    match route.pattern.segments().last() {
        None => vec![(PLAIN, path, true)],
        Some(Segment::Literal(_)) => {
            let slash = format!("{path}/");
            vec![(PLAIN, path, true), (SLASH, slash, true)]
        }
        Some(Segment::Param(_)) => vec![(PLAIN_AND_SLASH, path, true)],
        Some(Segment::Greedy(_)) => {
            let prefix = path.strip_suffix("?*").unwrap_or(&path).to_owned();
            let unstripped = format!("{path}/");
            let mut shapes = vec![(PLAIN_AND_SLASH, path, true)];
            if !prefix.is_empty() {
                shapes.push((EMPTY_GREEDY, prefix, false));
            }
            shapes.push((UNSTRIPPED, unstripped, false));
            shapes
        }
    }
}

/// The request methods route `r` receives: its own, or for `ANY`, those no route of the same path
/// takes by name. With `collapse`, `None` (the pattern `*`) when that is every method and the
/// path begins with a parameter, whose `?*` spans whatever the method's `*` could; elsewhere the
/// method's `*` would span into the path (`*/items` matches `GET/v1/items`), so the methods are
/// listed.
fn methods(routes: &[Route], r: usize, collapse: bool) -> Vec<Option<&'static str>> {
    let pattern = &routes[r].pattern;
    if pattern.method != "ANY" {
        return REQUEST_METHODS
            .iter()
            .find(|m| **m == pattern.method)
            .map(|m| vec![Some(*m)])
            .unwrap_or_default();
    }
    let named = |m: &str| {
        routes
            .iter()
            .any(|o| o.pattern.method == m && o.pattern.same_path(pattern))
    };
    let received: Vec<&'static str> = REQUEST_METHODS
        .iter()
        .copied()
        .filter(|m| !named(m))
        .collect();
    let starts_wild = matches!(
        pattern.segments().first(),
        Some(Segment::Param(_) | Segment::Greedy(_))
    );
    if collapse && received.len() == REQUEST_METHODS.len() && starts_wild {
        vec![None]
    } else {
        received.into_iter().map(Some).collect()
    }
}

/// The parameters of `route` a token meeting it only for its own paths is always bound to: those
/// every alternative with `pathClaims` binds (none when no alternative binds any).
pub(crate) fn always_bound(route: &Route) -> Vec<&str> {
    let mut bound = route
        .requirement
        .alternatives()
        .iter()
        .filter(|rule| !rule.path_claims.is_empty())
        .map(|rule| {
            rule.path_claims
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
        });
    let Some(first) = bound.next() else {
        return Vec::new();
    };
    let rest: Vec<Vec<&str>> = bound.collect();
    first
        .into_iter()
        .filter(|p| rest.iter().all(|other| other.contains(p)))
        .collect()
}

/// `unit`'s pattern as a token bound to `bound` writes it, for the reach search: each bound
/// parameter one whole segment ([`SEGMENT`]) where the policy writes the token's value; and when
/// the path then ends in that value, its trailing-slash form too, which the policy also writes
/// (`POST/t/acme/` beside `POST/t/acme`, where the unbound `POST/t/?*` stood for both).
pub(crate) fn bound_patterns(route: &Route, unit: &Unit, bound: &[&str]) -> Vec<String> {
    let mut tokens: Vec<&str> = unit.pattern.split('/').collect();
    for (i, segment) in route.pattern.segments().iter().enumerate() {
        if let (Segment::Param(name), Some(token)) = (segment, tokens.get_mut(i + 1))
            && bound.contains(&name.as_str())
        {
            *token = SEGMENT;
        }
    }
    let pattern = tokens.join("/");
    if tokens.last() == Some(&SEGMENT) {
        vec![format!("{pattern}/"), pattern]
    } else {
        vec![pattern]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::RouteTable;

    fn patterns(units: Vec<Unit>) -> Vec<String> {
        units.into_iter().map(|u| u.pattern).collect()
    }

    #[test]
    fn any_lists_the_methods_no_sibling_takes() {
        let t = RouteTable::parse(r#"{"ANY /x": "a", "GET /x": "b"}"#).unwrap();
        let allow = patterns(allow_units(t.routes()));
        assert!(allow.contains(&"POST/x".to_owned()) && allow.contains(&"POST/x/".to_owned()));
        assert_eq!(
            allow.iter().filter(|p| p.starts_with("GET")).count(),
            2,
            "{allow:?}"
        );
    }

    #[test]
    fn a_proxy_at_the_root_allows_with_one_pattern_and_denies_per_method() {
        let t = RouteTable::parse(r#"{"ANY /{proxy+}": "a"}"#).unwrap();
        assert_eq!(patterns(allow_units(t.routes())), ["*/?*"]);
        let deny = patterns(deny_units(t.routes()));
        assert!(deny.contains(&"GET/?*".to_owned()) && deny.contains(&"GET/?*/".to_owned()));
        assert!(!deny.iter().any(|p| p.starts_with('*')));
    }

    #[test]
    fn a_greedy_parameter_has_narrower_deny_forms() {
        let t = RouteTable::parse(r#"{"GET /files/{path+}": "a"}"#).unwrap();
        assert_eq!(patterns(allow_units(t.routes())), ["GET/files/?*"]);
        assert_eq!(
            patterns(deny_units(t.routes())),
            ["GET/files/?*", "GET/files/", "GET/files/?*/"]
        );
    }
}
