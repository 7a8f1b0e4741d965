//! The verifier through its public API, against a loopback JWKS server.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use authorizer::mint::{self, SigningKey};
use authorizer::{Reject, TokenUse, UserPool, VerifierSettings};
use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use serde_json::json;
use wiremock::ResponseTemplate;

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn accepts_a_client_credentials_token_with_or_without_bearer() {
    let f = Fixture::new().await;
    let token = f.key.sign(&cc_claims(&["api/read", "api/write"]));
    for header in [
        format!("Bearer {token}"),
        format!("bearer {token}"),
        format!("BEARER  {token}"),
        token.clone(),
    ] {
        let grants = f.verifier.verify(&header).await.unwrap();
        assert_eq!(grants.sub, CLIENT_ID);
        assert_eq!(grants.client_id, CLIENT_ID);
        assert_eq!(grants.scopes, ["api/read", "api/write"]);
        assert_eq!(grants.username, None);
        assert!(grants.groups.is_empty());
        assert_eq!(grants.pool_id, POOL_ID);
    }
    assert_eq!(f.fetches(), 1, "keys were prefetched once and reused");
}

#[tokio::test]
async fn accepts_a_user_token_with_groups() {
    let f = Fixture::new().await;
    let claims = mint::user_claims(
        &pool(),
        CLIENT_ID,
        "alice",
        &["admins", "staff"],
        &["aws.cognito.signin.user.admin"],
        now(),
        3600,
    );
    let grants = f.verifier.verify(&f.key.sign(&claims)).await.unwrap();
    assert_eq!(grants.username.as_deref(), Some("alice"));
    assert_eq!(grants.groups, ["admins", "staff"]);
    assert_eq!(grants.scopes, ["aws.cognito.signin.user.admin"]);
    assert_ne!(grants.sub, CLIENT_ID);
}

#[tokio::test]
async fn accepts_the_newer_issuer_host() {
    let f = Fixture::new().await;
    let mut claims = cc_claims(&[]);
    claims["iss"] = json!(format!(
        "https://issuer-cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    ));
    assert!(f.verifier.verify(&f.key.sign(&claims)).await.is_ok());
}

#[tokio::test]
async fn refuses_alg_none_hs256_with_the_public_key_and_other_algorithms() {
    let f = Fixture::new().await;
    let claims = cc_claims(&["api/read"]);
    let payload = b64(claims.to_string());

    let none = format!(
        "{}.{payload}.",
        b64(json!({"alg": "none", "kid": "key-1"}).to_string())
    );
    assert_eq!(
        f.verifier.verify(&none).await.unwrap_err(),
        Reject::Malformed("empty part")
    );
    let none_sig = format!(
        "{}.{payload}.{}",
        b64(json!({"alg": "none", "kid": "key-1"}).to_string()),
        b64("x")
    );
    assert_eq!(
        f.verifier.verify(&none_sig).await.unwrap_err(),
        Reject::AlgorithmNotAllowed
    );

    // The classic confusion attack: HMAC keyed with the RSA public key (as JWK text and as n).
    let header = b64(json!({"alg": "HS256", "kid": "key-1"}).to_string());
    let input = format!("{header}.{payload}");
    for secret in [
        f.key.jwk().to_string().into_bytes(),
        URL_SAFE_NO_PAD
            .decode(f.key.jwk()["n"].as_str().unwrap())
            .unwrap(),
    ] {
        let tag = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &secret),
            input.as_bytes(),
        );
        let forged = format!("{input}.{}", b64(tag.as_ref()));
        assert_eq!(
            f.verifier.verify(&forged).await.unwrap_err(),
            Reject::AlgorithmNotAllowed
        );
    }

    for alg in [
        "RS384", "RS512", "PS256", "ES256", "rs256", "RS256 ", "EdDSA",
    ] {
        let token = f
            .key
            .sign_with_header(&json!({"alg": alg, "kid": "key-1"}), &claims);
        assert_eq!(
            f.verifier.verify(&token).await.unwrap_err(),
            Reject::AlgorithmNotAllowed,
            "{alg}"
        );
    }
    let no_alg = f.key.sign_with_header(&json!({"kid": "key-1"}), &claims);
    assert_eq!(
        f.verifier.verify(&no_alg).await.unwrap_err(),
        Reject::AlgorithmNotAllowed
    );
    let crit = f.key.sign_with_header(
        &json!({"alg": "RS256", "kid": "key-1", "crit": ["exp"]}),
        &claims,
    );
    assert_eq!(
        f.verifier.verify(&crit).await.unwrap_err(),
        Reject::CritUnsupported
    );
}

#[tokio::test]
async fn refuses_oversized_tokens_without_fetching() {
    let f = Fixture::new().await;
    let mut claims = cc_claims(&[]);
    claims["pad"] = json!("x".repeat(9000));
    let big = f.key.sign(&claims);
    assert_eq!(
        f.verifier.verify(&big).await.unwrap_err(),
        Reject::TokenTooLarge { limit: 8192 }
    );
    let megabyte = "a".repeat(1 << 20);
    assert_eq!(
        f.verifier.verify(&megabyte).await.unwrap_err(),
        Reject::TokenTooLarge { limit: 8192 }
    );
    let bigger_cap = VerifierSettings {
        max_token_bytes: 16 * 1024,
        ..fast_settings()
    };
    let g = Fixture::with_settings(bigger_cap).await;
    assert!(
        g.verifier.verify(&g.key.sign(&claims)).await.is_ok(),
        "the cap is configurable"
    );
    assert_eq!(f.fetches(), 1);
}

#[tokio::test]
async fn requires_exp_and_iat() {
    let f = Fixture::new().await;
    for (claim, reason) in [("exp", Reject::ExpMissing), ("iat", Reject::IatMissing)] {
        let mut claims = cc_claims(&[]);
        claims.as_object_mut().unwrap().remove(claim);
        assert_eq!(
            f.verifier.verify(&f.key.sign(&claims)).await.unwrap_err(),
            reason
        );
    }
}

#[tokio::test]
async fn expiry_honours_the_leeway_to_the_second() {
    let f = Fixture::new().await;
    let t = now();
    let mut claims = cc_claims(&[]);
    claims["iat"] = json!(t - 3600);
    claims["exp"] = json!(t);
    let token = f.key.sign(&claims);
    // Default leeway: 5 s. Valid while now < exp + 5.
    assert!(
        f.verifier.verify_at(&token, t + 4).await.is_ok(),
        "within leeway"
    );
    assert_eq!(
        f.verifier.verify_at(&token, t + 5).await.unwrap_err(),
        Reject::Expired,
        "at leeway"
    );
    assert_eq!(
        f.verifier.verify_at(&token, t + 6).await.unwrap_err(),
        Reject::Expired,
        "one second past"
    );
    let strict = Fixture::with_settings(VerifierSettings {
        leeway: Duration::ZERO,
        ..fast_settings()
    })
    .await;
    let token = strict.key.sign(&claims);
    assert!(strict.verifier.verify_at(&token, t - 1).await.is_ok());
    assert_eq!(
        strict.verifier.verify_at(&token, t).await.unwrap_err(),
        Reject::Expired
    );
}

#[tokio::test]
async fn refuses_nbf_and_iat_in_the_future() {
    let f = Fixture::new().await;
    let t = now();
    for (claim, reject) in [
        ("nbf", Reject::NotYetValid),
        ("iat", Reject::IssuedInFuture),
    ] {
        let mut claims = cc_claims(&[]);
        claims[claim] = json!(t + 60);
        assert_eq!(
            f.verifier
                .verify_at(&f.key.sign(&claims), t)
                .await
                .unwrap_err(),
            reject
        );
        claims[claim] = json!(t + 5);
        assert!(
            f.verifier.verify_at(&f.key.sign(&claims), t).await.is_ok(),
            "{claim} within leeway"
        );
    }
}

#[tokio::test]
async fn refuses_foreign_and_near_miss_issuers_without_fetching() {
    let f = Fixture::new().await;
    for iss in [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool".to_owned(),
        format!("https://cognito-idp.us-west-2.amazonaws.com/{POOL_ID}"),
        format!("http://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"),
        format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}/"),
        format!("https://cognito-idp.us-east-1.amazonaws.com.cn/{POOL_ID}"),
        format!("https://COGNITO-IDP.us-east-1.amazonaws.com/{POOL_ID}"),
        f.server.uri() + "/" + POOL_ID,
    ] {
        let mut claims = cc_claims(&[]);
        claims["iss"] = json!(iss);
        assert_eq!(
            f.verifier.verify(&f.key.sign(&claims)).await.unwrap_err(),
            Reject::IssuerInvalid,
            "{iss}"
        );
    }
    let mut claims = cc_claims(&[]);
    claims.as_object_mut().unwrap().remove("iss");
    assert_eq!(
        f.verifier.verify(&f.key.sign(&claims)).await.unwrap_err(),
        Reject::IssuerInvalid
    );
    assert_eq!(f.fetches(), 1);
}

#[tokio::test]
async fn refuses_an_id_token_signed_by_the_right_pool() {
    let f = Fixture::new().await;
    let mut claims = mint::user_claims(&pool(), CLIENT_ID, "alice", &[], &[], now(), 3600);
    claims["token_use"] = json!("id");
    claims["aud"] = json!(CLIENT_ID);
    assert_eq!(
        f.verifier.verify(&f.key.sign(&claims)).await.unwrap_err(),
        Reject::NotAccessToken
    );
    claims.as_object_mut().unwrap().remove("token_use");
    assert_eq!(
        f.verifier.verify(&f.key.sign(&claims)).await.unwrap_err(),
        Reject::NotAccessToken
    );
}

/// An ID token of the test pool, as Cognito issues one to `client` for `alice`.
fn id_claims(client: &str) -> serde_json::Value {
    let mut claims = mint::user_claims(&pool(), client, "alice", &["admins"], &[], now(), 3600);
    if let Some(object) = claims.as_object_mut() {
        for access_only in ["client_id", "scope", "username", "version"] {
            object.remove(access_only);
        }
    }
    claims["token_use"] = json!("id");
    claims["aud"] = json!(client);
    claims["cognito:username"] = json!("alice");
    claims
}

#[tokio::test]
async fn token_use_id_takes_id_tokens_only_and_names_their_audience_the_client() {
    let settings = VerifierSettings {
        token_use: TokenUse::Id,
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    let grants = f
        .verifier
        .verify(&f.key.sign(&id_claims(CLIENT_ID)))
        .await
        .unwrap();
    assert_eq!(grants.client_id, CLIENT_ID);
    assert_eq!(grants.groups, ["admins"]);
    assert!(grants.scopes.is_empty() && grants.username.is_none());
    assert_eq!(
        f.verifier
            .verify(&f.key.sign(&cc_claims(&["api/read"])))
            .await
            .unwrap_err(),
        Reject::NotIdToken,
        "an access token is not an ID token"
    );
    assert_eq!(Reject::NotIdToken.code(), Reject::NotAccessToken.code());
    let mut listed = id_claims(CLIENT_ID);
    listed["aud"] = json!([CLIENT_ID]);
    assert_eq!(
        f.verifier.verify(&f.key.sign(&listed)).await.unwrap_err(),
        Reject::ClaimType("aud")
    );
    let mut expired = id_claims(CLIENT_ID);
    expired["exp"] = json!(now() - 3600);
    assert_eq!(
        f.verifier.verify(&f.key.sign(&expired)).await.unwrap_err(),
        Reject::Expired,
        "every other check is the access token's"
    );
}

#[tokio::test]
async fn token_use_any_takes_both_kinds_and_checks_aud_before_client_id() {
    let settings = VerifierSettings {
        token_use: TokenUse::Any,
        client_ids: ["people-client".to_owned(), CLIENT_ID.to_owned()].into(),
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    let id = f
        .verifier
        .verify(&f.key.sign(&id_claims("people-client")))
        .await
        .unwrap();
    assert_eq!(id.client_id, "people-client");
    let access = f
        .verifier
        .verify(&f.key.sign(&cc_claims(&["api/read"])))
        .await
        .unwrap();
    assert_eq!(
        (access.client_id.as_str(), access.scopes.len()),
        (CLIENT_ID, 1)
    );
    // With both claims, aud is the one checked: here it names a client not allowed.
    let mut both = cc_claims(&[]);
    both["aud"] = json!("someone-else");
    assert_eq!(
        f.verifier.verify(&f.key.sign(&both)).await.unwrap_err(),
        Reject::ClientNotAllowed
    );
    assert_eq!(
        f.verifier
            .verify(&f.key.sign(&id_claims("someone-else")))
            .await
            .unwrap_err(),
        Reject::ClientNotAllowed
    );
}

#[tokio::test]
async fn the_default_still_refuses_id_tokens_whatever_their_audience() {
    let settings = VerifierSettings {
        client_ids: [CLIENT_ID.to_owned()].into(),
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    assert_eq!(VerifierSettings::default().token_use, TokenUse::Access);
    assert_eq!(
        f.verifier
            .verify(&f.key.sign(&id_claims(CLIENT_ID)))
            .await
            .unwrap_err(),
        Reject::NotAccessToken
    );
    // An access token's `aud`, whatever it holds, is not read.
    let mut with_aud = cc_claims(&[]);
    with_aud["aud"] = json!(["x", 1]);
    assert!(f.verifier.verify(&f.key.sign(&with_aud)).await.is_ok());
}

#[tokio::test]
async fn enforces_the_client_allow_list() {
    let settings = VerifierSettings {
        client_ids: ["allowed-client".to_owned()].into(),
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    assert_eq!(
        f.verifier
            .verify(&f.key.sign(&cc_claims(&[])))
            .await
            .unwrap_err(),
        Reject::ClientNotAllowed
    );
    let ok = mint::client_credentials_claims(&pool(), "allowed-client", &[], now(), 60);
    assert!(f.verifier.verify(&f.key.sign(&ok)).await.is_ok());
    let mut no_client = ok.clone();
    no_client.as_object_mut().unwrap().remove("client_id");
    assert_eq!(
        f.verifier
            .verify(&f.key.sign(&no_client))
            .await
            .unwrap_err(),
        Reject::ClientIdMissing
    );
    let mut no_sub = ok;
    no_sub["sub"] = json!("");
    assert_eq!(
        f.verifier.verify(&f.key.sign(&no_sub)).await.unwrap_err(),
        Reject::SubMissing
    );
}

#[tokio::test]
async fn kid_missing_unknown_and_rotated() {
    let f = Fixture::new().await;
    let claims = cc_claims(&[]);
    let no_kid = f.key.sign_with_header(&json!({"alg": "RS256"}), &claims);
    assert_eq!(
        f.verifier.verify(&no_kid).await.unwrap_err(),
        Reject::KidMissing
    );
    let empty_kid = f
        .key
        .sign_with_header(&json!({"alg": "RS256", "kid": ""}), &claims);
    assert_eq!(
        f.verifier.verify(&empty_kid).await.unwrap_err(),
        Reject::KidMissing
    );

    tokio::time::sleep(Duration::from_millis(350)).await; // past the cooldown after the prefetch
    let stranger = SigningKey::generate("key-2").unwrap();
    assert_eq!(
        f.verifier
            .verify(&stranger.sign(&claims))
            .await
            .unwrap_err(),
        Reject::KidUnknown
    );
    assert_eq!(f.fetches(), 2, "an unknown kid refetches once");

    // Rotation: key-2 appears in the JWKS; after the cooldown one refetch finds it.
    serve_jwks(&f.server, POOL_ID, jwks_ok(&[&f.key, &stranger])).await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(f.verifier.verify(&stranger.sign(&claims)).await.is_ok());
    assert_eq!(f.fetches(), 3);
    assert!(f.verifier.verify(&stranger.sign(&claims)).await.is_ok());
    assert!(f.verifier.verify(&f.key.sign(&claims)).await.is_ok());
    assert_eq!(f.fetches(), 3, "known kids never fetch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_kid_flood_fetches_at_most_once_per_window() {
    let settings = VerifierSettings {
        cache: authorizer::CacheSettings {
            unknown_kid_cooldown: Duration::from_secs(60),
            ..Default::default()
        },
        ..fast_settings()
    };
    let f = Arc::new(Fixture::with_settings(settings).await);
    let claims = cc_claims(&[]);
    let forged: Vec<String> = (0..200)
        .map(|i| {
            f.key.sign_with_header(
                &json!({"alg": "RS256", "kid": format!("forged-{i}")}),
                &claims,
            )
        })
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for token in forged {
        let f = Arc::clone(&f);
        tasks.spawn(async move { f.verifier.verify(&token).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap().unwrap_err(), Reject::KidUnknown);
    }
    assert_eq!(
        f.fetches(),
        1,
        "only the prefetch: the flood came inside the cooldown window"
    );
    assert_eq!(f.requests().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_cache_under_concurrent_load_fetches_once() {
    let server = wiremock::MockServer::start().await;
    let key = SigningKey::generate("key-1").unwrap();
    serve_jwks(
        &server,
        POOL_ID,
        jwks_ok(&[&key]).set_delay(Duration::from_millis(200)),
    )
    .await;
    let verifier = Arc::new(verifier_for(&server, vec![pool()], fast_settings()));
    let token = Arc::new(key.sign(&cc_claims(&[])));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let (v, t) = (Arc::clone(&verifier), Arc::clone(&token));
        tasks.spawn(async move { v.verify(&t).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert!(result.unwrap().is_ok());
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn jwks_down_at_start_then_back() {
    let server = wiremock::MockServer::start().await;
    let key = SigningKey::generate("key-1").unwrap();
    serve_jwks(&server, POOL_ID, ResponseTemplate::new(503)).await;
    let verifier = verifier_for(&server, vec![pool()], fast_settings());
    verifier.prefetch().await;
    let token = key.sign(&cc_claims(&[]));
    let err = verifier.verify(&token).await.unwrap_err();
    assert_eq!(err, Reject::JwksUnavailable);
    assert!(err.is_infrastructure());

    serve_jwks(&server, POOL_ID, jwks_ok(&[&key])).await;
    tokio::time::sleep(Duration::from_millis(150)).await; // past retry_after_error
    assert!(verifier.verify(&token).await.is_ok());
}

#[tokio::test]
async fn jwks_slow_times_out_and_the_invocation_stays_bounded() {
    let server = wiremock::MockServer::start().await;
    let key = SigningKey::generate("key-1").unwrap();
    serve_jwks(
        &server,
        POOL_ID,
        jwks_ok(&[&key]).set_delay(Duration::from_secs(5)),
    )
    .await;
    let settings = VerifierSettings {
        endpoint_override: Some(server.uri()),
        ..fast_settings()
    };
    let verifier =
        authorizer::Verifier::new(vec![pool()], settings, client(Duration::from_millis(300)));
    let started = Instant::now();
    assert_eq!(
        verifier
            .verify(&key.sign(&cc_claims(&[])))
            .await
            .unwrap_err(),
        Reject::JwksUnavailable
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded by the 300 ms fetch timeout, took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn bad_jwks_documents_fail_closed() {
    let key = SigningKey::generate("key-1").unwrap();
    let mut enc = key.jwk();
    enc["use"] = json!("enc");
    let huge = json!({"keys": [key.jwk()], "pad": "x".repeat(200_000)});
    for (name, response) in [
        ("oversized", ResponseTemplate::new(200).set_body_json(huge)),
        (
            "html",
            ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"),
        ),
        (
            "truncated",
            ResponseTemplate::new(200).set_body_string(&mint::jwks([&key]).to_string()[..100]),
        ),
        (
            "no keys",
            ResponseTemplate::new(200).set_body_json(json!({"nokeys": []})),
        ),
        (
            "empty keys",
            ResponseTemplate::new(200).set_body_json(json!({"keys": []})),
        ),
        (
            "use enc only",
            ResponseTemplate::new(200).set_body_json(json!({"keys": [enc]})),
        ),
        (
            "500",
            ResponseTemplate::new(500).set_body_json(mint::jwks([&key])),
        ),
        (
            "redirect",
            ResponseTemplate::new(302).insert_header("location", "/elsewhere"),
        ),
    ] {
        let server = wiremock::MockServer::start().await;
        serve_jwks(&server, POOL_ID, response).await;
        let verifier = verifier_for(&server, vec![pool()], fast_settings());
        let err = verifier
            .verify(&key.sign(&cc_claims(&[])))
            .await
            .unwrap_err();
        assert_eq!(err, Reject::JwksUnavailable, "{name}");
    }
}

#[tokio::test]
async fn a_jwk_with_use_enc_is_skipped_not_fatal() {
    let server = wiremock::MockServer::start().await;
    let good = SigningKey::generate("good").unwrap();
    let enc_key = SigningKey::generate("enc").unwrap();
    let mut enc = enc_key.jwk();
    enc["use"] = json!("enc");
    serve_jwks(
        &server,
        POOL_ID,
        ResponseTemplate::new(200).set_body_json(json!({"keys": [enc, good.jwk()]})),
    )
    .await;
    let verifier = verifier_for(&server, vec![pool()], fast_settings());
    assert!(verifier.verify(&good.sign(&cc_claims(&[]))).await.is_ok());
    assert_eq!(
        verifier
            .verify(&enc_key.sign(&cc_claims(&[])))
            .await
            .unwrap_err(),
        Reject::KidUnknown
    );
}

#[tokio::test]
async fn wrong_signatures_are_refused() {
    let f = Fixture::new().await;
    let token = f.key.sign(&cc_claims(&["api/read"]));
    let (input, sig) = token.rsplit_once('.').unwrap();

    let mut bytes = URL_SAFE_NO_PAD.decode(sig).unwrap();
    bytes[10] ^= 1;
    let flipped = format!("{input}.{}", b64(&bytes));
    assert_eq!(
        f.verifier.verify(&flipped).await.unwrap_err(),
        Reject::SignatureInvalid
    );

    let impostor = SigningKey::generate("key-1").unwrap();
    let same_kid = impostor.sign(&cc_claims(&["api/read"]));
    assert_eq!(
        f.verifier.verify(&same_kid).await.unwrap_err(),
        Reject::SignatureInvalid
    );

    let mut escalated = cc_claims(&["api/read", "api/admin"]);
    escalated["exp"] = json!(now() + 86_400);
    let swapped = format!(
        "{}.{}.{sig}",
        input.split('.').next().unwrap(),
        b64(escalated.to_string())
    );
    assert_eq!(
        f.verifier.verify(&swapped).await.unwrap_err(),
        Reject::SignatureInvalid
    );

    let short = format!("{input}.{}", b64(&bytes[..128]));
    assert_eq!(
        f.verifier.verify(&short).await.unwrap_err(),
        Reject::SignatureInvalid
    );
}

#[tokio::test]
async fn truncated_padded_and_non_utf8_tokens_are_malformed() {
    let f = Fixture::new().await;
    let token = f.key.sign(&cc_claims(&[]));
    let parts: Vec<&str> = token.split('.').collect();
    // Make the payload's length need padding, so its padded standard encoding differs.
    let mut claims = cc_claims(&[]);
    while claims.to_string().len().is_multiple_of(3) {
        claims["x"] = json!(claims["x"].as_str().unwrap_or("").to_owned() + "x");
    }
    let padded_payload = format!(
        "{}.{}.{}",
        parts[0],
        STANDARD.encode(claims.to_string()),
        parts[2]
    );
    let cases = [
        token[..token.len() - 1].to_owned(),
        token[..token.rfind('.').unwrap()].to_owned(),
        format!("{}=", token),
        format!("{}.{}==.{}", parts[0], parts[1], parts[2]),
        padded_payload,
        format!(
            "{}.{}.{}",
            &parts[0][..parts[0].len() - 1],
            parts[1],
            parts[2]
        ),
        format!("{}.{}.+{}", parts[0], parts[1], &parts[2][1..]),
        format!(
            "{}.{}",
            b64([0xffu8, 0xfe, b'{']),
            &token[parts[0].len() + 1..]
        ),
        format!(
            "{}.{}.{}",
            parts[0],
            b64([b'{', 0xc3, 0x28, b'}']),
            parts[2]
        ),
        format!("{token}.{}", parts[2]),
        token.replace('.', ". "),
    ];
    for bad in cases {
        assert_ne!(bad, token);
        let err = f.verifier.verify(&bad).await.unwrap_err();
        assert!(
            matches!(err, Reject::Malformed(_) | Reject::SignatureInvalid),
            "{bad}: {err:?}"
        );
        assert_ne!(
            err,
            Reject::SignatureInvalid,
            "shape checks come first: {bad}"
        );
    }
}

#[tokio::test]
async fn wrongly_typed_claims_are_refused_before_the_signature() {
    let f = Fixture::new().await;
    for (claim, value) in [
        ("scope", json!(["api/read"])),
        ("cognito:groups", json!("admins")),
        ("exp", json!("soon")),
        ("client_id", json!(7)),
    ] {
        let mut claims = cc_claims(&[]);
        claims[claim] = value;
        let token = f.key.sign(&claims);
        let name = match claim {
            "scope" => "scope",
            "cognito:groups" => "cognito:groups",
            "exp" => "exp",
            _ => "client_id",
        };
        assert_eq!(
            f.verifier.verify(&token).await.unwrap_err(),
            Reject::ClaimType(name)
        );
    }
}

#[tokio::test]
async fn several_pools_each_with_its_own_keys() {
    let server = wiremock::MockServer::start().await;
    let other_pool = UserPool::from_id("eu-west-1_Second").unwrap();
    let key_a = SigningKey::generate("a").unwrap();
    let key_b = SigningKey::generate("b").unwrap();
    server.reset().await;
    for (p, k) in [(POOL_ID, &key_a), ("eu-west-1_Second", &key_b)] {
        wiremock::Mock::given(wiremock::matchers::path(jwks_path(p)))
            .respond_with(jwks_ok(&[k]))
            .mount(&server)
            .await;
    }
    let verifier = verifier_for(&server, vec![pool(), other_pool.clone()], fast_settings());
    verifier.prefetch().await;
    let a = key_a.sign(&cc_claims(&[]));
    let b = key_b.sign(&mint::client_credentials_claims(
        &other_pool,
        "c2",
        &[],
        now(),
        60,
    ));
    assert_eq!(verifier.verify(&a).await.unwrap().pool_id, POOL_ID);
    assert_eq!(
        verifier.verify(&b).await.unwrap().pool_id,
        "eu-west-1_Second"
    );
    // Pool B's key presented with pool A's issuer: not in A's JWKS.
    let crossed = key_b.sign(&cc_claims(&[]));
    assert_eq!(
        verifier.verify(&crossed).await.unwrap_err(),
        Reject::KidUnknown
    );
}

#[tokio::test]
async fn stale_keys_serve_while_refresh_fails_within_the_bound() {
    let settings = VerifierSettings {
        cache: authorizer::CacheSettings {
            ttl: Duration::from_millis(200),
            max_stale: Duration::from_millis(1200),
            unknown_kid_cooldown: Duration::from_millis(50),
            retry_after_error: Duration::from_millis(50),
        },
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    let token = f.key.sign(&cc_claims(&[]));
    serve_jwks(&f.server, POOL_ID, ResponseTemplate::new(500)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        f.verifier.verify(&token).await.is_ok(),
        "stale key served, refresh starts in the background"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(f.fetches() >= 2, "a background refresh was attempted");
    assert!(
        f.verifier.verify(&token).await.is_ok(),
        "still within max_stale"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        f.verifier.verify(&token).await.unwrap_err(),
        Reject::JwksUnavailable,
        "past max_stale: fail closed"
    );
    serve_jwks(&f.server, POOL_ID, jwks_ok(&[&f.key])).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        f.verifier.verify(&token).await.is_ok(),
        "recovers when the endpoint heals"
    );
}

#[tokio::test]
async fn a_rotated_key_replaces_the_old_one_after_the_ttl() {
    let settings = VerifierSettings {
        cache: authorizer::CacheSettings {
            ttl: Duration::from_millis(150),
            unknown_kid_cooldown: Duration::from_millis(50),
            ..Default::default()
        },
        ..fast_settings()
    };
    let f = Fixture::with_settings(settings).await;
    let old = f.key.sign(&cc_claims(&[]));
    let new_key = SigningKey::generate("key-new").unwrap();
    serve_jwks(&f.server, POOL_ID, jwks_ok(&[&new_key])).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        f.verifier.verify(&old).await.is_ok(),
        "served stale once; the refresh runs in the background"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        f.verifier.verify(&old).await.unwrap_err(),
        Reject::KidUnknown,
        "the removed key is gone"
    );
    assert!(
        f.verifier
            .verify(&new_key.sign(&cc_claims(&[])))
            .await
            .is_ok()
    );
}
