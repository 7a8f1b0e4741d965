//! Token shape: `Bearer` prefix, size cap, three strict base64url parts, JSON header and typed claims.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::error::Reject;

/// The parts of a token that passed the shape checks. Nothing here is trusted yet.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    pub header: Header,
    pub claims: Claims,
    /// The payload, decoded: the claims a rule names beyond [`Claims`] are read from it.
    pub payload: Vec<u8>,
    /// `base64(header) "." base64(payload)`: the bytes the signature covers.
    pub signing_input: &'a [u8],
    pub signature: Vec<u8>,
}

/// The JOSE header fields the verifier reads. Unknown fields are ignored; `jku`, `x5u` and `jwk`
/// are never followed.
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub crit: Option<IgnoredAny>,
}

/// The claims of a Cognito access token the verifier checks or passes on. Other claims are
/// ignored. Times are NumericDates in whole seconds, as Cognito issues them.
#[derive(Debug, Deserialize, Default, Clone)]
pub(crate) struct Claims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub client_id: Option<String>,
    pub token_use: Option<String>,
    pub scope: Option<String>,
    #[serde(rename = "cognito:groups")]
    pub groups: Option<Vec<String>>,
    pub username: Option<String>,
    pub exp: Option<u64>,
    pub nbf: Option<u64>,
    pub iat: Option<u64>,
    pub jti: Option<String>,
    /// `aud`: an ID token's app client. Read as any JSON value, so that it refuses a token only
    /// where it is needed (see `token_use`).
    pub aud: Option<serde_json::Value>,
}

/// Claims whose JSON type is checked, with the type they must have.
const TYPED_CLAIMS: &[(&str, JsonType)] = &[
    ("iss", JsonType::String),
    ("sub", JsonType::String),
    ("client_id", JsonType::String),
    ("token_use", JsonType::String),
    ("scope", JsonType::String),
    ("cognito:groups", JsonType::StringArray),
    ("username", JsonType::String),
    ("exp", JsonType::Seconds),
    ("nbf", JsonType::Seconds),
    ("iat", JsonType::Seconds),
    ("auth_time", JsonType::Seconds),
    ("jti", JsonType::String),
];

#[derive(Debug, Clone, Copy)]
enum JsonType {
    String,
    StringArray,
    Seconds,
}

impl JsonType {
    fn matches(self, value: &serde_json::Value) -> bool {
        match self {
            JsonType::String => value.is_string(),
            JsonType::StringArray => value
                .as_array()
                .is_some_and(|items| items.iter().all(serde_json::Value::is_string)),
            JsonType::Seconds => value.is_u64(),
        }
    }
}

/// Removes a case-insensitive `Bearer ` prefix and surrounding spaces; a bare token passes as is.
/// What the verifier reads of an `Authorization` value, for hosts that read the token too.
pub fn strip_bearer(value: &str) -> &str {
    let value = value.trim();
    if value.eq_ignore_ascii_case("bearer") {
        return "";
    }
    match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim_start(),
        _ => value,
    }
}

/// Checks the shape of `token` (already stripped of `Bearer `) and decodes its parts.
///
/// Refuses: an empty token; more than `max_bytes` bytes; anything but exactly three non-empty
/// parts; base64 that is not unpadded, canonical base64url; a header or payload that is not a
/// UTF-8 JSON object; a duplicated or wrongly typed claim.
pub(crate) fn parse(token: &str, max_bytes: usize) -> Result<Parsed<'_>, Reject> {
    if token.is_empty() {
        return Err(Reject::TokenMissing);
    }
    if token.len() > max_bytes {
        return Err(Reject::TokenTooLarge { limit: max_bytes });
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Reject::Malformed("expected three dot-separated parts"));
    };
    if header_b64.is_empty() || payload_b64.is_empty() || signature_b64.is_empty() {
        return Err(Reject::Malformed("empty part"));
    }
    let header_json = decode_part(header_b64, "header is not base64url")?;
    let payload_json = decode_part(payload_b64, "payload is not base64url")?;
    let signature = decode_part(signature_b64, "signature is not base64url")?;

    let header: Header = parse_object(&header_json, "header is not a JSON object")?;
    let claims = parse_claims(&payload_json)?;
    let signing_input = &token.as_bytes()[..header_b64.len() + 1 + payload_b64.len()];
    Ok(Parsed {
        header,
        claims,
        payload: payload_json,
        signing_input,
        signature,
    })
}

fn decode_part(part: &str, why: &'static str) -> Result<Vec<u8>, Reject> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Reject::Malformed(why))
}

fn parse_object<'de, T: Deserialize<'de>>(json: &'de [u8], why: &'static str) -> Result<T, Reject> {
    // A derived struct would also accept a JSON array; only an object is a JWT header or claims set.
    if json.trim_ascii_start().first() != Some(&b'{') {
        return Err(Reject::Malformed(why));
    }
    serde_json::from_slice(json).map_err(|_| Reject::Malformed(why))
}

fn parse_claims(json: &[u8]) -> Result<Claims, Reject> {
    const WHY: &str = "payload is not a JSON object";
    parse_object(json, WHY).map_err(|_| diagnose_claims(json).unwrap_or(Reject::Malformed(WHY)))
}

/// Slow path, taken only for a payload that failed to parse: names the claim with the wrong type.
fn diagnose_claims(json: &[u8]) -> Option<Reject> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(json).ok()?;
    TYPED_CLAIMS.iter().find_map(|&(name, kind)| {
        let value = object.get(name)?;
        (!kind.matches(value)).then_some(Reject::ClaimType(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(payload), b64("sig"))
    }

    #[test]
    fn strips_bearer_case_insensitively() {
        assert_eq!(strip_bearer("Bearer abc"), "abc");
        assert_eq!(strip_bearer("bEaReR   abc "), "abc");
        assert_eq!(strip_bearer("abc"), "abc");
        assert_eq!(strip_bearer("Bearerabc"), "Bearerabc");
        assert_eq!(strip_bearer("Basic abc"), "Basic abc");
        assert_eq!(strip_bearer("Bearer "), "");
        assert_eq!(strip_bearer("BEARER"), "");
        assert_eq!(strip_bearer("Bearer\tabc"), "Bearer\tabc");
    }

    #[test]
    fn refuses_wrong_part_counts_and_empty_parts() {
        for t in ["a", "a.b", "a.b.c.d", "..", "a..c", ".b.c", "a.b."] {
            assert!(matches!(parse(t, 8192), Err(Reject::Malformed(_))), "{t}");
        }
        assert_eq!(parse("", 8192).unwrap_err(), Reject::TokenMissing);
    }

    #[test]
    fn refuses_oversized_before_decoding() {
        let t = "a".repeat(8193);
        assert_eq!(
            parse(&t, 8192).unwrap_err(),
            Reject::TokenTooLarge { limit: 8192 }
        );
    }

    #[test]
    fn refuses_padded_and_standard_alphabet_base64() {
        let good = token(r#"{"alg":"RS256"}"#, r#"{"sub":"x"}"#);
        assert!(parse(&good, 8192).is_ok());
        let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
        parts[2] = format!("{}==", parts[2]);
        assert!(matches!(
            parse(&parts.join("."), 8192),
            Err(Reject::Malformed(_))
        ));
        let std_alphabet = format!("{}.{}.ab+/", b64("{}"), b64("{}"));
        assert!(matches!(
            parse(&std_alphabet, 8192),
            Err(Reject::Malformed(_))
        ));
    }

    #[test]
    fn refuses_non_objects_and_non_utf8() {
        for (h, p) in [
            ("[]", "{}"),
            ("{}", "[1,2]"),
            ("{}", "\"x\""),
            ("{}", "{"),
            ("null", "{}"),
        ] {
            assert!(
                matches!(parse(&token(h, p), 8192), Err(Reject::Malformed(_))),
                "{h} {p}"
            );
        }
        let latin1 = format!(
            "{}.{}.{}",
            b64("{}"),
            URL_SAFE_NO_PAD.encode([b'{', 0xff, b'}']),
            b64("s")
        );
        assert!(matches!(parse(&latin1, 8192), Err(Reject::Malformed(_))));
    }

    #[test]
    fn names_the_claim_with_the_wrong_type() {
        for (payload, claim) in [
            (r#"{"scope":["a"]}"#, "scope"),
            (r#"{"cognito:groups":"admins"}"#, "cognito:groups"),
            (r#"{"cognito:groups":[1]}"#, "cognito:groups"),
            (r#"{"exp":"1700000000"}"#, "exp"),
            (r#"{"exp":1.5}"#, "exp"),
            (r#"{"iat":-1}"#, "iat"),
            (r#"{"sub":1}"#, "sub"),
            (r#"{"token_use":5}"#, "token_use"),
        ] {
            assert_eq!(
                parse(&token("{}", payload), 8192).unwrap_err(),
                Reject::ClaimType(claim),
                "{payload}"
            );
        }
    }

    #[test]
    fn refuses_duplicate_claims() {
        let err = parse(&token("{}", r#"{"exp":1,"exp":2}"#), 8192).unwrap_err();
        assert!(matches!(err, Reject::Malformed(_)), "{err:?}");
    }

    #[test]
    fn signing_input_is_header_dot_payload() {
        let t = token(r#"{"alg":"RS256"}"#, "{}");
        let parsed = parse(&t, 8192).unwrap();
        assert_eq!(
            parsed.signing_input,
            t.rsplit_once('.').unwrap().0.as_bytes()
        );
        assert_eq!(parsed.signature, b"sig");
    }
}
