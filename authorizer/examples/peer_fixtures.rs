//! The Rust half of `bench/peers.sh`: writes the shared fixtures, then measures this project's
//! verifier and the bare RSA-2048 verify floor over exactly those tokens.
//!
//! `peer_fixtures fixtures DIR N` generates one RSA-2048 key and writes `DIR/fixtures.json`: the
//! pool id, region, issuer, client id, required scope, the JWKS, N valid Cognito-shaped
//! client-credentials access tokens (issued now, valid one hour) and a few invalid ones every
//! verifier must refuse (expired, wrong scope, wrong client, wrong issuer, ID token, bad signature).
//!
//! `peer_fixtures measure DIR PASSES` serves that JWKS on 127.0.0.1, prefetches it into a
//! [`Verifier`] (keys cached, one fetch), checks that every valid token passes
//! (`Verifier::verify` + the route's scope check) and every invalid one is refused, then times
//! PASSES passes over all tokens, alternating with passes of the floor (aws-lc-rs verifying the
//! same signatures with a key parsed once). Prints one JSON line per verifier with the µs/token
//! of each pass. Exits non-zero if any valid token is refused or any invalid one accepted.
//!
//! `cargo run --release -p authorizer --example peer_fixtures --features mint -- fixtures target/peers 4000`

use std::collections::HashSet;
use std::error::Error;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use authorizer::mint::{self, SigningKey};
use authorizer::{JwksClient, Requirement, UserPool, Verifier, VerifierSettings};
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const POOL_ID: &str = "us-east-1_PeerBench1";
const OTHER_POOL_ID: &str = "us-east-1_OtherPool1";
const CLIENT_ID: &str = "7d8f9a0b1c2d3e4f5a6b7c8d9e";
const OTHER_CLIENT_ID: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a";
/// A realistic client-credentials token: two custom scopes of one resource server.
const SCOPES: [&str; 2] = ["echo-api/read", "echo-api/write"];
/// What the benchmarked route needs; every verifier checks it.
const REQUIRED_SCOPE: &str = "echo-api/read";
const TOKEN_TTL_SECS: u64 = 3600;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["fixtures", dir, n] => write_fixtures(Path::new(dir), n.parse()?),
        ["measure", dir, passes] => measure(Path::new(dir), passes.parse()?),
        _ => Err("usage: peer_fixtures fixtures DIR N | peer_fixtures measure DIR PASSES".into()),
    }
}

fn fixtures_path(dir: &Path) -> PathBuf {
    dir.join("fixtures.json")
}

fn write_fixtures(dir: &Path, n: usize) -> Result<()> {
    if n == 0 {
        return Err("N must be at least 1".into());
    }
    let key = SigningKey::generate("peer-bench-key-1")?;
    let pool = UserPool::from_id(POOL_ID)?;
    let other_pool = UserPool::from_id(OTHER_POOL_ID)?;
    let now = authorizer::unix_now();
    let claims =
        |now: u64| mint::client_credentials_claims(&pool, CLIENT_ID, &SCOPES, now, TOKEN_TTL_SECS);

    let started = Instant::now();
    // Every token has its own `jti`, so no two are alike.
    let tokens: Vec<String> = (0..n).map(|_| key.sign(&claims(now))).collect();
    let signing = started.elapsed();

    let mut id_token = claims(now);
    id_token["token_use"] = json!("id");
    id_token["aud"] = json!(CLIENT_ID);
    let bad_signature = {
        let token = key.sign(&claims(now));
        let (input, sig) = token
            .rsplit_once('.')
            .ok_or("minted token has no signature")?;
        let mut sig = URL_SAFE_NO_PAD.decode(sig)?;
        sig[100] ^= 0x01;
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    };
    let negatives = json!({
        "expired": key.sign(&mint::client_credentials_claims(
            &pool, CLIENT_ID, &SCOPES, now.saturating_sub(2 * TOKEN_TTL_SECS), TOKEN_TTL_SECS)),
        "scope_missing": key.sign(&mint::client_credentials_claims(
            &pool, CLIENT_ID, &["echo-api/write"], now, TOKEN_TTL_SECS)),
        "client_not_allowed": key.sign(&mint::client_credentials_claims(
            &pool, OTHER_CLIENT_ID, &SCOPES, now, TOKEN_TTL_SECS)),
        "issuer_other_pool": key.sign(&mint::client_credentials_claims(
            &other_pool, CLIENT_ID, &SCOPES, now, TOKEN_TTL_SECS)),
        "id_token": key.sign(&id_token),
        "bad_signature": bad_signature,
    });

    let fixtures = json!({
        "pool_id": POOL_ID,
        "region": pool.region(),
        "issuer": pool.issuers()[0],
        "client_id": CLIENT_ID,
        "required_scope": REQUIRED_SCOPE,
        "generated_at": now,
        "expires_at": now + TOKEN_TTL_SECS,
        "jwks": mint::jwks([&key]),
        "tokens": tokens,
        "negatives": negatives,
    });
    std::fs::create_dir_all(dir)?;
    std::fs::write(fixtures_path(dir), serde_json::to_vec(&fixtures)?)?;
    eprintln!(
        "wrote {} tokens ({} bytes each, signed in {:.1} s) and {} invalid ones to {}",
        n,
        fixtures["tokens"][0].as_str().map_or(0, str::len),
        signing.as_secs_f64(),
        fixtures["negatives"].as_object().map_or(0, |o| o.len()),
        fixtures_path(dir).display()
    );
    Ok(())
}

fn strings(value: &Value) -> Result<Vec<String>> {
    value
        .as_array()
        .ok_or("expected an array")?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| "expected a string".into())
        })
        .collect()
}

fn micros_per_token(elapsed: Duration, n: usize) -> f64 {
    elapsed.as_secs_f64() * 1e6 / n as f64
}

fn measure(dir: &Path, passes: usize) -> Result<()> {
    let fixtures: Value = serde_json::from_slice(&std::fs::read(fixtures_path(dir))?)?;
    let pool_id = fixtures["pool_id"].as_str().ok_or("no pool_id")?;
    let client_id = fixtures["client_id"].as_str().ok_or("no client_id")?;
    let required = fixtures["required_scope"]
        .as_str()
        .ok_or("no required_scope")?;
    let tokens = strings(&fixtures["tokens"])?;
    let negatives = fixtures["negatives"].as_object().ok_or("no negatives")?;
    let n = tokens.len();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // The JWKS from 127.0.0.1, fetched once by the prefetch, as in a warm Lambda.
    let server = rt.block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::path(format!(
            "/{pool_id}/.well-known/jwks.json"
        )))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(&fixtures["jwks"]))
        .mount(&server)
        .await;
        server
    });
    let settings = VerifierSettings {
        client_ids: HashSet::from([client_id.to_owned()]),
        endpoint_override: Some(server.uri()),
        ..VerifierSettings::default()
    };
    let verifier = Verifier::new(
        vec![UserPool::from_id(pool_id)?],
        settings,
        JwksClient::new(Default::default())?,
    );
    rt.block_on(verifier.prefetch());
    let needs = Requirement::any_scope([required]);
    let check = |token: &str| -> std::result::Result<(), &'static str> {
        let grants = rt.block_on(verifier.verify(token)).map_err(|r| r.code())?;
        needs.check(&grants).map_err(|u| u.code())
    };

    // Correctness first: every valid token passes, every invalid one is refused.
    let accepted = tokens.iter().filter(|t| check(t).is_ok()).count();
    let mut refused = serde_json::Map::new();
    for (name, token) in negatives {
        let token = token.as_str().ok_or("negative token is not a string")?;
        match check(token) {
            Err(reason) => refused.insert(name.clone(), json!(reason)),
            Ok(()) => {
                return Err(format!("this project accepted the invalid token `{name}`").into());
            }
        };
    }
    if accepted != n {
        return Err(format!("this project accepted {accepted} of {n} valid tokens").into());
    }
    let fetches = verifier
        .key_cache(pool_id)
        .map_or(0, |cache| cache.fetch_count());
    if fetches != 1 {
        return Err(format!("expected exactly one JWKS fetch, saw {fetches}").into());
    }

    // The floor: the same signatures over the same signing inputs, a key parsed once.
    let jwk = &fixtures["jwks"]["keys"][0];
    let component = |name: &str| -> Result<Vec<u8>> {
        Ok(URL_SAFE_NO_PAD.decode(jwk[name].as_str().ok_or("JWK lacks n or e")?)?)
    };
    let (modulus, exponent) = (component("n")?, component("e")?);
    let key: ParsedPublicKey = RsaPublicKeyComponents {
        n: &modulus,
        e: &exponent,
    }
    .to_parsed_public_key(&signature::RSA_PKCS1_2048_8192_SHA256)
    .map_err(|_| "JWK is not an RSA public key")?;
    let signed: Vec<(&[u8], Vec<u8>)> = tokens
        .iter()
        .map(|t| -> Result<_> {
            let (input, sig) = t.rsplit_once('.').ok_or("token has no signature")?;
            Ok((input.as_bytes(), URL_SAFE_NO_PAD.decode(sig)?))
        })
        .collect::<Result<_>>()?;
    let floor_ok = signed
        .iter()
        .filter(|(input, sig)| key.verify_sig(input, sig).is_ok())
        .count();
    if floor_ok != n {
        return Err(format!("bare verify accepted {floor_ok} of {n} signatures").into());
    }

    let ours_pass = || {
        let started = Instant::now();
        let mut ok = 0usize;
        for token in &tokens {
            ok += usize::from(check(black_box(token)).is_ok());
        }
        (started.elapsed(), ok)
    };
    let floor_pass = || {
        let started = Instant::now();
        let mut ok = 0usize;
        for (input, sig) in &signed {
            ok += usize::from(key.verify_sig(black_box(input), black_box(sig)).is_ok());
        }
        (started.elapsed(), ok)
    };
    // One warm-up pass each, then alternate so both see the same machine load.
    ours_pass();
    floor_pass();
    let (mut ours, mut floor) = (Vec::new(), Vec::new());
    for _ in 0..passes.max(1) {
        let (elapsed, ok) = ours_pass();
        if ok != n {
            return Err(
                format!("this project accepted {ok} of {n} valid tokens in a timed pass").into(),
            );
        }
        ours.push(micros_per_token(elapsed, n));
        let (elapsed, ok) = floor_pass();
        if ok != n {
            return Err(format!("bare verify accepted {ok} of {n} in a timed pass").into());
        }
        floor.push(micros_per_token(elapsed, n));
    }

    let negatives_total = negatives.len();
    println!(
        "{}",
        json!({
            "id": "project",
            "label": "this project: Verifier::verify + scope check (aws-lc-rs)",
            "tokens": n,
            "accepted": accepted,
            "negatives_refused": refused,
            "negatives_total": negatives_total,
            "us_per_token": ours,
        })
    );
    println!(
        "{}",
        json!({
            "id": "floor_aws_lc_rs",
            "label": "bare RSA-2048 verify, aws-lc-rs, key parsed once",
            "tokens": n,
            "accepted": floor_ok,
            "us_per_token": floor,
        })
    );
    Ok(())
}
