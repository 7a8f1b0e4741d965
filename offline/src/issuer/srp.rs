//! The server side of Cognito's SRP sign-in (`USER_SRP_AUTH` then `PASSWORD_VERIFIER`): SRP-6a
//! over RFC 5054's 3072-bit group with SHA-256, Cognito's own padding, key derivation and claim
//! signature, as amazon-cognito-identity-js, pycognito and the `cognito_srp` crate compute them.
//!
//! - `x = H(PAD(salt) | H(poolName | userId | ":" | password))`, `v = g^x` (kept, never the password)
//! - `k = H(PAD(N) | PAD(g))`, `B = k·v + g^b`, `u = H(PAD(A) | PAD(B))`, `S = (A·v^u)^b`
//! - `key = HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key")`, 16 bytes
//! - claim = `HMAC-SHA256(key, poolName | userId | secretBlock | timestamp)`, base64
//!
//! `PAD` is the big-endian bytes of a number with a zero byte in front when the high bit is set
//! (the clients' `padHex`). `poolName` is the part of the pool id after `_`.

use std::sync::LazyLock;

use aws_lc_rs::{digest, hmac};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use num_bigint::BigUint;

/// RFC 5054's 3072-bit group prime.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

static GROUP: LazyLock<Group> = LazyLock::new(|| {
    // The constant above is valid hex; a failure here would be a typo caught by every test.
    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
    let g = BigUint::from(2u8);
    let k = number(&sha256(&[&pad(&n), &pad(&g)]));
    Group { n, g, k }
});

const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// What is stored for a user instead of the password: the salt and `v = g^x mod N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SrpVerifier {
    /// 16 random bytes whose first byte is in `0x10..=0x7F`, so that every client reads the
    /// same bytes back from its hex (some parse it as a number and would drop a leading zero).
    pub(crate) salt: Vec<u8>,
    /// `v`, big-endian.
    pub(crate) verifier: Vec<u8>,
}

impl SrpVerifier {
    /// The verifier of `password` for `user_id` (the `USER_ID_FOR_SRP`) in pool `pool_name`.
    pub(crate) fn new(pool_name: &str, user_id: &str, password: &str, salt: Vec<u8>) -> Self {
        let x = private_key(pool_name, user_id, password, &salt);
        let v = GROUP.g.modpow(&x, &GROUP.n);
        Self {
            salt,
            verifier: v.to_bytes_be(),
        }
    }

    /// A fresh salt (see [`SrpVerifier::salt`]).
    pub(crate) fn random_salt() -> Result<Vec<u8>, aws_lc_rs::error::Unspecified> {
        let mut salt = vec![0u8; 16];
        aws_lc_rs::rand::fill(&mut salt)?;
        salt[0] = 0x10 + salt[0] % 0x70;
        Ok(salt)
    }

    /// What the first step answers for a name nobody has (RFC 5054 §2.5.1.3's simulated
    /// response, as Cognito gives it): a salt, a verifier and a user id (`USER_ID_FOR_SRP`, in
    /// UUID form), derived from the pool's `secret` and the name's key, so the same every time
    /// for the same name and pool, and shaped as a user's. Nobody knows a password for the
    /// verifier (a number below N the secret gives, not `g^x` of anything), so the exchange never
    /// completes.
    pub(crate) fn simulated(secret: &[u8], name_key: &str) -> (Self, String) {
        let keyed = |label: &str| {
            let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
            let message = [label.as_bytes(), &[0], name_key.as_bytes()].concat();
            hmac::sign(&key, &message).as_ref().to_vec()
        };
        let mut salt = keyed("salt")[..16].to_vec();
        salt[0] = 0x10 + salt[0] % 0x70;
        let bytes: Vec<u8> = (0..12)
            .flat_map(|i| keyed(&format!("verifier {i}")))
            .collect();
        let verifier = (BigUint::from_bytes_be(&bytes) % &GROUP.n).to_bytes_be();
        let id = keyed("user id");
        let user_id = uuid(&id[..16]);
        (Self { salt, verifier }, user_id)
    }

    #[cfg(test)]
    /// Whether `password` is the one this verifier was made from.
    pub(crate) fn matches(&self, pool_name: &str, user_id: &str, password: &str) -> bool {
        let again = Self::new(pool_name, user_id, password, self.salt.clone());
        aws_lc_rs::constant_time::verify_slices_are_equal(&again.verifier, &self.verifier).is_ok()
    }
}

/// The server's half of one SRP exchange, kept between `InitiateAuth` and
/// `RespondToAuthChallenge`.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    b: BigUint,
    big_b: BigUint,
    big_a: BigUint,
}

/// Most hexadecimal digits `SRP_A` may have: N's 768 (3072 bits), since A = g^a mod N is below
/// it; clients send A's digits without padding, so they never need more.
pub(crate) const MAX_A_HEX_DIGITS: usize = 768;

/// Why an SRP exchange cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SrpError {
    #[error("SRP_A is longer than {MAX_A_HEX_DIGITS} hexadecimal digits")]
    TooLong,
    #[error("SRP_A is not a hexadecimal number")]
    NotHex,
    #[error("SRP_A is not below N")]
    NotBelowN,
    #[error("SRP_A is zero")]
    ZeroA,
    #[error("no randomness")]
    Random,
}

/// `SRP_A` as a number in `1..N`: its length is checked before it is read, so a caller cannot
/// make the server parse (and multiply) a number of megabytes.
fn public_a(srp_a_hex: &str) -> Result<BigUint, SrpError> {
    if srp_a_hex.len() > MAX_A_HEX_DIGITS {
        return Err(SrpError::TooLong);
    }
    if srp_a_hex.is_empty() || !srp_a_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SrpError::NotHex);
    }
    let big_a = BigUint::parse_bytes(srp_a_hex.as_bytes(), 16).ok_or(SrpError::NotHex)?;
    if big_a >= GROUP.n {
        return Err(SrpError::NotBelowN);
    }
    if big_a == BigUint::ZERO {
        return Err(SrpError::ZeroA);
    }
    Ok(big_a)
}

impl Exchange {
    /// Starts an exchange for the client's `SRP_A` (hex, at most [`MAX_A_HEX_DIGITS`] digits, a
    /// number in `1..N`) against the user's verifier.
    pub(crate) fn start(srp_a_hex: &str, user: &SrpVerifier) -> Result<Self, SrpError> {
        let big_a = public_a(srp_a_hex)?;
        let v = BigUint::from_bytes_be(&user.verifier);
        loop {
            let mut b = [0u8; 32];
            aws_lc_rs::rand::fill(&mut b).map_err(|_| SrpError::Random)?;
            let b = BigUint::from_bytes_be(&b);
            let big_b = (&GROUP.k * &v + GROUP.g.modpow(&b, &GROUP.n)) % &GROUP.n;
            // u must not be zero; with a 256-bit hash that is astronomically unlikely, but cheap.
            if big_b != BigUint::ZERO && scrambler(&big_a, &big_b) != BigUint::ZERO {
                return Ok(Self { b, big_b, big_a });
            }
        }
    }

    /// `SRP_B`, as hex.
    pub(crate) fn srp_b_hex(&self) -> String {
        self.big_b.to_str_radix(16)
    }

    /// Whether `signature_b64` is the claim a client knowing the password would send for
    /// `secret_block` and `timestamp`.
    pub(crate) fn verify_claim(
        &self,
        user: &SrpVerifier,
        pool_name: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
        signature_b64: &str,
    ) -> bool {
        let v = BigUint::from_bytes_be(&user.verifier);
        let u = scrambler(&self.big_a, &self.big_b);
        let s = (&self.big_a * v.modpow(&u, &GROUP.n)).modpow(&self.b, &GROUP.n);
        let key = derive_key(&s, &u);
        let expected = claim(&key, pool_name, user_id, secret_block, timestamp);
        let Ok(given) = STANDARD.decode(signature_b64) else {
            return false;
        };
        aws_lc_rs::constant_time::verify_slices_are_equal(&expected, &given).is_ok()
    }
}

/// 16 bytes as a version 4 UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower case.
fn uuid(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[..16]);
    // Version 4, variant 10xx.
    let n = u128::from_be_bytes(b) & !(0xf << 76) & !(0x3 << 62) | (0x4 << 76) | (0x2 << 62);
    let field = |shift: u32, bits: u32| (n >> shift) & ((1u128 << bits) - 1);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        field(96, 32),
        field(80, 16),
        field(64, 16),
        field(48, 16),
        field(0, 48)
    )
}

/// `x = H(PAD(salt) | H(poolName | userId | ":" | password))`.
fn private_key(pool_name: &str, user_id: &str, password: &str, salt: &[u8]) -> BigUint {
    let identity = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    number(&sha256(&[&pad_bytes(salt), &identity]))
}

/// `u = H(PAD(A) | PAD(B))`.
fn scrambler(big_a: &BigUint, big_b: &BigUint) -> BigUint {
    number(&sha256(&[&pad(big_a), &pad(big_b)]))
}

/// HKDF-SHA256 of `PAD(S)` with salt `PAD(u)` and Cognito's info string, first 16 bytes.
fn derive_key(s: &BigUint, u: &BigUint) -> Vec<u8> {
    let prk = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &pad(u)), &pad(s));
    let okm = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, prk.as_ref()),
        &[DERIVED_KEY_INFO, &[1]].concat(),
    );
    okm.as_ref()[..16].to_vec()
}

/// `HMAC-SHA256(key, poolName | userId | secretBlock | timestamp)`.
fn claim(
    key: &[u8],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Vec<u8> {
    let message = [
        pool_name.as_bytes(),
        user_id.as_bytes(),
        secret_block,
        timestamp.as_bytes(),
    ]
    .concat();
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), &message)
        .as_ref()
        .to_vec()
}

fn pad(n: &BigUint) -> Vec<u8> {
    pad_bytes(&n.to_bytes_be())
}

/// A zero byte in front when the high bit is set (the clients' `padHex`).
fn pad_bytes(bytes: &[u8]) -> Vec<u8> {
    match bytes.first() {
        Some(first) if *first >= 0x80 => [&[0u8][..], bytes].concat(),
        _ => bytes.to_vec(),
    }
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut context = digest::Context::new(&digest::SHA256);
    for part in parts {
        context.update(part);
    }
    context.finish().as_ref().to_vec()
}

fn number(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::calendar::Utc;

    /// Cognito's `TIMESTAMP` format, `Tue Mar 3 04:05:06 UTC 2026` (day without a leading
    /// zero), for a time given as seconds since the epoch: what an SRP client sends.
    fn timestamp(unix_seconds: u64) -> String {
        let t = Utc::from_unix(unix_seconds);
        format!(
            "{} {} {} {:02}:{:02}:{:02} UTC {}",
            t.weekday_name(),
            t.month_name(),
            t.day,
            t.hour,
            t.minute,
            t.second,
            t.year
        )
    }

    const POOL_ID: &str = "us-east-1_Offline1";

    /// The whole exchange with the `cognito_srp` crate as the client (a port of warrant's
    /// Cognito SRP, written by someone else): the right password is accepted, a wrong one is not.
    #[test]
    fn a_third_party_client_signs_in() {
        let salt = SrpVerifier::random_salt().unwrap();
        let user = SrpVerifier::new("Offline1", "alice", "Corr3ct-horse!", salt);
        for (password, accepted) in [("Corr3ct-horse!", true), ("wrong-horse!", false)] {
            let client = cognito_srp::SrpClient::new("alice", password, POOL_ID, "client1", None);
            let params = client.get_auth_params().unwrap();
            let exchange = Exchange::start(&params["SRP_A"], &user).unwrap();
            let secret_block = STANDARD.encode([7u8; 64]);
            let challenge: HashMap<String, String> = [
                ("SALT", hex(&user.salt)),
                ("SRP_B", exchange.srp_b_hex()),
                ("SECRET_BLOCK", secret_block.clone()),
                ("USER_ID_FOR_SRP", "alice".to_owned()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            let response = client.process_challenge(challenge).unwrap();
            let ok = exchange.verify_claim(
                &user,
                "Offline1",
                "alice",
                &[7u8; 64],
                &response["TIMESTAMP"],
                &response["PASSWORD_CLAIM_SIGNATURE"],
            );
            assert_eq!(ok, accepted, "{password}");
            assert_eq!(response["PASSWORD_CLAIM_SECRET_BLOCK"], secret_block);
        }
    }

    #[test]
    fn verifiers_match_only_their_password() {
        let user = SrpVerifier::new("P", "bob", "pw-1", SrpVerifier::random_salt().unwrap());
        assert!(user.matches("P", "bob", "pw-1"));
        assert!(!user.matches("P", "bob", "pw-2"));
        assert!(!user.matches("P", "Bob", "pw-1"));
        assert!(!user.matches("Q", "bob", "pw-1"));
    }

    #[test]
    fn a_zero_malformed_long_or_too_large_a_is_refused() {
        let user = SrpVerifier::new("P", "bob", "pw", SrpVerifier::random_salt().unwrap());
        let refusal = |a: &str| Exchange::start(a, &user).unwrap_err();
        assert_eq!(refusal("0"), SrpError::ZeroA);
        assert_eq!(refusal(&"0".repeat(768)), SrpError::ZeroA);
        for not_hex in ["xyz", "", "+1", "1_0", " 1"] {
            assert_eq!(refusal(not_hex), SrpError::NotHex, "{not_hex:?}");
        }
        assert_eq!(refusal(N_HEX), SrpError::NotBelowN);
        assert_eq!(refusal(&"F".repeat(768)), SrpError::NotBelowN);
        assert_eq!(refusal(&format!("1{}", "0".repeat(768))), SrpError::TooLong);
        assert_eq!(refusal(&format!("0{N_HEX}")), SrpError::TooLong);
        assert_eq!(refusal(&"f".repeat(10 << 20)), SrpError::TooLong, "10 MiB");
        let below_n = format!("{}E", &N_HEX[..N_HEX.len() - 1]);
        assert!(Exchange::start(&below_n, &user).is_ok(), "N - 1");
        let two = format!("{}2", "0".repeat(767));
        assert!(
            Exchange::start(&two, &user).is_ok(),
            "leading zeros within 768 digits"
        );
    }

    #[test]
    fn simulated_answers_depend_on_the_secret_and_the_name_only() {
        let (v, id) = SrpVerifier::simulated(&[1; 32], "nobody");
        assert_eq!(
            SrpVerifier::simulated(&[1; 32], "nobody"),
            (v.clone(), id.clone())
        );
        assert_ne!(SrpVerifier::simulated(&[1; 32], "nobody2").0, v);
        assert_ne!(SrpVerifier::simulated(&[2; 32], "nobody").1, id);
        assert_eq!((v.salt.len(), id.len()), (16, 36));
        assert!((0x10..=0x7f).contains(&v.salt[0]));
        assert_eq!(&id[14..15], "4", "{id}");
        assert!(BigUint::from_bytes_be(&v.verifier) < GROUP.n);
        let start = Exchange::start("abc", &v);
        assert!(start.is_ok(), "an exchange starts as for a user");
    }

    #[test]
    fn salts_read_back_the_same_in_every_client() {
        for _ in 0..100 {
            let salt = SrpVerifier::random_salt().unwrap();
            assert!((0x10..=0x7f).contains(&salt[0]));
            assert_eq!(pad_bytes(&salt), salt);
        }
    }

    #[test]
    fn timestamps_in_cognitos_format() {
        assert_eq!(timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(timestamp(1_772_510_706), "Tue Mar 3 04:05:06 UTC 2026");
        assert_eq!(timestamp(1_798_761_599), "Thu Dec 31 23:59:59 UTC 2026");
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
