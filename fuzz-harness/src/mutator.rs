//! The token-aware mutator of `token_path` (libFuzzer's custom mutator calls it for half of the
//! mutations).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

use crate::bearer::presented;
use crate::settings::{CLIENT_ID, KID, POOL_ID};
use crate::world::with_world;

/// A small deterministic generator (libFuzzer hands the mutator a seed).
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn b64_char(&mut self) -> char {
        char::from(*self.pick(B64URL))
    }
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Token-aware mutation for `token_path`'s custom mutator: starting from `input` (or, one time in
/// four, from a minted token), makes one edit a forger would try: append a part or characters,
/// change, drop or swap characters and parts, splice in a part of another minted token,
/// re-encode a part with padding or the standard alphabet, edit a claim or a header field
/// without re-signing, re-serialize the JSON, play with the `Bearer` prefix and whitespace,
/// truncate. Byte-level mutations alone almost never keep the rest of a signed token intact,
/// so without this the signature and claim checks would rarely see a near-miss.
pub fn mutate_token(input: &[u8], seed: u32) -> Vec<u8> {
    let mut rng = Rng(u64::from(seed) | 1 << 40);
    let minted: Vec<String> = with_world(|w| w.tokens.iter().map(|m| m.token.clone()).collect());
    let input = String::from_utf8_lossy(input).into_owned();
    let start = if rng.below(4) == 0 || input.is_empty() {
        presented(rng.pick::<String>(&minted)).to_owned()
    } else {
        input
    };
    let mut parts: Vec<String> = start.split('.').map(str::to_owned).collect();
    let i = rng.below(parts.len());
    match rng.below(13) {
        0 => {
            let tail: String = (0..rng.below(4)).map(|_| rng.b64_char()).collect();
            parts.push(tail);
        }
        1 => {
            let c = rng.b64_char();
            parts[i].push(c);
        }
        2 if !parts[i].is_empty() => {
            let at = rng.below(parts[i].len());
            if parts[i].is_char_boundary(at) {
                parts[i].remove(at);
            }
        }
        3 if !parts[i].is_empty() => replace_char(&mut parts[i], &mut rng),
        4 => {
            let other: Vec<&str> = presented(rng.pick::<String>(&minted)).split('.').collect();
            if let Some(part) = other.get(i) {
                parts[i] = (*part).to_owned();
            }
        }
        5 => {
            let j = rng.below(parts.len());
            if rng.below(2) == 0 {
                parts.swap(i, j);
            } else {
                let copy = parts[j].clone();
                parts.insert(i, copy);
            }
        }
        6 => reencode(&mut parts[i], &mut rng),
        7 | 8 => edit_json_part(&mut parts, &mut rng),
        9 => return rewrap(&parts.join("."), &mut rng).into_bytes(),
        10 => {
            let mut body = parts.join(".");
            let mut at = rng.below(body.len() + 1);
            while !body.is_char_boundary(at) {
                at -= 1;
            }
            body.truncate(at);
            return body.into_bytes();
        }
        11 if !parts[i].is_empty() => flip_case(&mut parts[i], &mut rng),
        _ => {
            parts.truncate(2);
            if rng.below(2) == 0 {
                parts.push(String::new());
            }
        }
    }
    parts.join(".").into_bytes()
}

/// Replaces one character of `part` with a base64, padding, separator or space character.
fn replace_char(part: &mut String, rng: &mut Rng) {
    let at = rng.below(part.len());
    let with = *rng.pick::<&str>(&[
        "=", "+", "/", "%", " ", ".", "A", "B", "Q", "g", "w", "-", "_",
    ]);
    if part.is_char_boundary(at) && part.is_char_boundary(at + 1) {
        part.replace_range(at..at + 1, with);
    }
}

/// Re-encodes a base64url part with the standard alphabet or padding.
fn reencode(part: &mut String, rng: &mut Rng) {
    if let Ok(raw) = URL_SAFE_NO_PAD.decode(&*part) {
        *part = match rng.below(3) {
            0 => STANDARD.encode(&raw),
            1 => URL_SAFE.encode(&raw),
            _ => format!("{part}="),
        };
    }
}

/// Flips the case of one ASCII letter of `part`.
fn flip_case(part: &mut String, rng: &mut Rng) {
    let at = rng.below(part.len());
    if let Some(c) = part.get(at..).and_then(|rest| rest.chars().next()) {
        let flipped = if c.is_ascii_uppercase() {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        };
        part.replace_range(at..at + c.len_utf8(), &flipped.to_string());
    }
}

/// Surrounds the token in `body` with another prefix (`Bearer` variants, whitespace, `Basic`) and
/// suffix.
fn rewrap(body: &str, rng: &mut Rng) -> String {
    let prefix = *rng.pick::<&str>(&[
        "Bearer ",
        "bearer  ",
        "BEARER\t",
        "Bearer\u{a0}",
        " \t",
        "Basic ",
        "Bearer Bearer ",
        "Bearer",
        "\u{feff}",
        "",
    ]);
    let suffix = *rng.pick::<&str>(&["", " ", "\n", "\u{a0}", ".", "\0", " x"]);
    format!("{prefix}{}{suffix}", presented(body))
}

/// Claim names the payload edits touch.
const CLAIMS: &[&str] = &[
    "scope",
    "exp",
    "iat",
    "nbf",
    "sub",
    "client_id",
    "token_use",
    "iss",
    "cognito:groups",
    "username",
    "jti",
];

/// Header fields the header edits touch.
const HEADER_FIELDS: &[&str] = &["alg", "kid", "crit", "typ", "jku", "jwk", "b64"];

/// Values a claim edit sets.
fn claim_values() -> Vec<Value> {
    vec![
        json!("echo-api/read echo-api/write"),
        json!(u64::MAX / 2),
        json!(0),
        json!("admin"),
        json!(["admins", "ops"]),
        json!("access"),
        json!(null),
        json!(1.5),
        json!(CLIENT_ID),
        json!(format!(
            "https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
        )),
    ]
}

/// Values a header edit sets.
fn header_values() -> Vec<Value> {
    vec![
        json!("RS256"),
        json!("none"),
        json!("HS256"),
        json!("rs256"),
        json!("RS512"),
        json!(KID),
        json!("fuzz-key-2"),
        json!(""),
        json!(["exp"]),
        json!(false),
        json!(null),
    ]
}

/// Decodes the payload or the header, removes, keeps or sets one field, and encodes it again
/// (compact or pretty), without re-signing.
fn edit_json_part(parts: &mut [String], rng: &mut Rng) {
    let which = if rng.below(2) == 0 { 1 } else { 0 };
    let decoded = parts
        .get(which)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok());
    let Some(Value::Object(mut object)) = decoded else {
        return;
    };
    let (names, values) = if which == 1 {
        (CLAIMS, claim_values())
    } else {
        (HEADER_FIELDS, header_values())
    };
    let name = *rng.pick(names);
    edit_field(&mut object, name, &values, rng);
    let text = if rng.below(3) == 0 {
        serde_json::to_string_pretty(&object)
    } else {
        serde_json::to_string(&object)
    };
    if let Ok(text) = text {
        parts[which] = URL_SAFE_NO_PAD.encode(text);
    }
}

/// Removes `name` (one time in four), keeps it (one in four), or sets it to one of `values`.
fn edit_field(object: &mut Map<String, Value>, name: &str, values: &[Value], rng: &mut Rng) {
    match rng.below(4) {
        0 => {
            object.remove(name);
        }
        1 => {}
        _ => {
            object.insert(name.to_owned(), rng.pick(values).clone());
        }
    }
}
