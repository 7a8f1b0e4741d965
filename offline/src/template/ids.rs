//! The fixed ids the offline stack gives what AWS would generate.

/// Account id used in ARNs (the one AWS documents for examples).
pub(crate) const ACCOUNT_ID: &str = "123456789012";
/// The first local API's id (lower-case letters and digits, like API Gateway's).
pub(crate) const API_ID: &str = "offline0api";

/// The id of the template's `index`-th API: [`API_ID`], then `offline1api`, `offline2api`, ...
pub(crate) fn api_id(index: usize) -> String {
    format!("offline{index}api")
}
