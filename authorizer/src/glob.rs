//! IAM's wildcards as API Gateway applies them to a policy's `Resource`: `*` matches any run of
//! characters (`/` and `:` included), `?` exactly one. Matched on bytes, without allocating.

/// Whether `pattern` matches the whole of `text`.
pub(crate) fn matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it has absorbed up to, for backtracking. One
    // backtrack point is enough: a later `*` supersedes an earlier one (classic glob matching).
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_at, absorbed)) => {
                    p = star_at + 1;
                    t = absorbed + 1;
                    star = Some((star_at, absorbed + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Whether every text `inner` matches is also matched by `outer`, for patterns whose `?` only
/// ever stands in `?*` (one character or more, as this crate writes parameters); with any other
/// `?`, only equal patterns are said to include each other (a safe answer: a pattern is kept that
/// could have been left out).
///
/// Each `*` of `inner` stands for nothing or for a byte `outer` does not hold ([`FRESH`]), each
/// `?*` for that byte: `outer` includes `inner` exactly when it matches every such instance.
/// Where it matches one, only its own wildcards can absorb the fresh byte, and those absorb
/// whatever non-empty text the byte stands for.
pub(crate) fn includes(outer: &[u8], inner: &[u8]) -> bool {
    if !only_plus(outer) || !only_plus(inner) || outer.contains(&FRESH) {
        return outer == inner;
    }
    let stars: Vec<usize> = (0..inner.len())
        .filter(|&i| inner[i] == b'*' && (i == 0 || inner[i - 1] != b'?'))
        .collect();
    if stars.len() > 12 {
        return outer == inner;
    }
    (0..1u32 << stars.len()).all(|empty| {
        let mut instance = Vec::with_capacity(inner.len());
        let mut i = 0;
        while i < inner.len() {
            match inner[i] {
                b'?' => {
                    instance.push(FRESH);
                    i += 2;
                    continue;
                }
                b'*' => {
                    let k = stars.iter().position(|&s| s == i).unwrap_or(0);
                    if empty & (1 << k) == 0 {
                        instance.push(FRESH);
                    }
                }
                c => instance.push(c),
            }
            i += 1;
        }
        matches(outer, &instance)
    })
}

/// A byte no pattern or path holds.
const FRESH: u8 = 0x01;

/// Whether every `?` of `pattern` is the start of `?*`.
fn only_plus(pattern: &[u8]) -> bool {
    pattern
        .iter()
        .enumerate()
        .all(|(i, &c)| c != b'?' || pattern.get(i + 1) == Some(&b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(p: &str, t: &str) -> bool {
        matches(p.as_bytes(), t.as_bytes())
    }

    #[test]
    fn wildcards_behave_like_iam() {
        assert!(m("a/*/c", "a/b/c"));
        assert!(m("a/*", "a/b/c/d"));
        assert!(m("a/*", "a/"));
        assert!(!m("a/*/c", "a/b/d"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*", ""));
        assert!(m("*GET*", "x/GET/y"));
        assert!(m("*:*", "a:b"));
        assert!(!m("", "a"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
    }

    #[test]
    fn inclusion_of_patterns() {
        let inc = |o: &str, i: &str| includes(o.as_bytes(), i.as_bytes());
        assert!(inc("GET/items/*", "GET/items/*/parts"));
        assert!(inc("GET/items/*", "GET/items/"));
        assert!(!inc("GET/items/*", "GET/items"));
        assert!(inc("*/*", "GET/x"));
        assert!(!inc("GET/*/parts", "GET/*"));
        assert!(inc("a*", "a*a*"));
        assert!(!inc("a*a*", "a*"));
        assert!(inc("*", "*"));
    }

    /// A reference matcher: regular-expression semantics by dynamic programming.
    fn reference(p: &[u8], t: &[u8]) -> bool {
        let mut dp = vec![vec![false; t.len() + 1]; p.len() + 1];
        dp[0][0] = true;
        for i in 1..=p.len() {
            dp[i][0] = dp[i - 1][0] && p[i - 1] == b'*';
            for j in 1..=t.len() {
                dp[i][j] = match p[i - 1] {
                    b'*' => dp[i - 1][j] || dp[i][j - 1],
                    b'?' => dp[i - 1][j - 1],
                    c => dp[i - 1][j - 1] && c == t[j - 1],
                };
            }
        }
        dp[p.len()][t.len()]
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference(p in "[ab/*?]{0,8}", t in "[ab/]{0,10}") {
            prop_assert_eq!(matches(p.as_bytes(), t.as_bytes()), reference(p.as_bytes(), t.as_bytes()));
        }

        /// Inclusion is exact: when `includes` says no, some instance of `inner` escapes `outer`
        /// (found among instances with short runs for each `*`); when it says yes, none does.
        #[test]
        fn inclusion_is_exact(outer in "(a|b|/|\\*|\\?\\*){0,6}", inner in "(a|b|/|\\*|\\?\\*){0,6}") {
            // `?*` is written as `+` while instances are made, then each `+` takes a non-empty fill.
            let inner = inner.replace("?*", "+");
            let stars = inner.matches(['*', '+']).count();
            let fills = ["", "a", "b", "/", "ab", "ba", "a/b", "\u{1}"];
            let mut escapes = false;
            let mut choice = vec![0usize; stars];
            loop {
                let mut k = 0;
                let mut plus_empty = false;
                let text: String = inner.chars().map(|c| match c {
                    '*' | '+' => {
                        let f = fills[choice[k]]; k += 1;
                        plus_empty |= c == '+' && f.is_empty();
                        f.to_owned()
                    }
                    c => c.to_string(),
                }).collect();
                if !plus_empty && !reference(outer.as_bytes(), text.as_bytes()) { escapes = true; break; }
                let mut i = 0;
                while i < stars && choice[i] + 1 == fills.len() { choice[i] = 0; i += 1; }
                if i == stars { break; }
                choice[i] += 1;
            }
            let inner = inner.replace('+', "?*");
            prop_assert_eq!(includes(outer.as_bytes(), inner.as_bytes()), !escapes, "{} in {}", inner, outer);
        }

        /// With `?` about, a yes is still never wrong.
        #[test]
        fn inclusion_with_question_marks_is_never_wrong(outer in "[ab?*]{0,5}", inner in "[ab?*]{0,5}", t in "[ab]{0,6}") {
            if includes(outer.as_bytes(), inner.as_bytes()) && reference(inner.as_bytes(), t.as_bytes()) {
                prop_assert!(reference(outer.as_bytes(), t.as_bytes()));
            }
        }
    }
}
