//! Properties: no mutation of a valid token is ever accepted, and no input panics the verifier.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::OnceLock;

use authorizer::Reject;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use common::*;
use proptest::prelude::*;
use serde_json::json;

struct World {
    rt: tokio::runtime::Runtime,
    fixture: Fixture,
    token: String,
}

/// One key, one JWKS server, one valid token for the whole run (RSA key generation is slow).
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fixture = rt.block_on(Fixture::new());
        let token = fixture.key.sign(&cc_claims(&["api/read"]));
        World { rt, fixture, token }
    })
}

fn verify(token: &str) -> Result<authorizer::Grants, Reject> {
    let w = world();
    w.rt.block_on(w.fixture.verifier.verify(token))
}

fn parts(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_valid_token_is_accepted(_x in 0u8..1) {
        prop_assert!(verify(&world().token).is_ok());
    }

    #[test]
    fn no_bit_flip_is_accepted(index in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = world().token.clone().into_bytes();
        let i = index.index(bytes.len());
        bytes[i] ^= 1 << bit;
        if let Ok(token) = String::from_utf8(bytes) {
            // Flipping the unused low bits of a base64 character's final symbol would decode to the
            // same bytes; the engine rejects such non-canonical encodings, so nothing is accepted.
            prop_assert!(verify(&token).is_err(), "flipped bit {bit} of byte {i}");
        }
    }

    #[test]
    fn no_truncation_or_extension_is_accepted(cut in 1usize..400, tail in "[A-Za-z0-9_.=+/-]{1,8}") {
        let token = &world().token;
        prop_assert!(verify(&token[..token.len() - cut.min(token.len())]).is_err());
        let extended = format!("{token}{tail}");
        prop_assert!(verify(&extended).is_err());
    }

    #[test]
    fn no_reencoding_or_part_swap_is_accepted(part in 0usize..3, how in 0u8..4) {
        let mut p = parts(&world().token);
        let raw = URL_SAFE_NO_PAD.decode(&p[part]).unwrap();
        p[part] = match how {
            0 => STANDARD.encode(&raw),
            1 => URL_SAFE.encode(&raw),
            2 => format!("{}=", p[part]),
            _ => p[(part + 1) % 3].clone(),
        };
        let token = p.join(".");
        if token != world().token {
            prop_assert!(verify(&token).is_err());
        }
    }

    #[test]
    fn no_claim_edit_without_resigning_is_accepted(
        claim in prop::sample::select(vec!["scope", "exp", "sub", "client_id", "token_use", "iss", "cognito:groups", "username"]),
        value in prop_oneof![
            Just(json!("api/admin api/read")),
            Just(json!(u64::MAX / 2)),
            Just(json!("admin")),
            Just(json!(["admins"])),
            Just(json!(null)),
        ],
    ) {
        let p = parts(&world().token);
        let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&p[1]).unwrap()).unwrap();
        claims[claim] = value;
        let forged = format!("{}.{}.{}", p[0], URL_SAFE_NO_PAD.encode(claims.to_string()), p[2]);
        prop_assert!(verify(&forged).is_err());
    }

    #[test]
    fn no_input_panics(input in ".{0,600}", dots in "[.A-Za-z0-9_-]{0,600}") {
        let _ = verify(&input);
        let _ = verify(&dots);
        let _ = verify(&format!("Bearer {dots}"));
    }
}
