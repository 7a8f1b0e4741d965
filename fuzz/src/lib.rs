//! The harness behind the fuzz targets in `fuzz_targets/`: one loopback JWKS server, one RSA key
//! generated at start, tokens minted with it, the project's real [`Authorizer`] configured through
//! [`Config::from_lookup`], and the invariants each target asserts (a broken invariant panics,
//! which libFuzzer reports as a crash and saves the input).
//!
//! Nothing here reaches the internet: the JWKS endpoint is overridden to `127.0.0.1`. Nothing
//! secret is written anywhere except the seed tokens, which go to the (git-ignored) corpus
//! directory named by `AUTHORIZER_FUZZ_SEEDS`, signed by a key that dies with the process.
//!
//! The configuration below is repeated in `authorizer/tests/fuzz_regressions.rs`, which replays
//! `fuzz/regressions/` in the normal test suite; keep the two in step.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use authorizer::events::AuthorizerEvent;
use authorizer::mint::{self, SigningKey};
use authorizer::policy::{MethodArn, evaluate};
use authorizer::{Authorizer, Config, Decision, HandlerError, Metrics, Outcome, UserPool};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Value, json};

/// The user pool the authorizer trusts.
pub const POOL_ID: &str = "us-east-1_FuzzPool1";
/// The only app client allowed (`CLIENT_IDS`).
pub const CLIENT_ID: &str = "fuzzclient1";
/// `kid` of the key served in the JWKS.
pub const KID: &str = "fuzz-key-1";
/// The route every token-path decision is for.
pub const METHOD_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/echo";
/// `ROUTE_SCOPES` of the authorizer under test.
pub const ROUTE_SCOPES: &str = r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write", "DELETE /items/{id}": {"anyGroups": ["admins"]}, "ANY /ops/{proxy+}": {"allGroups": ["ops"]}}"#;
/// In an event input, replaced by a valid token (the `user-read` one) before parsing, so event
/// seeds and regressions can carry a token without carrying a signature.
pub const PLACEHOLDER: &str = "<ACCESS_TOKEN>";
/// Unknown-`kid` cooldown of the authorizer (the default, `JWKS_UNKNOWN_KID_COOLDOWN_SECS`).
const COOLDOWN_SECS: u64 = 10;

/// The settings the authorizer under test reads, with the JWKS endpoint at `endpoint`.
pub fn settings(endpoint: &str) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        match name {
            "USER_POOL_ID" => Some(POOL_ID),
            "CLIENT_IDS" => Some(CLIENT_ID),
            "ROUTE_SCOPES" => Some(ROUTE_SCOPES),
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(endpoint),
            _ => None,
        }
        .map(str::to_owned)
    }
}

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

/// Tokens covering every outcome the verifier has, valid signatures included, so mutations start
/// from inputs that reach the signature and claim checks.
pub fn mint_tokens(key: &SigningKey) -> Vec<Minted> {
    let pool = UserPool::from_id(POOL_ID).expect("pool id");
    let now = authorizer::unix_now();
    let day = 86_400;
    let cc = |scopes: &[&str]| mint::client_credentials_claims(&pool, CLIENT_ID, scopes, now, day);
    let user = |groups: &[&str], scopes: &[&str]| {
        mint::user_claims(&pool, CLIENT_ID, "fuzz-user", groups, scopes, now, day)
    };
    let edit = |mut claims: Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        f(claims.as_object_mut().expect("claims object"));
        claims
    };
    let header = |h: Value| move |claims: &Value| key.sign_with_header(&h, claims);
    let other_key = SigningKey::generate(KID).expect("second RSA key");
    let raw_payload = |payload: &str| {
        use base64::Engine as _;
        let b64 = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let input = format!(
            "{}.{}",
            b64(json!({"kid": KID, "alg": "RS256"}).to_string().as_bytes()),
            b64(payload.as_bytes())
        );
        format!("{input}.{}", b64(&key.sign_bytes(input.as_bytes())))
    };

    let mut tokens = vec![
        (
            "cc-read",
            key.sign(&cc(&["echo-api/read"])),
            Expect::Allowed,
        ),
        (
            "cc-read-write",
            key.sign(&cc(&["echo-api/read", "echo-api/write"])),
            Expect::Allowed,
        ),
        (
            "cc-write",
            key.sign(&cc(&["echo-api/write"])),
            Expect::Denied("scope_missing"),
        ),
        (
            "user-read",
            key.sign(&user(&["admins", "readers"], &["echo-api/read", "openid"])),
            Expect::Allowed,
        ),
        (
            "user-no-scope",
            key.sign(&user(&["ops"], &["aws.cognito.signin.user.admin"])),
            Expect::Denied("scope_missing"),
        ),
        (
            "issuer-host",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("iss".into(), json!(pool.issuers()[1]));
            })),
            Expect::Allowed,
        ),
        (
            "typ-jwt",
            header(json!({"kid": KID, "alg": "RS256", "typ": "JWT"}))(&cc(&["echo-api/read"])),
            Expect::Allowed,
        ),
        (
            "expired",
            key.sign(&mint::client_credentials_claims(
                &pool,
                CLIENT_ID,
                &["echo-api/read"],
                now - 2 * day,
                3600,
            )),
            Expect::Refused("token_expired"),
        ),
        (
            "not-yet-valid",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("nbf".into(), json!(now + 3600));
            })),
            Expect::Refused("token_not_yet_valid"),
        ),
        (
            "iat-future",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("iat".into(), json!(now + 3600));
            })),
            Expect::Refused("iat_in_future"),
        ),
        (
            "no-exp",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.remove("exp");
            })),
            Expect::Refused("exp_missing"),
        ),
        (
            "no-iat",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.remove("iat");
            })),
            Expect::Refused("iat_missing"),
        ),
        (
            "id-token",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("token_use".into(), json!("id"));
            })),
            Expect::Refused("token_use_invalid"),
        ),
        (
            "no-client-id",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.remove("client_id");
            })),
            Expect::Refused("client_id_missing"),
        ),
        (
            "other-client",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("client_id".into(), json!("otherclient2"));
            })),
            Expect::Refused("client_not_allowed"),
        ),
        (
            "empty-sub",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("sub".into(), json!(""));
            })),
            Expect::Refused("sub_missing"),
        ),
        (
            "foreign-pool",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert(
                    "iss".into(),
                    json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other0001"),
                );
            })),
            Expect::Refused("issuer_invalid"),
        ),
        (
            "claim-type",
            key.sign(&edit(cc(&["echo-api/read"]), &|c| {
                c.insert("scope".into(), json!(["echo-api/read"]));
            })),
            Expect::Refused("claim_type_invalid"),
        ),
        (
            "duplicate-claim",
            raw_payload(&format!(
                r#"{{"sub":"{CLIENT_ID}","token_use":"access","scope":"echo-api/read","iss":"{}","exp":{},"exp":{},"iat":{now},"client_id":"{CLIENT_ID}"}}"#,
                pool.issuers()[0],
                now + day,
                now + 2 * day
            )),
            Expect::Refused("token_malformed"),
        ),
        (
            "alg-none",
            header(json!({"kid": KID, "alg": "none"}))(&cc(&["echo-api/read"])),
            Expect::Refused("alg_not_allowed"),
        ),
        (
            "alg-hs256",
            header(json!({"kid": KID, "alg": "HS256"}))(&cc(&["echo-api/read"])),
            Expect::Refused("alg_not_allowed"),
        ),
        (
            "crit",
            header(json!({"kid": KID, "alg": "RS256", "crit": ["exp"]}))(&cc(&["echo-api/read"])),
            Expect::Refused("crit_unsupported"),
        ),
        (
            "no-kid",
            header(json!({"alg": "RS256"}))(&cc(&["echo-api/read"])),
            Expect::Refused("kid_missing"),
        ),
        (
            "unknown-kid",
            header(json!({"kid": "fuzz-key-2", "alg": "RS256"}))(&cc(&["echo-api/read"])),
            Expect::Refused("kid_unknown"),
        ),
        (
            "other-key",
            other_key.sign(&cc(&["echo-api/read"])),
            Expect::Refused("signature_invalid"),
        ),
    ];
    let bearer = tokens[0].1.clone();
    tokens.push(("bearer-prefix", format!("Bearer {bearer}"), Expect::Allowed));
    tokens
        .into_iter()
        .map(|(label, token, expect)| Minted {
            label,
            token,
            expect,
        })
        .collect()
}

/// The token as the verifier reads it: surrounding whitespace and a `Bearer ` prefix (any case)
/// removed. Used for the exact-match checks.
pub fn presented(value: &str) -> &str {
    let value = value.trim();
    match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim_start(),
        _ => value,
    }
}

/// Whether `value` is `token` with nothing but whitespace and a `Bearer` word around it: a
/// deliberately looser test than [`presented`], for the "never accept anything else" check.
pub fn carries(value: &str, token: &str) -> bool {
    let token = presented(token);
    value.trim_end().strip_suffix(token).is_some_and(|before| {
        let before = before.trim();
        before.is_empty() || before.eq_ignore_ascii_case("bearer")
    })
}

/// Serves `jwks` at `/{POOL_ID}/.well-known/jwks.json` on 127.0.0.1 (ephemeral port) from a
/// thread; anything else is 404. Returns the base URL.
pub fn serve_jwks(jwks: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let path = format!("/{POOL_ID}/.well-known/jwks.json");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer_http(stream, &path, &jwks);
        }
    });
    base
}

fn answer_http(mut stream: TcpStream, path: &str, jwks: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16_384 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let wanted = request.starts_with(format!("GET {path} ").as_bytes());
    let (status, body) = if wanted {
        ("200 OK", jwks)
    } else {
        ("404 Not Found", "")
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// One process's fixtures: runtime, JWKS server, key, minted tokens, the authorizer.
pub struct World {
    rt: tokio::runtime::Runtime,
    authorizer: Authorizer,
    built_at: Instant,
    pub tokens: Vec<Minted>,
    pub arn: MethodArn,
}

impl World {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let key = SigningKey::generate(KID).expect("RSA key");
        let endpoint = serve_jwks(mint::jwks([&key]).to_string());
        let config = Config::from_lookup(settings(&endpoint)).expect("harness configuration");
        let tokens = mint_tokens(&key);
        // Metric lines are dropped: a memory sink would grow by one line per decision.
        let authorizer =
            Authorizer::new(config, Metrics::discard()).expect("authorizer HTTP client");
        rt.block_on(authorizer.prefetch());
        Self {
            rt,
            authorizer,
            built_at: Instant::now(),
            tokens,
            arn: MethodArn::parse(METHOD_ARN).expect("method ARN"),
        }
    }

    pub fn decide(&self, authorization: Option<&str>, arn: &MethodArn) -> Decision {
        self.rt.block_on(self.authorizer.decide(authorization, arn))
    }

    pub fn handle(&self, payload: Value) -> Result<Value, HandlerError> {
        self.rt.block_on(self.authorizer.handle(payload))
    }

    /// The token event inputs replace [`PLACEHOLDER`] with.
    pub fn placeholder_token(&self) -> &str {
        &self.token("user-read").token
    }

    fn token(&self, label: &str) -> &Minted {
        self.tokens
            .iter()
            .find(|m| m.label == label)
            .expect("minted label")
    }

    /// Unknown `kid`s may not make the authorizer fetch more than once per cooldown window.
    fn check_fetches(&self) {
        let fetches = self
            .authorizer
            .verifier()
            .key_cache(POOL_ID)
            .map_or(0, |cache| cache.fetch_count());
        let allowed = 2 + self.built_at.elapsed().as_secs() / COOLDOWN_SECS;
        assert!(
            fetches <= allowed,
            "{fetches} JWKS fetches in {:?}",
            self.built_at.elapsed()
        );
    }
}

static WORLD: OnceLock<World> = OnceLock::new();

/// Runs `f` with the process's world, building it first if needed.
pub fn with_world<T>(f: impl FnOnce(&World) -> T) -> T {
    f(WORLD.get_or_init(World::new))
}

/// `token_path` start-up: builds the world and, when `AUTHORIZER_FUZZ_SEEDS` names a directory,
/// writes every minted token there (`minted-<label>`) as a seed.
pub fn token_path_init() {
    with_world(|world| {
        let Some(dir) = std::env::var_os("AUTHORIZER_FUZZ_SEEDS") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("seed directory");
        for minted in &world.tokens {
            std::fs::write(dir.join(format!("minted-{}", minted.label)), &minted.token)
                .expect("write seed");
        }
    });
}

/// `token_path`: the raw `Authorization` value in, the decision out, through
/// [`Authorizer::decide`] and through [`Authorizer::handle`] with a REST `TOKEN` event.
///
/// Asserts: only a value carrying one of the valid minted tokens is ever accepted, with that
/// token's grants and outcome; each minted token gets its expected outcome and reason; the
/// handler's answer agrees with the decision (401 for a refusal, a policy that allows the route
/// exactly when the decision allows it); unknown `kid`s do not make the cache fetch more than
/// once per cooldown.
pub fn token_path(data: &[u8]) {
    let value = String::from_utf8_lossy(data);
    with_world(|world| {
        let arn = world.arn.clone();
        let decision = world.decide(Some(&value), &arn);
        let exact = world
            .tokens
            .iter()
            .find(|m| presented(&m.token) == presented(&value));

        if let Some(grants) = &decision.grants {
            let carried = world
                .tokens
                .iter()
                .filter(|m| matches!(m.expect, Expect::Allowed | Expect::Denied(_)))
                .find(|m| carries(&value, &m.token));
            let Some(minted) = carried else {
                panic!(
                    "accepted a token the harness did not mint: outcome {:?}, reason {}",
                    decision.outcome(),
                    decision.reason
                );
            };
            let claims = minted_claims(&minted.token);
            assert_eq!(claims["sub"].as_str(), Some(grants.sub.as_str()));
            assert_eq!(grants.jti.as_deref(), claims["jti"].as_str());
        }
        if let Some(minted) = exact {
            let got = match decision.outcome() {
                Outcome::Allowed => Expect::Allowed,
                Outcome::Denied => Expect::Denied(decision.reason.code()),
                _ => Expect::Refused(decision.reason.code()),
            };
            assert_eq!(got, minted.expect, "minted token `{}`", minted.label);
        }

        let event = json!({"type": "TOKEN", "authorizationToken": value, "methodArn": METHOD_ARN});
        let answer = world.handle(event);
        match (&decision.grants, answer) {
            (None, Err(HandlerError::Unauthorized)) => {}
            (Some(grants), Ok(answer)) => {
                assert_eq!(answer["principalId"], json!(grants.sub));
                let policy = policy_of(&answer);
                assert_eq!(
                    evaluate(&policy, METHOD_ARN),
                    decision.outcome() == Outcome::Allowed,
                    "policy and decision disagree on {METHOD_ARN}"
                );
            }
            (grants, answer) => panic!(
                "decision ({:?}, {}, grants: {}) and TOKEN answer ({:?}) disagree",
                decision.outcome(),
                decision.reason,
                grants.is_some(),
                answer.map(|_| "answer")
            ),
        }
        world.check_fetches();
    });
}

/// A small deterministic generator for [`mutate_token`] (libFuzzer hands the mutator a seed).
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
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};

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
    let b64_char = |rng: &mut Rng| char::from(*rng.pick(B64URL));
    match rng.below(13) {
        0 => {
            let tail: String = (0..rng.below(4)).map(|_| b64_char(&mut rng)).collect();
            parts.push(tail);
        }
        1 => {
            let c = b64_char(&mut rng);
            parts[i].push(c);
        }
        2 if !parts[i].is_empty() => {
            let at = rng.below(parts[i].len());
            if parts[i].is_char_boundary(at) {
                parts[i].remove(at);
            }
        }
        3 if !parts[i].is_empty() => {
            let at = rng.below(parts[i].len());
            let with = *rng.pick::<&str>(&[
                "=", "+", "/", "%", " ", ".", "A", "B", "Q", "g", "w", "-", "_",
            ]);
            if parts[i].is_char_boundary(at) && parts[i].is_char_boundary(at + 1) {
                parts[i].replace_range(at..at + 1, with);
            }
        }
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
        6 => {
            if let Ok(raw) = URL_SAFE_NO_PAD.decode(&parts[i]) {
                parts[i] = match rng.below(3) {
                    0 => STANDARD.encode(&raw),
                    1 => URL_SAFE.encode(&raw),
                    _ => format!("{}=", parts[i]),
                };
            }
        }
        7 | 8 => {
            let which = if rng.below(2) == 0 { 1 } else { 0 };
            let decoded = parts
                .get(which)
                .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
                .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok());
            if let Some(Value::Object(mut object)) = decoded {
                let (names, values): (&[&str], Vec<Value>) = if which == 1 {
                    (
                        &[
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
                        ],
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
                        ],
                    )
                } else {
                    (
                        &["alg", "kid", "crit", "typ", "jku", "jwk", "b64"],
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
                        ],
                    )
                };
                let name = *rng.pick(names);
                match rng.below(4) {
                    0 => {
                        object.remove(name);
                    }
                    1 => {}
                    _ => {
                        object.insert(name.to_owned(), rng.pick(&values).clone());
                    }
                }
                let text = if rng.below(3) == 0 {
                    serde_json::to_string_pretty(&object)
                } else {
                    serde_json::to_string(&object)
                };
                if let Ok(text) = text {
                    parts[which] = URL_SAFE_NO_PAD.encode(text);
                }
            }
        }
        9 => {
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
            let body = parts.join(".");
            return format!("{prefix}{}{suffix}", presented(&body)).into_bytes();
        }
        10 => {
            let mut body = parts.join(".");
            let mut at = rng.below(body.len() + 1);
            while !body.is_char_boundary(at) {
                at -= 1;
            }
            body.truncate(at);
            return body.into_bytes();
        }
        11 if !parts[i].is_empty() => {
            let at = rng.below(parts[i].len());
            if let Some(c) = parts[i].get(at..).and_then(|rest| rest.chars().next()) {
                let flipped = if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                };
                parts[i].replace_range(at..at + c.len_utf8(), &flipped.to_string());
            }
        }
        _ => {
            parts.truncate(2);
            if rng.below(2) == 0 {
                parts.push(String::new());
            }
        }
    }
    parts.join(".").into_bytes()
}

fn minted_claims(token: &str) -> Value {
    use base64::Engine as _;
    let payload = presented(token).split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("minted payload");
    serde_json::from_slice(&bytes).expect("minted claims")
}

fn policy_of(answer: &Value) -> ApiGatewayCustomAuthorizerPolicy {
    serde_json::from_value(answer["policyDocument"].clone()).expect("REST answer has a policy")
}

/// Replaces every [`PLACEHOLDER`] in `data` with `token`.
pub fn substitute(data: &[u8], token: &str) -> Vec<u8> {
    let needle = PLACEHOLDER.as_bytes();
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(token.as_bytes());
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `authorizer_event`: arbitrary bytes, as JSON, through [`AuthorizerEvent::from_value`] and
/// [`Authorizer::handle`] (with [`PLACEHOLDER`] replaced by a valid token).
///
/// Asserts: a payload the parser refuses is `InvalidEvent`; a parsed event without a usable ARN
/// is `InvalidEvent`; only an event carrying the valid token gets a REST policy or
/// `isAuthorized: true`; `isAuthorized` equals the decision; a REST policy only names resources of
/// the event's own API and stage, and never allows the requested route when the decision for a
/// listed route denies it.
pub fn authorizer_event(data: &[u8]) {
    with_world(|world| {
        let token = world.placeholder_token().to_owned();
        let bytes = substitute(data, &token);
        let Ok(payload) = serde_json::from_slice::<Value>(&bytes) else {
            return;
        };
        let parsed = AuthorizerEvent::from_value(payload.clone());
        let answer = world.handle(payload);
        let event = match parsed {
            Ok(event) => event,
            Err(_) => {
                assert!(
                    matches!(answer, Err(HandlerError::InvalidEvent(_))),
                    "refused event answered {answer:?}"
                );
                return;
            }
        };
        let _ = (event.kind(), event.is_http_api());
        let Some(arn) = event.resource_arn().and_then(MethodArn::parse) else {
            assert!(
                matches!(answer, Err(HandlerError::InvalidEvent(_))),
                "event without a usable ARN answered {answer:?}"
            );
            return;
        };
        let authorization = event.authorization().map(str::to_owned);
        let carries_token = authorization.as_deref().is_some_and(|a| carries(a, &token));
        let answer = match answer {
            Ok(answer) => answer,
            Err(HandlerError::Unauthorized) => {
                assert!(!event.is_http_api(), "HTTP API event answered Unauthorized");
                return;
            }
            Err(HandlerError::InvalidEvent(e)) => {
                panic!("parsed event with a usable ARN answered InvalidEvent: {e}")
            }
        };
        let decision = world.decide(authorization.as_deref(), &arn);
        if event.is_http_api() {
            let authorized = answer["isAuthorized"].as_bool().expect("isAuthorized");
            assert!(
                !authorized || carries_token,
                "isAuthorized for a token not minted"
            );
            assert_eq!(authorized, decision.outcome() == Outcome::Allowed);
            return;
        }
        assert!(carries_token, "REST policy for a token not minted");
        assert!(decision.grants.is_some());
        let policy = policy_of(&answer);
        let own = format!(
            "arn:{}:execute-api:{}:{}:{}/{}/",
            arn.partition, arn.region, arn.account, arn.api_id, arn.stage
        );
        for statement in &policy.statement {
            for resource in &statement.resource {
                assert!(
                    resource.starts_with(&own),
                    "policy names {resource}, outside {own}"
                );
            }
        }
        let requested = arn.resource(&arn.method, arn.path.strip_prefix('/').unwrap_or(&arn.path));
        // The decision is derived from the policy: they agree on every request, listed or not.
        assert_eq!(
            evaluate(&policy, &requested),
            decision.outcome() == Outcome::Allowed,
            "policy vs decision on {requested}: {}",
            decision.reason
        );
    });
}

/// `echo_event`: arbitrary bytes, as JSON, through `echo_handler::request::Incoming::from_event`
/// and `echo_handler::handle`.
///
/// Asserts: the two agree on what is an event; an answer is a proxy response with status 200,
/// 403 or 413 and a JSON text body; 403 exactly when there is no authorizer principal; a 200
/// echoes the method and never a credential header.
pub fn echo_event(data: &[u8]) {
    use echo_handler::caller::Caller;
    use echo_handler::headers::is_redacted;
    use echo_handler::request::Incoming;

    let Ok(event) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let incoming = Incoming::from_event(event.clone());
    let answer = echo_handler::handle(event);
    let (incoming, answer) = match (incoming, answer) {
        (Err(_), Err(_)) => return,
        (Ok(incoming), Ok(answer)) => (incoming, answer),
        (incoming, answer) => panic!(
            "parser ({}) and handler ({}) disagree",
            incoming.is_ok(),
            answer.is_ok()
        ),
    };
    let status = answer["statusCode"].as_i64().expect("statusCode");
    assert!(matches!(status, 200 | 403 | 413), "status {status}");
    assert_eq!(
        status == 403,
        Caller::from_context(&incoming.authorizer).is_none(),
        "403 iff no principal"
    );
    let text = answer["body"].as_str().expect("text body");
    let body: Value = match serde_json::from_str(text) {
        Ok(body) => body,
        // An echoed JSON body nested close to serde_json's depth limit (128) is nested deeper
        // inside the answer; the answer itself is still JSON.
        Err(e) if e.to_string().contains("recursion limit") => return,
        Err(e) => panic!("body is not JSON: {e}"),
    };
    if status == 200 {
        assert_eq!(body["request"]["method"], json!(incoming.method));
        let headers = body["request"]["headers"].as_object().expect("headers");
        for name in headers.keys() {
            assert!(!is_redacted(name), "credential header {name} echoed");
        }
    }
}
