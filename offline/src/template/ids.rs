//! The fixed ids the offline stack gives what AWS would generate.

/// Account id used in ARNs (the one AWS documents for examples).
pub(crate) const ACCOUNT_ID: &str = "123456789012";
/// The id of the template's `index`-th API (lower-case letters and digits, like API Gateway's):
/// `offline0api`, then `offline1api`, ...
pub(crate) fn api_id(index: usize) -> String {
    format!("offline{index}api")
}
