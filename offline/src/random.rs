//! Random strings for what the offline stack generates (ids, secrets, codes, temporary
//! passwords), drawn from the system RNG.

/// Lower-case letters and digits.
pub(crate) const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Letters of both cases and digits.
pub(crate) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` characters drawn uniformly from `alphabet` with the system RNG.
pub(crate) fn random_string(len: usize, alphabet: &[u8]) -> String {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        // The system RNG does not fail where aws-lc-rs runs; on failure the buffer stays zero
        // and the loop draws again.
        if aws_lc_rs::rand::fill(&mut buf).is_err() {
            continue;
        }
        for &b in &buf {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}
