//! The app's files (`app/` of the repository), embedded at build time so the binary serves them
//! from any working directory. `config.example.json` is not served: the stack writes
//! `config.json` itself.

pub(crate) const HTML: &str = "text/html; charset=utf-8";
pub(crate) const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
pub(crate) const CSS: &str = "text/css; charset=utf-8";
pub(crate) const JSON: &str = "application/json";
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";

/// One embedded file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct File {
    /// Its path on the app's origin.
    pub(crate) path: &'static str,
    pub(crate) content_type: &'static str,
    pub(crate) body: &'static [u8],
}

/// The file `app/NAME`, served at `/NAME` as `content_type`.
macro_rules! app_file {
    ($name:literal, $content_type:expr) => {
        File {
            path: concat!("/", $name),
            content_type: $content_type,
            body: include_bytes!(concat!("../../../app/", $name)),
        }
    };
}

/// Every file the app serves; `/` is `index.html`.
pub(crate) const FILES: &[File] = &[
    app_file!("index.html", HTML),
    app_file!("app.js", JAVASCRIPT),
    app_file!("pkce.js", JAVASCRIPT),
    app_file!("style.css", CSS),
];

/// The file at `path` exactly as written (no normalisation: `/x/../app.js` is not a file).
pub(crate) fn find(path: &str) -> Option<&'static File> {
    let path = if path == "/" { "/index.html" } else { path };
    FILES.iter().find(|f| f.path == path)
}
