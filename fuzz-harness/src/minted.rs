//! Tokens the harness signs at start, covering every outcome the verifier has, each with the
//! outcome the authorizer must give it.

use authorizer::UserPool;
use authorizer::mint::{self, SigningKey};
use serde_json::{Map, Value, json};

use crate::settings::{CLIENT_ID, KID, POOL_ID};

/// What the authorizer must answer for a token the harness minted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Valid, and may call `GET /echo`.
    Allowed,
    /// Valid, lacks what `GET /echo` needs (reason).
    Denied(&'static str),
    /// Refused (reason), although signed with the served key.
    Refused(&'static str),
}

/// A token signed with the served key (unless its label says otherwise) and its expected outcome.
#[derive(Debug)]
pub struct Minted {
    pub label: &'static str,
    pub token: String,
    pub expect: Expect,
}

/// Lifetime of the minted tokens, and how far in the past the expired one was issued.
const DAY: u64 = 86_400;

/// Tokens covering every outcome the verifier has, valid signatures included, so mutations start
/// from inputs that reach the signature and claim checks. The first (`cc-read`) is valid for
/// `GET /echo`; the last is it again behind `Bearer `.
pub fn mint_tokens(key: &SigningKey) -> Vec<Minted> {
    let mint = Mint {
        key,
        pool: UserPool::from_id(POOL_ID).expect("pool id"),
        now: authorizer::unix_now(),
    };
    let mut tokens = valid(&mint);
    tokens.extend(claim_refusals(&mint));
    tokens.extend(header_refusals(&mint));
    let bearer = format!("Bearer {}", tokens[0].1);
    tokens.push(("bearer-prefix", bearer, Expect::Allowed));
    tokens
        .into_iter()
        .map(|(label, token, expect)| Minted {
            label,
            token,
            expect,
        })
        .collect()
}

type Row = (&'static str, String, Expect);

/// Claims and signatures for the tables below.
struct Mint<'a> {
    key: &'a SigningKey,
    pool: UserPool,
    now: u64,
}

impl Mint<'_> {
    /// Client-credentials claims with `scopes`, valid for a day.
    fn cc(&self, scopes: &[&str]) -> Value {
        mint::client_credentials_claims(&self.pool, CLIENT_ID, scopes, self.now, DAY)
    }

    /// User claims with `groups` and `scopes`, valid for a day.
    fn user(&self, groups: &[&str], scopes: &[&str]) -> Value {
        mint::user_claims(
            &self.pool,
            CLIENT_ID,
            "fuzz-user",
            groups,
            scopes,
            self.now,
            DAY,
        )
    }

    /// `cc(["echo-api/read"])` changed by `f`, signed.
    fn read_with(&self, f: impl FnOnce(&mut Map<String, Value>)) -> String {
        let mut claims = self.cc(&["echo-api/read"]);
        f(claims.as_object_mut().expect("claims object"));
        self.key.sign(&claims)
    }

    /// `cc(["echo-api/read"])` signed under `header`.
    fn read_under(&self, header: Value) -> String {
        self.key
            .sign_with_header(&header, &self.cc(&["echo-api/read"]))
    }

    /// `payload` as the token's payload text, as is, signed.
    fn raw_payload(&self, payload: &str) -> String {
        use base64::Engine as _;
        let b64 = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let input = format!(
            "{}.{}",
            b64(json!({"kid": KID, "alg": "RS256"}).to_string().as_bytes()),
            b64(payload.as_bytes())
        );
        format!("{input}.{}", b64(&self.key.sign_bytes(input.as_bytes())))
    }
}

/// Valid tokens, allowed or denied on `GET /echo`.
fn valid(m: &Mint) -> Vec<Row> {
    let issuer_host = m.pool.issuers()[1].clone();
    vec![
        (
            "cc-read",
            m.key.sign(&m.cc(&["echo-api/read"])),
            Expect::Allowed,
        ),
        (
            "cc-read-write",
            m.key.sign(&m.cc(&["echo-api/read", "echo-api/write"])),
            Expect::Allowed,
        ),
        (
            "cc-write",
            m.key.sign(&m.cc(&["echo-api/write"])),
            Expect::Denied("scope_missing"),
        ),
        (
            "user-read",
            m.key
                .sign(&m.user(&["admins", "readers"], &["echo-api/read", "openid"])),
            Expect::Allowed,
        ),
        (
            "user-no-scope",
            m.key
                .sign(&m.user(&["ops"], &["aws.cognito.signin.user.admin"])),
            Expect::Denied("scope_missing"),
        ),
        (
            "issuer-host",
            m.read_with(|c| {
                c.insert("iss".into(), json!(issuer_host));
            }),
            Expect::Allowed,
        ),
        (
            "typ-jwt",
            m.read_under(json!({"kid": KID, "alg": "RS256", "typ": "JWT"})),
            Expect::Allowed,
        ),
    ]
}

/// Tokens signed with the served key whose claims are refused.
fn claim_refusals(m: &Mint) -> Vec<Row> {
    let now = m.now;
    let set = |name: &'static str, value: Value| {
        m.read_with(move |c| {
            c.insert(name.into(), value);
        })
    };
    let remove = |name: &'static str| {
        m.read_with(move |c| {
            c.remove(name);
        })
    };
    let expired = mint::client_credentials_claims(
        &m.pool,
        CLIENT_ID,
        &["echo-api/read"],
        now - 2 * DAY,
        3600,
    );
    let duplicate_exp = format!(
        r#"{{"sub":"{CLIENT_ID}","token_use":"access","scope":"echo-api/read","iss":"{}","exp":{},"exp":{},"iat":{now},"client_id":"{CLIENT_ID}"}}"#,
        m.pool.issuers()[0],
        now + DAY,
        now + 2 * DAY
    );
    let foreign = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other0001";
    vec![
        (
            "expired",
            m.key.sign(&expired),
            Expect::Refused("token_expired"),
        ),
        (
            "not-yet-valid",
            set("nbf", json!(now + 3600)),
            Expect::Refused("token_not_yet_valid"),
        ),
        (
            "iat-future",
            set("iat", json!(now + 3600)),
            Expect::Refused("iat_in_future"),
        ),
        ("no-exp", remove("exp"), Expect::Refused("exp_missing")),
        ("no-iat", remove("iat"), Expect::Refused("iat_missing")),
        (
            "id-token",
            set("token_use", json!("id")),
            Expect::Refused("token_use_invalid"),
        ),
        (
            "no-client-id",
            remove("client_id"),
            Expect::Refused("client_id_missing"),
        ),
        (
            "other-client",
            set("client_id", json!("otherclient2")),
            Expect::Refused("client_not_allowed"),
        ),
        (
            "empty-sub",
            set("sub", json!("")),
            Expect::Refused("sub_missing"),
        ),
        (
            "foreign-pool",
            set("iss", json!(foreign)),
            Expect::Refused("issuer_invalid"),
        ),
        (
            "claim-type",
            set("scope", json!(["echo-api/read"])),
            Expect::Refused("claim_type_invalid"),
        ),
        (
            "duplicate-claim",
            m.raw_payload(&duplicate_exp),
            Expect::Refused("token_malformed"),
        ),
    ]
}

/// Tokens with valid claims whose header or signature is refused.
fn header_refusals(m: &Mint) -> Vec<Row> {
    let other_key = SigningKey::generate(KID).expect("second RSA key");
    vec![
        (
            "alg-none",
            m.read_under(json!({"kid": KID, "alg": "none"})),
            Expect::Refused("alg_not_allowed"),
        ),
        (
            "alg-hs256",
            m.read_under(json!({"kid": KID, "alg": "HS256"})),
            Expect::Refused("alg_not_allowed"),
        ),
        (
            "crit",
            m.read_under(json!({"kid": KID, "alg": "RS256", "crit": ["exp"]})),
            Expect::Refused("crit_unsupported"),
        ),
        (
            "no-kid",
            m.read_under(json!({"alg": "RS256"})),
            Expect::Refused("kid_missing"),
        ),
        (
            "unknown-kid",
            m.read_under(json!({"kid": "fuzz-key-2", "alg": "RS256"})),
            Expect::Refused("kid_unknown"),
        ),
        (
            "other-key",
            other_key.sign(&m.cc(&["echo-api/read"])),
            Expect::Refused("signature_invalid"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique_and_every_outcome_is_covered() {
        let key = SigningKey::generate(KID).unwrap();
        let tokens = mint_tokens(&key);
        let mut labels: Vec<&str> = tokens.iter().map(|m| m.label).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), tokens.len());
        assert!(tokens.iter().any(|m| m.expect == Expect::Allowed));
        assert!(tokens.iter().any(|m| matches!(m.expect, Expect::Denied(_))));
        assert_eq!(tokens[0].label, "cc-read");
        assert_eq!(
            tokens.last().unwrap().token,
            format!("Bearer {}", tokens[0].token)
        );
    }
}
