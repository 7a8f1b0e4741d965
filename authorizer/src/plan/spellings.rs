//! Deny patterns for the other spellings of a path: forms a gateway might read differently from
//! the way the route table does (see `request_path`), where a different reading could reach a
//! denied route.

use std::collections::BTreeSet;

use crate::request_path;

/// Deny patterns for:
/// - an empty segment anywhere (`GET//admin`, `GET/a//b`);
/// - a dot segment (`GET/x/../admin`, `GET/./admin`, `GET/a/.`);
/// - an escape of `/`, `.` or `%`, or of a character that a denied route's literal segments
///   hold (`GET/%61dmin` reaching `/admin`), in either hex case;
/// - what a second decoding could turn into an escape: `%25`, and a `%` followed by an escape
///   within two characters (`%%362`, `%6%31` both decode to `%61`, then to `a`).
///
/// Escapes of letters, digits and the rest of `0x30`-`0x7F` are denied sixteen at a time
/// (`*%6?*` covers `%60` to `%6F` and `%6f`): each is an escape the route table decodes, so a
/// request that spells its path with one is never the only way to call a route. Those of
/// `0x20`-`0x2F` are listed one by one: `%20`, a space, is not one the table decodes.
pub(super) fn patterns(denied_chars: &BTreeSet<u8>) -> Vec<String> {
    let mut patterns: Vec<String> = ["*//*", "*/./*", "*/../*", "*/.", "*/..", "*%%*", "*%?%*"]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let mut nibbles = BTreeSet::new();
    for byte in denied_chars.iter().copied().chain(*b"/.%") {
        if !request_path::is_decoded(byte) {
            continue;
        }
        match byte >> 4 {
            2 => {
                let upper = format!("{byte:02X}");
                let lower = upper.to_ascii_lowercase();
                patterns.push(format!("*%{upper}*"));
                if lower != upper {
                    patterns.push(format!("*%{lower}*"));
                }
            }
            high => {
                nibbles.insert(high);
            }
        }
    }
    patterns.extend(nibbles.into_iter().map(|high| format!("*%{high:X}?*")));
    patterns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_denied_by_nibble_outside_0x20() {
        let forms = patterns(&BTreeSet::from([b'o', b'-']));
        for p in [
            "*%6?*", "*%2F*", "*%2f*", "*%2E*", "*%2e*", "*%25*", "*%2D*", "*%2d*", "*//*",
        ] {
            assert!(forms.contains(&p.to_owned()), "{p} in {forms:?}");
        }
        assert!(
            !forms.contains(&"*%2?*".to_owned()),
            "%20 is not an escape the table decodes"
        );
    }
}
