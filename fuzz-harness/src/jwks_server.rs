//! A minimal HTTP/1.1 server on 127.0.0.1 that serves one JWKS document.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::settings::POOL_ID;

/// Serves `jwks` at `/{POOL_ID}/.well-known/jwks.json` on 127.0.0.1 (ephemeral port) from a
/// thread that lives as long as the process; anything else is 404. Returns the base URL.
pub fn serve_jwks(jwks: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let path = format!("/{POOL_ID}/.well-known/jwks.json");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer_http(stream, &path, &jwks);
        }
    });
    base
}

/// Reads one request head (at most 16 KiB, 2 s) and answers it, then closes the connection.
fn answer_http(mut stream: TcpStream, path: &str, jwks: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16_384 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let wanted = request.starts_with(format!("GET {path} ").as_bytes());
    let (status, body) = if wanted {
        ("200 OK", jwks)
    } else {
        ("404 Not Found", "")
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}
