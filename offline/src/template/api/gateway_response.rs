//! A REST API's gateway response (`GatewayResponses.TYPE`), as the template defines it.

/// API Gateway's default body template.
pub(crate) const DEFAULT_TEMPLATE: &str = r#"{"message":$context.error.messageString}"#;

/// A gateway response (`GatewayResponses.TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatewayResponse {
    /// `StatusCode`, else the type's default; `None` for `DEFAULT_*` without one (each answer
    /// keeps its own status).
    pub(crate) status: Option<u16>,
    pub(crate) headers: Vec<(String, String)>,
    /// The `application/json` template; `$context.error.messageString` and
    /// `$context.error.message` are the only variables it may use.
    pub(crate) template: String,
}
