//! A literal path segment, as routes and policy resources write it: RFC 3986 `pchar` without
//! `%` (escapes) and `*` (an IAM wildcard), never `.` or `..`.

/// Whether `c` may stand in a literal segment.
pub(crate) fn is_literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:@!$&'()+,;=".contains(c)
}

/// Whether `part` is `.` or `..`, which a client's URL library would resolve away.
pub(crate) fn is_dot_segment(part: &str) -> bool {
    part == "." || part == ".."
}

/// The longest value a path segment bound to a claim may take (API Gateway caps a `methodArn`
/// at 1,600 bytes; a tenant id is far shorter).
const MAX_SEGMENT: usize = 256;

/// Whether `value` can be a literal path segment of a route and of a policy resource.
pub(crate) fn is_segment(value: &str) -> bool {
    !value.is_empty()
        && !is_dot_segment(value)
        && value.len() <= MAX_SEGMENT
        && value.chars().all(is_literal_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_pchars_without_escapes_wildcards_slashes_or_dots() {
        for ok in ["acme", "t-1", "a.b", "a~b", "ACME_01", "x:y@z", "t(1)"] {
            assert!(is_segment(ok), "{ok}");
        }
        let long = "a".repeat(MAX_SEGMENT + 1);
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a*",
            "a?",
            "a%2F",
            "a b",
            "é",
            long.as_str(),
        ] {
            assert!(!is_segment(bad), "{bad}");
        }
    }
}
