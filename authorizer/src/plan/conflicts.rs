//! Conflicts: requests of an allowed route that a needed Deny also covers, for some token.

use std::collections::BTreeSet;

use super::reachers::Reachers;
use super::units::Unit;
use crate::claims::ClaimValue;
use crate::grants::Grants;
use crate::reach::{Pattern, Reading, Router};
use crate::requirement::{Access, Need, Requirement};
use crate::routes::Route;

/// A request of an allowed route that a needed Deny also covers, for some tokens: the table says
/// "allow" for it and no whole-API policy can.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    /// The route whose requests are refused although its rule admits the token.
    pub shadowed: String,
    /// Only the trailing-slash form of its requests (`/items/`) is refused.
    pub trailing_slash: bool,
    /// The route the Deny is for.
    pub denied: String,
    /// The Deny's pattern (`METHOD/path` after the API and stage).
    pub deny_pattern: String,
    /// A route whose allowed pattern makes the Deny necessary.
    pub because_of: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.shadowed == self.denied {
            return write!(
                f,
                "`{}` is refused to tokens bound to their own paths of it (pathClaims) that may \
                 also call `{}`: the Deny `{}` that keeps `{}`'s pattern out of the other values' \
                 paths covers their own too (IAM's `*` spans `/`). Bind `{}` the same way (if it \
                 is, give both the same rule), or cache per route (per-route policies)",
                self.shadowed, self.because_of, self.deny_pattern, self.because_of, self.because_of,
            );
        }
        let form = if self.trailing_slash {
            " with a trailing slash"
        } else {
            ""
        };
        write!(
            f,
            "`{}`{form} is refused to tokens it admits that may call `{}` but not `{}`: the \
             Deny `{}` that keeps `{}`'s pattern out of `{}` covers it too (IAM's `*` spans \
             `/`). Give `{}` the rule of one of the others, or cache per route \
             (per-route policies)",
            self.shadowed,
            self.because_of,
            self.denied,
            self.deny_pattern,
            self.because_of,
            self.denied,
            self.denied,
        )
    }
}

/// For each Deny unit some Allow reaches: the other routes whose requests its pattern covers, as
/// written (`Canonical`) and in their trailing-slash form (`Stripped`).
pub(super) fn covers(
    router: &Router<'_>,
    deny: &[Unit],
    reachers: &Reachers<'_>,
) -> Vec<Vec<(u32, Reading)>> {
    let index = super::index::Index::new(deny, router.routes());
    deny.iter()
        .enumerate()
        .map(|(i, v)| {
            if reachers.all[i].is_empty() && reachers.bound[i].is_empty() {
                return Vec::new();
            }
            let pattern = Pattern::new(&v.pattern);
            let mut covered = BTreeSet::new();
            for w in index.candidates(&v.pattern) {
                let w = &deny[w as usize];
                if w.route == v.route {
                    continue;
                }
                for &reading in w.readings {
                    if matches!(reading, Reading::Canonical | Reading::Stripped)
                        && super::reaches(router, &pattern, w, &[reading])
                    {
                        covered.insert((w.route as u32, reading));
                    }
                }
            }
            covered.into_iter().collect()
        })
        .collect()
}

/// The conflicts of the table: for each Deny some token needs, the requests of allowed routes it
/// covers, for a token that needs it.
pub(super) fn conflicts(
    routes: &[Route],
    allow: &[Unit],
    deny: &[Unit],
    reachers: &Reachers<'_>,
    covers: &[Vec<(u32, Reading)>],
) -> Vec<Conflict> {
    let mut found = BTreeSet::new();
    let req = |r: usize| &routes[r].requirement;
    for (v, unit) in deny.iter().enumerate() {
        let reached_by = reachers.routes(v, allow, routes);
        // A route bound to claims (its own paths only) is denied for the other values' paths
        // wherever another allowed pattern reaches them: that Deny covers its own paths too.
        let bound = req(unit.route)
            .alternatives()
            .iter()
            .any(|r| !r.path_claims.is_empty());
        for &because in reached_by.iter().filter(|_| bound) {
            if possible(req(because), req(unit.route), req(unit.route)) {
                found.insert(Conflict {
                    shadowed: key(&routes[unit.route]),
                    trailing_slash: false,
                    denied: key(&routes[unit.route]),
                    deny_pattern: unit.pattern.clone(),
                    because_of: key(&routes[because]),
                });
            }
        }
        for &(shadowed, reading) in &covers[v] {
            let shadowed = shadowed as usize;
            for &because in &reached_by {
                if possible(req(because), req(shadowed), req(unit.route)) {
                    found.insert(Conflict {
                        shadowed: key(&routes[shadowed]),
                        trailing_slash: reading == Reading::Stripped,
                        denied: key(&routes[unit.route]),
                        deny_pattern: unit.pattern.clone(),
                        because_of: key(&routes[because]),
                    });
                }
            }
        }
    }
    // A route refused as written is refused with a trailing slash too, for the same tokens: say
    // it once (for the same three routes; with another route making the Deny necessary, the
    // tokens that meet it differ).
    let written: BTreeSet<(String, String, String)> = found
        .iter()
        .filter(|c| !c.trailing_slash)
        .map(|c| (c.shadowed.clone(), c.denied.clone(), c.because_of.clone()))
        .collect();
    found
        .into_iter()
        .filter(|c| {
            let same = (c.shadowed.clone(), c.denied.clone(), c.because_of.clone());
            !c.trailing_slash || !written.contains(&same)
        })
        .collect()
}

/// `METHOD /path` as the table writes it.
pub(super) fn key(route: &Route) -> String {
    format!("{} {}", route.pattern.method, route.pattern.path)
}

/// Whether some token may call some of `a` and of `b` but not all of `not`. Requirements only
/// ask for names and values to be held, so the tokens to try are the smallest that meet an
/// alternative of each of `a` and `b`: every name an alternative wants all of, one of each list
/// it wants any of, a path segment for each claim a path parameter is bound to.
pub(super) fn possible(a: &Requirement, b: &Requirement, not: &Requirement) -> bool {
    const MAX_TRIES: usize = 4096;
    let mut tries = 0;
    for ra in a.alternatives() {
        for rb in b.alternatives() {
            let choices: Vec<Vec<Need<'_>>> = [ra, rb].iter().flat_map(|r| r.choices()).collect();
            let mut pick = vec![0usize; choices.len()];
            loop {
                tries += 1;
                if tries > MAX_TRIES {
                    return true; // Too many to try: say it may happen.
                }
                let held: Vec<Need<'_>> = choices.iter().zip(&pick).map(|(c, &i)| c[i]).collect();
                if not.access(&holding(&held)) != Access::All {
                    return true;
                }
                if !next(&mut pick, &choices) {
                    break;
                }
            }
        }
    }
    false
}

/// The next combination of picks, `false` after the last.
fn next(pick: &mut [usize], choices: &[Vec<Need<'_>>]) -> bool {
    for (i, p) in pick.iter_mut().enumerate() {
        if *p + 1 < choices[i].len() {
            *p += 1;
            return true;
        }
        *p = 0;
    }
    false
}

/// A token holding exactly these names and claims (a segment-valued claim holds `t`).
fn holding(needs: &[Need<'_>]) -> Grants {
    let mut grants = Grants {
        sub: String::new(),
        client_id: String::new(),
        username: Some(String::new()),
        scopes: Vec::new(),
        groups: Vec::new(),
        pool_id: String::new(),
        expires_at: 0,
        jti: None,
        claims: Vec::new(),
    };
    for need in needs {
        match *need {
            Need::Scope(s) => grants.scopes.push(s.to_owned()),
            Need::Group(g) => grants.groups.push(g.to_owned()),
            Need::Claim(c, v) => grants
                .claims
                .push((c.to_owned(), ClaimValue::Text(v.to_owned()))),
            Need::Segment(c) if grants.claim(c).is_none() => {
                grants
                    .claims
                    .push((c.to_owned(), ClaimValue::Text("t".to_owned())));
            }
            Need::Segment(_) => {}
        }
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_need_a_token_that_meets_both_and_not_the_third() {
        let r = |s: &str| Requirement::from_json(&serde_json::from_str(s).unwrap()).unwrap();
        assert!(possible(&r(r#""a""#), &r(r#""a""#), &r(r#""b""#)));
        assert!(!possible(&r(r#""a""#), &r(r#""a""#), &r(r#""a""#)));
        assert!(!possible(
            &r(r#"{"allScopes":["a","b"]}"#),
            &r("{}"),
            &r(r#""b""#)
        ));
        assert!(possible(&r(r#"["a","b"]"#), &r("{}"), &r(r#""b""#)));
        assert!(!possible(
            &r(r#"{"anyGroups":["g"]}"#),
            &r("{}"),
            &r(r#"[{"anyGroups":["g"]}, "s"]"#)
        ));
    }
}
