//! Passwords at rest: a salted, deliberately slow hash (PBKDF2-HMAC-SHA256), never the password.
//!
//! Stored as `pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>`, so the cost can be raised
//! later without losing the users already stored.

use std::num::NonZeroU32;

use aws_lc_rs::pbkdf2;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

const SCHEME: &str = "pbkdf2-sha256";

/// Iterations for new hashes: OWASP's figure for PBKDF2-HMAC-SHA256 (2023) is 600,000; this
/// local emulator stores test users on a developer's disk, so it takes a tenth of that to keep
/// sign-in quick while still making a stolen state file slow to attack.
pub(crate) const ITERATIONS: u32 = 60_000;

/// Why a stored hash cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a stored password hash")]
pub(crate) struct MalformedHash;

/// Hashes `password` with a fresh 16-byte salt.
pub(crate) fn hash(password: &str) -> Result<String, aws_lc_rs::error::Unspecified> {
    let mut salt = [0u8; 16];
    aws_lc_rs::rand::fill(&mut salt)?;
    Ok(hash_with(password, &salt, ITERATIONS))
}

fn hash_with(password: &str, salt: &[u8], iterations: u32) -> String {
    let out = derive(password, salt, iterations);
    format!(
        "{SCHEME}${iterations}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    )
}

fn derive(password: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    let iterations = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt,
        password.as_bytes(),
        &mut out,
    );
    out
}

/// Whether `password` is the one `stored` was made from (compared in constant time).
pub(crate) fn verify(password: &str, stored: &str) -> Result<bool, MalformedHash> {
    let mut parts = stored.split('$');
    let (Some(SCHEME), Some(iterations), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(MalformedHash);
    };
    let iterations: u32 = iterations.parse().map_err(|_| MalformedHash)?;
    let salt = STANDARD_NO_PAD.decode(salt).map_err(|_| MalformedHash)?;
    let expected = STANDARD_NO_PAD
        .decode(expected)
        .map_err(|_| MalformedHash)?;
    if iterations == 0 || expected.len() != 32 {
        return Err(MalformedHash);
    }
    let iterations = NonZeroU32::new(iterations).ok_or(MalformedHash)?;
    Ok(pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        &salt,
        password.as_bytes(),
        &expected,
    )
    .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_verifies_and_no_other() {
        let stored = hash("Corr3ct-horse!").unwrap();
        assert!(stored.starts_with("pbkdf2-sha256$60000$"));
        assert!(!stored.contains("Corr3ct"));
        assert_eq!(verify("Corr3ct-horse!", &stored), Ok(true));
        assert_eq!(verify("corr3ct-horse!", &stored), Ok(false));
        assert_eq!(verify("", &stored), Ok(false));
        assert_ne!(hash("Corr3ct-horse!").unwrap(), stored, "salted");
    }

    #[test]
    fn a_stored_hash_with_another_cost_still_verifies() {
        let stored = hash_with("pw", b"0123456789abcdef", 1000);
        assert_eq!(verify("pw", &stored), Ok(true));
    }

    #[test]
    fn malformed_hashes_are_errors_not_matches() {
        for bad in [
            "",
            "pw",
            "pbkdf2-sha256$0$AAAA$AAAA",
            "pbkdf2-sha256$x$AAAA$AAAA",
            "md5$1$AAAA$AAAA",
            "pbkdf2-sha256$1000$!!$AAAA",
            "pbkdf2-sha256$1000$AAAA$AAAA",
            "pbkdf2-sha256$1000$AAAA$AAAA$extra",
        ] {
            assert_eq!(verify("pw", bad), Err(MalformedHash), "{bad}");
        }
    }
}
