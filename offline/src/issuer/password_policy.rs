//! The pool's password policy (`Policies.PasswordPolicy`), applied where Cognito applies it:
//! `AdminCreateUser`'s temporary password, `AdminSetUserPassword`, and the new password of a
//! `NEW_PASSWORD_REQUIRED` challenge; and temporary passwords generated to fit it.

use crate::random::random_string;
use crate::template::resources::cognito::PasswordPolicy;

/// The characters Cognito counts as symbols.
pub(crate) const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/// Longest password Cognito accepts.
pub(crate) const MAX_LENGTH: usize = 256;

/// Why `password` does not meet `policy`: Cognito's wording, after
/// `Password does not conform to policy: `.
pub(crate) fn check(policy: &PasswordPolicy, password: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if (length as u64) < policy.minimum_length {
        return Err("Password not long enough");
    }
    if length > MAX_LENGTH {
        return Err("Password too long");
    }
    let has = |test: fn(char) -> bool| password.chars().any(test);
    if policy.require_lowercase && !has(|c| c.is_lowercase()) {
        return Err("Password must have lowercase characters");
    }
    if policy.require_uppercase && !has(|c| c.is_uppercase()) {
        return Err("Password must have uppercase characters");
    }
    if policy.require_numbers && !has(|c| c.is_ascii_digit()) {
        return Err("Password must have numeric characters");
    }
    if policy.require_symbols && !has(|c| SYMBOLS.contains(c)) {
        return Err("Password must have symbol characters");
    }
    Ok(())
}

/// A random temporary password that meets `policy` (what Cognito generates when
/// `AdminCreateUser` has no `TemporaryPassword`; nobody learns it offline, so an administrator
/// sets one with `AdminSetUserPassword`).
pub(crate) fn temporary(policy: &PasswordPolicy) -> String {
    let length = usize::try_from(policy.minimum_length.max(16)).unwrap_or(16);
    let mut password = random_string(
        length,
        b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
    );
    // One of each class, whatever the draw gave.
    password.push_str("aA7!");
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognitos_default_policy() {
        let policy = PasswordPolicy::default();
        for (password, verdict) in [
            ("Corr3ct-Horse", Ok(())),
            ("Sh0rt!", Err("Password not long enough")),
            ("ALLUPPER1!", Err("Password must have lowercase characters")),
            ("alllower1!", Err("Password must have uppercase characters")),
            ("NoNumbers!", Err("Password must have numeric characters")),
            ("NoSymbols1", Err("Password must have symbol characters")),
        ] {
            assert_eq!(check(&policy, password), verdict, "{password}");
        }
        assert!(check(&policy, &"Aa1!".repeat(65)).is_err());
    }

    #[test]
    fn a_relaxed_policy_and_generated_passwords() {
        let relaxed = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
            temporary_password_validity_days: 7,
        };
        assert_eq!(check(&relaxed, "simple"), Ok(()));
        for _ in 0..20 {
            let password = temporary(&PasswordPolicy::default());
            assert_eq!(check(&PasswordPolicy::default(), &password), Ok(()));
        }
    }
}
