//! Which units could meet: Deny units in a trie of their routes' path segments, per method, so
//! that a pattern is only searched against the routes its literal segments agree with (a `{param}`
//! or greedy segment agrees with any; a pattern's wildcard agrees with everything below it).

use std::collections::HashMap;

use super::units::Unit;
use crate::routes::{Route, Segment};

/// A trie of route paths: literal segments by name, parameters under one wild edge.
#[derive(Debug, Default)]
struct Node<'a> {
    literal: HashMap<&'a str, Node<'a>>,
    wild: Option<Box<Node<'a>>>,
    units: Vec<u32>,
}

impl<'a> Node<'a> {
    fn insert(&mut self, segments: &'a [Segment], unit: u32) {
        let Some((first, rest)) = segments.split_first() else {
            self.units.push(unit);
            return;
        };
        let next = match first {
            Segment::Literal(l) => self.literal.entry(l.as_str()).or_default(),
            Segment::Param(_) | Segment::Greedy(_) => self.wild.get_or_insert_default(),
        };
        next.insert(rest, unit);
    }

    /// The units of routes that agree with `tokens` (a pattern's path tokens), and some more.
    fn collect(&self, tokens: &[&str], found: &mut Vec<u32>) {
        found.extend(&self.units);
        let Some((token, rest)) = tokens.split_first() else {
            return;
        };
        if token.contains(['*', '?']) || token.is_empty() {
            self.all(found);
            return;
        }
        if let Some(next) = self.literal.get(token) {
            next.collect(rest, found);
        }
        if let Some(wild) = &self.wild {
            // A greedy parameter takes every deeper token; a `{param}` one.
            wild.collect(rest, found);
            found.extend(&wild.units);
        }
    }

    fn all(&self, found: &mut Vec<u32>) {
        found.extend(&self.units);
        self.literal.values().for_each(|n| n.all(found));
        if let Some(wild) = &self.wild {
            wild.all(found);
        }
    }
}

/// Units by method, each method's in a trie of their routes' paths.
#[derive(Debug, Default)]
pub(super) struct Index<'a> {
    tries: HashMap<&'a str, Node<'a>>,
}

impl<'a> Index<'a> {
    /// Indexes `units` (each of one method) under their routes' paths.
    pub(super) fn new(units: &[Unit], routes: &'a [Route]) -> Self {
        let mut index = Index::default();
        for (i, unit) in units.iter().enumerate() {
            let method = unit.method.unwrap_or("*");
            index
                .tries
                .entry(method)
                .or_default()
                .insert(routes[unit.route].pattern.segments(), i as u32);
        }
        index
    }

    /// The units a pattern (`METHOD/path`, method `*` for every one) may reach: same method, and
    /// a path its literal segments agree with. Sorted, without repeats.
    pub(super) fn candidates(&self, pattern: &str) -> Vec<u32> {
        let mut tokens = pattern.split('/');
        let method = tokens.next().unwrap_or("*");
        let path: Vec<&str> = tokens.collect();
        let mut found = Vec::new();
        for (m, trie) in &self.tries {
            if method == "*" {
                trie.all(&mut found);
            } else if *m == method {
                trie.collect(&path, &mut found);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}
