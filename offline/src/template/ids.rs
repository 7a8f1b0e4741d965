//! The fixed ids the offline stack gives what AWS would generate.

/// Account id used in ARNs (the one AWS documents for examples).
pub(crate) const ACCOUNT_ID: &str = "123456789012";
/// The local API's id (ten lower-case letters and digits, like API Gateway's).
pub(crate) const API_ID: &str = "offline0api";
