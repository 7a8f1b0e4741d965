//! The hosted UI's pages: plain HTML with no script, every value escaped. The login form posts
//! `_csrf`, `username` and `password`, as Cognito's classic hosted UI does; the password is never
//! written back into a page.

use crate::message::{AuthorizerUse, Response};

/// `text` with HTML's special characters escaped (for text and quoted attribute values).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:22rem;margin:3rem auto}}label,input,button{{display:block;width:100%;margin:.4rem 0}}.error{{color:#b00}}</style></head>\
         <body>{body}</body></html>\n",
        escape(title)
    )
}

fn error_line(error: Option<&str>) -> String {
    error.map_or_else(String::new, |e| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))
    })
}

/// The sign-in form, posting to `action` (the `/login` URL with the authorization request).
pub(crate) fn login(
    action: &str,
    csrf: &str,
    client_name: &str,
    username: &str,
    error: Option<&str>,
) -> String {
    document(
        "Sign in",
        &format!(
            "<h1>Sign in</h1><p>to {}</p>{}<form method=\"post\" action=\"{}\">\
             <input type=\"hidden\" name=\"_csrf\" value=\"{}\">\
             <label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"{}\">\
             <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
             <button type=\"submit\" name=\"signInSubmitButton\">Sign in</button></form>",
            escape(client_name),
            error_line(error),
            escape(action),
            escape(csrf),
            escape(username),
        ),
    )
}

/// The form asking for a new password after a temporary one.
pub(crate) fn new_password(action: &str, csrf: &str, error: Option<&str>) -> String {
    document(
        "Change password",
        &format!(
            "<h1>Change password</h1><p>Please enter a new password.</p>{}<form method=\"post\" action=\"{}\">\
             <input type=\"hidden\" name=\"_csrf\" value=\"{}\">\
             <label for=\"new_password\">New password</label><input id=\"new_password\" name=\"new_password\" type=\"password\" autocomplete=\"new-password\" required>\
             <button type=\"submit\">Change password</button></form>",
            error_line(error),
            escape(action),
            escape(csrf),
        ),
    )
}

/// A page saying what happened.
pub(crate) fn message(title: &str, detail: &str) -> String {
    document(
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(detail)),
    )
}

/// An HTML answer that no browser caches or frames.
pub(crate) fn html(status: u16, body: &str, reason: &str) -> Response {
    Response {
        status,
        headers: vec![
            (
                "content-type".to_owned(),
                "text/html;charset=UTF-8".to_owned(),
            ),
            ("cache-control".to_owned(), "no-store".to_owned()),
            ("x-frame-options".to_owned(), "DENY".to_owned()),
            (
                "content-security-policy".to_owned(),
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'".to_owned(),
            ),
        ],
        body: body.as_bytes().to_vec(),
        reason: reason.to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let page = login(
            "/login?a=1&b=\"x\"",
            "n<1>",
            "c",
            "<script>",
            Some("bad & worse"),
        );
        assert!(page.contains("action=\"/login?a=1&amp;b=&quot;x&quot;\""));
        assert!(page.contains("value=\"n&lt;1&gt;\""));
        assert!(page.contains("value=\"&lt;script&gt;\""));
        assert!(page.contains("bad &amp; worse"));
        assert!(!page.contains("<script>"));
    }
}
