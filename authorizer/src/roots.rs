//! The system's TLS trust roots, found where reqwest's default verifier finds them, decoded fast.
//!
//! reqwest's rustls verifier on Linux (rustls-platform-verifier) loads the roots with
//! rustls-native-certs when the HTTP client is built: `SSL_CERT_FILE` and every file in
//! `SSL_CERT_DIR` when either is set, else the distribution's bundle and every file in its
//! certificate directories (openssl-probe's list). Its PEM decoder made that most of the
//! authorizer's whole cold-start CPU work (twice as much where the directory repeats the bundle,
//! as on Debian; measured figures in docs/performance.md, "Cold start and memory"). This module
//! reads the same files and keeps the same `CERTIFICATE` sections, with the `base64` crate's
//! decoder (the certificates are public, so constant-time decoding buys nothing). The roots still
//! go through reqwest and rustls's WebPKI verifier exactly as before; see [`system_roots`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// DER certificates of the system's trust roots, sorted, without duplicates: the `CERTIFICATE`
/// sections of the files rustls-native-certs would read (see the module documentation). Files
/// that cannot be read and sections that are not valid base64 are skipped, as rustls-native-certs
/// skips them. Empty when nothing was found; the caller then lets reqwest load the roots itself.
pub(crate) fn system_roots() -> Vec<Vec<u8>> {
    let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let dirs: Vec<PathBuf> = std::env::var_os("SSL_CERT_DIR")
        .map(|dirs| {
            std::env::split_paths(&dirs)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if file.is_some() || !dirs.is_empty() {
        return roots_from(file.as_deref(), &dirs);
    }
    let probe = openssl_probe::probe();
    roots_from(probe.cert_file.as_deref(), &probe.cert_dir)
}

/// The certificates of `file` and of every regular file in `dirs`, each file read once.
pub(crate) fn roots_from(file: Option<&Path>, dirs: &[PathBuf]) -> Vec<Vec<u8>> {
    let mut seen = HashSet::new();
    let mut certs = Vec::new();
    if let Some(file) = file {
        if let Ok(meta) = std::fs::metadata(file) {
            seen.insert(file_id(&meta));
        }
        if let Ok(pem) = std::fs::read(file) {
            certs.extend(pem_certificates(&pem));
        }
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() || !seen.insert(file_id(&meta)) {
                continue;
            }
            if let Ok(pem) = std::fs::read(&path) {
                certs.extend(pem_certificates(&pem));
            }
        }
    }
    certs.sort_unstable();
    certs.dedup();
    certs
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt as _;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    (meta.len(), 0)
}

/// The decoded `-----BEGIN CERTIFICATE-----` sections of a PEM text, in order. Other sections
/// (`TRUSTED CERTIFICATE`, `X509 CRL`, keys) and sections whose body is not base64 are skipped.
/// Markers must start a line; a section ends at the next line starting with `-----`.
pub(crate) fn pem_certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let begin = memchr::memmem::Finder::new(BEGIN);
    let mut certs = Vec::new();
    let mut b64 = Vec::with_capacity(4096);
    let mut rest = pem;
    while let Some(at) = begin.find(rest) {
        let (marker_line, mut body) = split_line(&rest[at..]);
        if (at > 0 && rest[at - 1] != b'\n') || marker_line.trim_ascii() != BEGIN {
            rest = &rest[at + BEGIN.len()..];
            continue;
        }
        b64.clear();
        let mut ended = false;
        loop {
            let Some(text) = body else {
                rest = &[];
                break;
            };
            let (line, next) = split_line(text);
            if line.starts_with(b"-----") {
                // END, or a marker that breaks this section (it may begin the next one).
                ended = line.trim_ascii() == END;
                rest = text;
                break;
            }
            b64.extend_from_slice(line.trim_ascii());
            body = next;
        }
        if ended && let Ok(der) = STANDARD.decode(&b64) {
            certs.push(der);
        }
        if ended {
            rest = &rest[END.len()..];
        }
    }
    certs
}

/// The first line of `text` (without its `\n`) and what follows it, if anything.
fn split_line(text: &[u8]) -> (&[u8], Option<&[u8]>) {
    match memchr::memchr(b'\n', text) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, der: &[u8]) -> String {
        let b64 = STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
    }

    #[test]
    fn keeps_certificate_sections_only() {
        let a: Vec<u8> = (0..=255).collect();
        let b = vec![7u8; 1000];
        let text = format!(
            "# comment\n{}junk between\n{}{}{}\r\n{}",
            pem("CERTIFICATE", &a),
            pem("TRUSTED CERTIFICATE", &[1, 2, 3]),
            pem("X509 CRL", &[4, 5, 6]),
            pem("CERTIFICATE", &b).replace('\n', "\r\n"),
            "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n",
        );
        assert_eq!(pem_certificates(text.as_bytes()), vec![a, b]);
    }

    #[test]
    fn an_unterminated_or_mismatched_section_yields_nothing() {
        assert!(pem_certificates(b"-----BEGIN CERTIFICATE-----\nAAEC\n").is_empty());
        assert!(
            pem_certificates(b"-----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----\n")
                .is_empty()
        );
        // A BEGIN inside a section restarts it.
        assert_eq!(
            pem_certificates(
                b"-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\nAAED\n-----END CERTIFICATE-----\n"
            ),
            vec![vec![0, 1, 3]]
        );
    }

    #[test]
    fn files_and_directories_each_read_once_and_deduplicated() {
        let dir = std::env::temp_dir().join(format!("roots-test-{}", std::process::id()));
        let certs = dir.join("certs");
        std::fs::create_dir_all(&certs).unwrap();
        let bundle = dir.join("bundle.pem");
        std::fs::write(
            &bundle,
            format!(
                "{}{}",
                pem("CERTIFICATE", &[1, 1]),
                pem("CERTIFICATE", &[2, 2])
            ),
        )
        .unwrap();
        std::fs::write(certs.join("one.pem"), pem("CERTIFICATE", &[2, 2])).unwrap();
        std::fs::write(certs.join("three.pem"), pem("CERTIFICATE", &[3, 3])).unwrap();
        std::fs::create_dir_all(certs.join("subdir")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&bundle, certs.join("bundle-link.pem")).unwrap();
        let found = roots_from(Some(&bundle), &[certs.clone(), dir.join("missing")]);
        assert_eq!(found, vec![vec![1, 1], vec![2, 2], vec![3, 3]]);
        assert!(roots_from(Some(&dir.join("missing.pem")), &[]).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Same certificates as rustls-native-certs' decoder, on this machine's own bundle.
    #[test]
    fn matches_rustls_pem_decoding_of_the_system_bundle() {
        use rustls_pki_types::CertificateDer;
        use rustls_pki_types::pem::PemObject as _;
        let probe = openssl_probe::probe();
        let Some(file) = probe.cert_file else {
            return;
        };
        let text = std::fs::read(&file).unwrap();
        let theirs: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(&text)
            .map(|c| c.unwrap().to_vec())
            .collect();
        assert!(!theirs.is_empty());
        assert_eq!(pem_certificates(&text), theirs);
    }
}
