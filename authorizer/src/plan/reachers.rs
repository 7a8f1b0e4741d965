//! Which Allow units reach each Deny unit, for the two ways a route is granted: every path of it,
//! or a token's own paths of it (bound to its claims).

use super::units::Unit;
use crate::routes::Route;

/// For each Deny unit, the Allow units that reach it: written for a token with every path of
/// their route (`all`), or for one bound to its own paths of it (`bound`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reachers<'a> {
    pub(crate) all: &'a [Vec<u32>],
    pub(crate) bound: &'a [Vec<u32>],
}

impl Reachers<'_> {
    /// The routes whose Allow reaches Deny unit `v` for some token: by a unit written for every
    /// path, if some alternative of its route grants them all; by one written for a bound token,
    /// if some alternative binds it.
    pub(crate) fn routes(&self, v: usize, allow: &[Unit], routes: &[Route]) -> Vec<usize> {
        let grants = |u: &u32, bound: bool| {
            let route = allow[*u as usize].route;
            let alternatives = routes[route].requirement.alternatives();
            alternatives
                .iter()
                .any(|rule| rule.path_claims.is_empty() != bound)
                .then_some(route)
        };
        let mut found: Vec<usize> = self.all[v]
            .iter()
            .filter_map(|u| grants(u, false))
            .chain(self.bound[v].iter().filter_map(|u| grants(u, true)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}
