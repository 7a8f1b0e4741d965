//! The forms one request path can take on its way through API Gateway, and the canonical one
//! the route table is matched against.
//!
//! A REST API routes `/items/` to the resource `/items` (the proxy event then carries
//! `resource: "/items"` and `path: "/items/"`). What it does with empty segments (`/a//b`) and
//! with percent-encoded unreserved characters or slashes (`/%61dmin`, `/a%2Fb`) is not
//! documented (nor whether escapes are decoded once or twice), nor whether it resolves dot
//! segments (`/x/../admin`). The route table's reading of a path ([`canonical`]) takes the most
//! permissive answer to each but double decoding (decode the escapes of printable characters,
//! resolve dot segments, strip the trailing slash, drop empty segments), and the
//! policy denies every non-canonical form a caller could use to reach a route it may not call,
//! whichever reading the gateway makes (the repository's `docs/policy.md`, "Paths in other
//! forms").
//!
//! Public for hosts that route requests as API Gateway does (the repository's offline stack) and
//! for tests; [`RouteTable::find`](crate::RouteTable::find) already reads paths canonically.

/// How a gateway might read a raw request path before matching it to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Decode `%XX` escapes of printable ASCII characters (`!` to `~`; spaces, controls and bytes
    /// of multi-byte characters stay escaped).
    pub decode: bool,
    /// Decode them twice (`%2561` → `%61` → `a`), as a gateway and a backend might in turn.
    pub decode_twice: bool,
    /// Drop one trailing `/`.
    pub strip_trailing_slash: bool,
    /// Drop empty segments (`//`).
    pub drop_empty_segments: bool,
    /// Resolve `.` and `..` segments (RFC 3986 section 5.2.4).
    pub resolve_dots: bool,
}

impl Reading {
    /// Every combination of the five choices.
    pub const ALL: [Reading; 32] = {
        let mut all = [Reading::RAW; 32];
        let mut i = 0;
        while i < 32 {
            all[i] = Reading {
                decode: i & 1 != 0,
                strip_trailing_slash: i & 2 != 0,
                drop_empty_segments: i & 4 != 0,
                resolve_dots: i & 8 != 0,
                decode_twice: i & 16 != 0,
            };
            i += 1;
        }
        all
    };

    /// The path as it comes: split on `/`, nothing else.
    pub const RAW: Reading = Reading {
        decode: false,
        decode_twice: false,
        strip_trailing_slash: false,
        drop_empty_segments: false,
        resolve_dots: false,
    };

    /// The reading the route table uses: all but double decoding.
    pub const CANONICAL: Reading = Reading {
        decode: true,
        decode_twice: false,
        strip_trailing_slash: true,
        drop_empty_segments: true,
        resolve_dots: true,
    };

    /// The segments of `path` (`/a/b` → `["a", "b"]`; `/` → `[]`) under this reading. Without
    /// `drop_empty_segments`, `/a//b/` is `["a", "", "b", ""]`.
    pub fn segments(self, path: &str) -> Vec<String> {
        let decoded;
        let mut path = path.strip_prefix('/').unwrap_or(path);
        if self.decode || self.decode_twice {
            let once = decode_printable(path);
            decoded = if self.decode_twice {
                decode_printable(&once)
            } else {
                once
            };
            path = &decoded;
        }
        if self.strip_trailing_slash {
            path = path.strip_suffix('/').unwrap_or(path);
        }
        if path.is_empty() {
            return Vec::new();
        }
        let mut segments: Vec<String> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "." if self.resolve_dots => {}
                ".." if self.resolve_dots => {
                    segments.pop();
                }
                "" if self.drop_empty_segments => {}
                _ => segments.push(segment.to_owned()),
            }
        }
        // A path whose only segment is empty is `/`, the root, as the raw reading has it (RFC
        // 3986 resolves `/./` to `/`, not to an empty segment a greedy parameter could take).
        if segments.len() == 1 && segments[0].is_empty() {
            segments.clear();
        }
        segments
    }

    /// The path under this reading, as a gateway might write it into a `methodArn`.
    pub fn rewrite(self, path: &str) -> String {
        format!("/{}", self.segments(path).join("/"))
    }
}

/// The segments the route table matches: escapes of printable characters decoded once, dot
/// segments resolved, trailing slash stripped, empty segments dropped.
pub fn canonical(path: &str) -> Vec<String> {
    Reading::CANONICAL.segments(path)
}

/// True when every reading gives the same segments: no empty segment, no trailing slash (the
/// root `/` aside), no dot segment and no escape that decoding would change.
pub fn is_canonical(path: &str) -> bool {
    let raw = Reading::RAW.segments(path);
    raw == canonical(path)
}

/// Whether an escaped byte is decoded: printable ASCII (`!` to `~`), that is RFC 3986's unreserved
/// characters, `/`, the sub-delimiters, `:`, `@` and `%` itself. Spaces, controls and bytes of
/// multi-byte characters stay escaped.
pub(crate) fn is_decoded(byte: u8) -> bool {
    byte.is_ascii_graphic()
}

/// Decodes `%XX` escapes of the characters [`is_decoded`] accepts; leaves every other escape
/// (and any malformed one) as it is.
pub(crate) fn decode_printable(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| path.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|b| is_decoded(*b));
        match escaped {
            Some(b) => {
                out.push(char::from(b));
                i += 3;
            }
            None => {
                let len = utf8_len(bytes[i]);
                out.push_str(path.get(i..i + len).unwrap_or_default());
                i += len;
            }
        }
    }
    out
}

/// Length of the UTF-8 sequence starting with `first` (1 for a continuation byte, which cannot
/// start a `&str` char boundary but keeps the loop moving).
fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_of_one_path() {
        let path = "/it%65ms//a%2Fb/";
        assert_eq!(Reading::RAW.segments(path), ["it%65ms", "", "a%2Fb", ""]);
        assert_eq!(canonical(path), ["items", "a", "b"]);
        let strip = Reading {
            strip_trailing_slash: true,
            ..Reading::RAW
        };
        let dots = Reading {
            resolve_dots: true,
            ..Reading::RAW
        };
        assert_eq!(dots.segments("/x/../admin/./a"), ["admin", "a"]);
        assert_eq!(canonical("/../%2e%2e/admin"), ["admin"]);
        assert_eq!(strip.segments(path), ["it%65ms", "", "a%2Fb"]);
        assert_eq!(Reading::CANONICAL.rewrite(path), "/items/a/b");
        assert_eq!(canonical("/"), Vec::<String>::new());
        assert_eq!(canonical("//"), Vec::<String>::new());
        assert_eq!(Reading::RAW.segments("/"), Vec::<String>::new());
        assert_eq!(
            dots.segments("/./"),
            Vec::<String>::new(),
            "the root, as RFC 3986 has it"
        );
        assert_eq!(dots.segments("/a/./"), ["a", ""]);
        assert_eq!(Reading::ALL.len(), 32);
        assert!(Reading::ALL.contains(&Reading::CANONICAL));
    }

    #[test]
    fn only_printable_characters_are_decoded() {
        assert_eq!(
            decode_printable("a%20b%41%7e%2f%2F%25%zz%4%3A%3b"),
            "a%20bA~//%%zz%4:;"
        );
        assert_eq!(decode_printable("é%C3%A9"), "é%C3%A9");
        let twice = Reading {
            decode_twice: true,
            ..Reading::RAW
        };
        assert_eq!(twice.segments("/%2561dmin"), ["admin"]);
        assert_eq!(
            canonical("/%2561dmin"),
            ["%61dmin"],
            "the route table decodes once"
        );
    }

    #[test]
    fn canonical_paths() {
        for path in [
            "/",
            "/echo",
            "/items/42",
            "/a%20b",
            "/caf%C3%A9",
            "/items:purge",
        ] {
            assert!(is_canonical(path), "{path}");
        }
        for path in [
            "/echo/",
            "//echo",
            "/a//b",
            "/%65cho",
            "/a%2Fb",
            "/a/%2e",
            "/x/../echo",
            "/./echo",
        ] {
            assert!(!is_canonical(path), "{path}");
        }
    }
}
