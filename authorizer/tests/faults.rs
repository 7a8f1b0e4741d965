//! Fault injection on the key endpoint: a loopback JWKS server that is told, mid-run, to be down,
//! to reset connections, to answer too slowly, to answer 500, HTML, truncated JSON or 10 MB, to
//! rotate its keys, or to publish a different key under the same `kid`; the real [`Authorizer`]
//! (configured through [`Config::from_lookup`], with short timeouts) decides throughout.
//!
//! For every fault: no token is allowed that the cached keys do not verify (and nothing at all
//! while no keys are cached: fail closed), every call finishes within the fetch timeout + 1 s, the
//! number of fetches stays bounded however many calls come, and the authorizer recovers by itself
//! once the endpoint heals.
//!
//! Each test prints one line `FAULT-ROW\t{order}\t{scenario}\t{expected}\t{observed}` whose
//! figures come from the run; `bench/faults.sh` turns them into a markdown table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use authorizer::mint::{self, SigningKey};
use authorizer::{
    Authorizer, Config, Decision, FetchSettings, JwksClient, KeyCache, MethodArn, Metrics, Outcome,
    UserPool,
};
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_FaultPool1";
const CLIENT_ID: &str = "faultclient1";
const METHOD_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod/GET/echo";

/// `JWKS_CONNECT_TIMEOUT_MS`.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(200);
/// `JWKS_TIMEOUT_MS`: the whole fetch, body included.
const FETCH_TIMEOUT: Duration = Duration::from_millis(400);
/// `JWKS_RETRY_AFTER_ERROR_MS`.
const RETRY_AFTER_ERROR: Duration = Duration::from_millis(100);
/// Unknown-`kid` cooldown (whole seconds in the environment; set in milliseconds here).
const COOLDOWN: Duration = Duration::from_millis(300);
/// Key TTL of the fault scenarios (milliseconds here, for the same reason).
const TTL: Duration = Duration::from_millis(200);
const MAX_STALE: Duration = Duration::from_secs(60);
/// How long each phase of a fault scenario keeps calling.
const PHASE: Duration = Duration::from_millis(500);
/// Pause between rounds of calls.
const TICK: Duration = Duration::from_millis(10);
/// How long the slow endpoint waits before answering: well past `FETCH_TIMEOUT`.
const SLOW: Duration = Duration::from_secs(2);
/// Pause between bytes of the trickled body.
const TRICKLE: Duration = Duration::from_millis(50);
/// Size of the oversized JWKS.
const HUGE_BYTES: usize = 10 * 1024 * 1024;
/// Unknown-`kid` forgeries made up front (RSA signing is slow in a debug build).
const FORGERIES: usize = 48;

/// Longest any one call may take: one fetch timeout (a call waits for at most one fetch) + 1 s.
fn call_bound() -> Duration {
    FETCH_TIMEOUT + Duration::from_secs(1)
}

/// Longest the authorizer may take to notice a healed endpoint: an in-flight fetch timing out,
/// the retry pause, + 1 s.
fn heal_bound() -> Duration {
    FETCH_TIMEOUT + RETRY_AFTER_ERROR + Duration::from_secs(1)
}

/// Most fetches a phase of `length` may start: one per retry window (the shortest pause the
/// cache keeps between fetches), + 2 for the edges.
fn fetch_bound(length: Duration) -> u64 {
    (length.as_millis() / RETRY_AFTER_ERROR.as_millis()) as u64 + 2
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

// ---------------------------------------------------------------------------------------------
// Keys and tokens, made once per run.

struct Keys {
    /// The pool's key, `kid` `k1`.
    current: SigningKey,
    /// Another key under the same `kid` `k1`: a forger's, or the pool's replacement.
    impostor: SigningKey,
    /// The next key of a rotation, `kid` `k2`.
    next: SigningKey,
    /// Tokens signed by `impostor` with `kid`s no JWKS holds.
    unknown_kid: Vec<String>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let impostor = SigningKey::generate("k1").unwrap();
        let unknown_kid = (0..FORGERIES)
            .map(|i| {
                impostor.sign_with_header(
                    &json!({"alg": "RS256", "kid": format!("forged-{i}")}),
                    &claims(),
                )
            })
            .collect();
        Keys {
            current: SigningKey::generate("k1").unwrap(),
            impostor,
            next: SigningKey::generate("k2").unwrap(),
            unknown_kid,
        }
    })
}

fn pool() -> UserPool {
    UserPool::from_id(POOL_ID).unwrap()
}

fn claims() -> Value {
    let now = authorizer::unix_now();
    mint::client_credentials_claims(&pool(), CLIENT_ID, &["api/read"], now, 3600)
}

fn token(key: &SigningKey) -> String {
    key.sign(&claims())
}

fn jwks_bytes(keys: &[&SigningKey]) -> Vec<u8> {
    mint::jwks(keys.iter().copied()).to_string().into_bytes()
}

// ---------------------------------------------------------------------------------------------
// The misbehaving JWKS server: std threads on 127.0.0.1, one per connection, so a slow answer
// never holds up the next connection. Every answer says `Connection: close`, so no pooled
// connection outlives a change of behaviour.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// 200 with the current JWKS.
    Keys,
    /// Nothing listens on the port (it stays reserved, bound but not listening): refused.
    Down,
    /// Accepts, then closes with the request unread: the kernel answers with a reset.
    Reset,
    /// Answers with the JWKS only after `SLOW`.
    Slow,
    /// Headers at once, then the body one byte per `TRICKLE`.
    Trickle,
    /// 500 whose body is the valid JWKS.
    Status500,
    /// 200 `text/html` maintenance page.
    Html,
    /// 200 with the first half of the JWKS, correctly framed.
    TruncatedJson,
    /// 200 announcing the whole JWKS, then half of it and the connection closes.
    ShortBody,
    /// 200, chunked (no `Content-Length`): a JWKS holding the real key, padded to 10 MB.
    Huge,
}

#[derive(Debug)]
struct Shared {
    mode: Mutex<Mode>,
    jwks: Mutex<Arc<Vec<u8>>>,
    path: String,
    requests: AtomicU64,
    /// Most bytes of a huge answer the server could write before the client hung up.
    huge_written: AtomicU64,
    stop: AtomicBool,
}

#[derive(Debug)]
enum Port {
    Listening(JoinHandle<()>),
    /// Bound, not listening: connections are refused and no one else can take the port.
    Reserved(tokio::net::TcpSocket),
}

#[derive(Debug)]
struct FaultServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    port: Option<Port>,
}

impl FaultServer {
    fn start(keys: &[&SigningKey]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            mode: Mutex::new(Mode::Keys),
            jwks: Mutex::new(Arc::new(jwks_bytes(keys))),
            path: format!("/{POOL_ID}/.well-known/jwks.json"),
            requests: AtomicU64::new(0),
            huge_written: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let port = Some(Port::Listening(accept_loop(listener, Arc::clone(&shared))));
        Self { addr, shared, port }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> u64 {
        self.shared.requests.load(SeqCst)
    }

    fn set_keys(&self, keys: &[&SigningKey]) {
        *self.shared.jwks.lock().unwrap() = Arc::new(jwks_bytes(keys));
    }

    fn set_mode(&mut self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
        self.port = match (mode, self.port.take()) {
            (Mode::Down, Some(Port::Listening(acceptor))) => {
                self.stop_accepting(acceptor);
                Some(Port::Reserved(reserve(self.addr)))
            }
            (Mode::Down, port) => port,
            (_, Some(Port::Reserved(socket))) => {
                drop(socket);
                let listener = TcpListener::bind(self.addr).unwrap();
                Some(Port::Listening(accept_loop(
                    listener,
                    Arc::clone(&self.shared),
                )))
            }
            (_, port) => port,
        };
    }

    fn stop_accepting(&self, acceptor: JoinHandle<()>) {
        self.shared.stop.store(true, SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the blocked accept
        acceptor.join().unwrap();
        self.shared.stop.store(false, SeqCst);
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        if let Some(Port::Listening(acceptor)) = self.port.take() {
            self.stop_accepting(acceptor);
        }
    }
}

fn reserve(addr: SocketAddr) -> tokio::net::TcpSocket {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind(addr).unwrap();
    socket
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) -> JoinHandle<()> {
    thread::spawn(move || {
        for stream in listener.incoming() {
            if shared.stop.load(SeqCst) {
                break;
            }
            if let Ok(stream) = stream {
                let shared = Arc::clone(&shared);
                thread::spawn(move || serve(stream, &shared));
            }
        }
    })
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_nodelay(true);
    let mode = *shared.mode.lock().unwrap();
    if mode == Mode::Reset {
        shared.requests.fetch_add(1, SeqCst);
        // Wait until the request is here, then close without reading it: Linux sends RST.
        let _ = stream.peek(&mut [0u8; 1]);
        return;
    }
    let Some(path) = read_request_path(&mut stream) else {
        return;
    };
    shared.requests.fetch_add(1, SeqCst);
    if path != shared.path {
        let _ = respond(&mut stream, "404 Not Found", "text/plain", b"not found");
        return;
    }
    let jwks = Arc::clone(&shared.jwks.lock().unwrap());
    let _ = match mode {
        Mode::Keys | Mode::Down | Mode::Reset => {
            respond(&mut stream, "200 OK", "application/json", &jwks)
        }
        Mode::Slow => {
            thread::sleep(SLOW);
            respond(&mut stream, "200 OK", "application/json", &jwks)
        }
        Mode::Trickle => trickle(&mut stream, &jwks),
        Mode::Status500 => respond(
            &mut stream,
            "500 Internal Server Error",
            "application/json",
            &jwks,
        ),
        Mode::Html => respond(
            &mut stream,
            "200 OK",
            "text/html",
            b"<html><body><h1>Down for maintenance</h1></body></html>",
        ),
        Mode::TruncatedJson => respond(
            &mut stream,
            "200 OK",
            "application/json",
            &jwks[..jwks.len() / 2],
        ),
        Mode::ShortBody => short_body(&mut stream, &jwks),
        Mode::Huge => huge(&mut stream, &jwks, shared),
    };
}

fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        head.extend_from_slice(&buf[..n]);
        if head.len() > 16 * 1024 {
            return None;
        }
    }
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace().nth(1).map(str::to_owned)
}

fn head(status: &str, content_type: &str, length: Option<usize>) -> String {
    let framing = match length {
        Some(len) => format!("Content-Length: {len}"),
        None => "Transfer-Encoding: chunked".to_owned(),
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n"
    )
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    stream.write_all(head(status, content_type, Some(body.len())).as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn trickle(stream: &mut TcpStream, body: &[u8]) -> io::Result<()> {
    stream.write_all(head("200 OK", "application/json", Some(body.len())).as_bytes())?;
    for byte in body {
        stream.write_all(&[*byte])?;
        thread::sleep(TRICKLE);
    }
    Ok(())
}

fn short_body(stream: &mut TcpStream, body: &[u8]) -> io::Result<()> {
    stream.write_all(head("200 OK", "application/json", Some(body.len())).as_bytes())?;
    stream.write_all(&body[..body.len() / 2])?;
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Both)
}

fn huge(stream: &mut TcpStream, jwks: &[u8], shared: &Shared) -> io::Result<()> {
    fn chunk(stream: &mut TcpStream, data: &[u8]) -> io::Result<()> {
        stream.write_all(format!("{:x}\r\n", data.len()).as_bytes())?;
        stream.write_all(data)?;
        stream.write_all(b"\r\n")
    }
    stream.write_all(head("200 OK", "application/json", None).as_bytes())?;
    // `{"keys":[...]` + `,"pad":"xxx…"}`: a well-formed JWKS with the real key, only too big.
    let mut written = jwks.len() as u64 + 10;
    chunk(stream, &jwks[..jwks.len() - 1])?;
    chunk(stream, b",\"pad\":\"")?;
    let filler = vec![b'x'; 64 * 1024];
    while (written as usize) < HUGE_BYTES {
        chunk(stream, &filler)?;
        written += filler.len() as u64;
        shared.huge_written.fetch_max(written, SeqCst);
    }
    chunk(stream, b"\"}")?;
    stream.write_all(b"0\r\n\r\n")
}

// ---------------------------------------------------------------------------------------------
// The authorizer under test and what its calls did.

/// The real authorizer, configured as the Lambda is (environment), then given millisecond TTL
/// and cooldown (the environment takes whole seconds).
fn authorizer(server: &FaultServer, ttl: Duration, cooldown: Duration) -> Authorizer {
    let vars: HashMap<&str, String> = [
        ("USER_POOL_ID", POOL_ID.to_owned()),
        ("CLIENT_IDS", CLIENT_ID.to_owned()),
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", server.url()),
        ("JWKS_CONNECT_TIMEOUT_MS", ms(CONNECT_TIMEOUT).to_string()),
        ("JWKS_TIMEOUT_MS", ms(FETCH_TIMEOUT).to_string()),
        (
            "JWKS_RETRY_AFTER_ERROR_MS",
            ms(RETRY_AFTER_ERROR).to_string(),
        ),
    ]
    .into();
    let mut config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    config.verifier.cache.ttl = ttl;
    config.verifier.cache.max_stale = MAX_STALE;
    config.verifier.cache.unknown_kid_cooldown = cooldown;
    Authorizer::new(config, Metrics::memory()).unwrap()
}

fn cache(auth: &Authorizer) -> &Arc<KeyCache> {
    auth.verifier().key_cache(POOL_ID).unwrap()
}

/// One decision, timed; panics if it took longer than [`call_bound`].
async fn decide(auth: &Authorizer, token: &str) -> (Decision, Duration) {
    let arn = MethodArn::parse(METHOD_ARN).unwrap();
    let started = Instant::now();
    let decision = auth.decide(Some(&format!("Bearer {token}")), &arn).await;
    let took = started.elapsed();
    assert!(
        took <= call_bound(),
        "a call took {took:?}; bound {:?}",
        call_bound()
    );
    (decision, took)
}

fn allowed(decision: &Decision) -> bool {
    decision.outcome() == Outcome::Allowed
}

#[derive(Debug, Default)]
struct Tally {
    calls: u32,
    allowed: u32,
    reasons: BTreeMap<&'static str, u32>,
    outcomes: BTreeMap<&'static str, u32>,
    slowest: Duration,
}

impl Tally {
    fn add(&mut self, (decision, took): &(Decision, Duration)) {
        self.calls += 1;
        self.allowed += u32::from(allowed(decision));
        *self.reasons.entry(decision.reason.code()).or_default() += 1;
        *self
            .outcomes
            .entry(decision.outcome().as_str())
            .or_default() += 1;
        self.slowest = self.slowest.max(*took);
    }

    fn reasons(&self) -> String {
        let reasons: Vec<String> = self
            .reasons
            .iter()
            .filter(|(reason, _)| **reason != "ok")
            .map(|(reason, n)| format!("`{reason}` {n}"))
            .collect();
        reasons.join(", ")
    }
}

#[derive(Debug, Default)]
struct Phase {
    valid: Tally,
    forged: Tally,
    fetches: u64,
}

impl Phase {
    fn slowest(&self) -> Duration {
        self.valid.slowest.max(self.forged.slowest)
    }
}

/// Calls for `length`, `TICK` apart, three at once each round: a token the pool's key signed,
/// a token signed by another key under the same `kid`, and one with a `kid` never seen before.
/// Panics if a forgery is ever allowed.
async fn drive(auth: &Authorizer, server: &FaultServer, length: Duration) -> Phase {
    let k = keys();
    let (valid, same_kid) = (token(&k.current), token(&k.impostor));
    let (fetches, requests) = (cache(auth).fetch_count(), server.requests());
    let mut phase = Phase::default();
    let started = Instant::now();
    let mut round = 0;
    while started.elapsed() < length {
        let unknown = &k.unknown_kid[round % k.unknown_kid.len()];
        let (v, s, u) = tokio::join!(
            decide(auth, &valid),
            decide(auth, &same_kid),
            decide(auth, unknown)
        );
        assert!(!allowed(&s.0), "a token signed by another key was allowed");
        assert!(!allowed(&u.0), "a token with an unknown kid was allowed");
        phase.valid.add(&v);
        phase.forged.add(&s);
        phase.forged.add(&u);
        round += 1;
        tokio::time::sleep(TICK).await;
    }
    phase.fetches = cache(auth).fetch_count() - fetches;
    let requests = server.requests() - requests;
    for (what, n) in [
        ("fetches", phase.fetches),
        ("requests at the server", requests),
    ] {
        assert!(
            n <= fetch_bound(length),
            "{n} {what} in {length:?}; bound {}",
            fetch_bound(length)
        );
    }
    phase
}

/// Calls with `token` every `TICK` until it is allowed; the time that took.
async fn until_allowed(auth: &Authorizer, token: &str) -> Duration {
    let started = Instant::now();
    loop {
        if allowed(&decide(auth, token).await.0) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() <= heal_bound(),
            "not recovered after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(TICK).await;
    }
}

fn row(order: u32, scenario: &str, expected: &str, observed: &str) {
    for cell in [scenario, expected, observed] {
        assert!(!cell.contains(['\t', '\n', '|']), "{cell}");
    }
    println!("\nFAULT-ROW\t{order:02}\t{scenario}\t{expected}\t{observed}");
}

// ---------------------------------------------------------------------------------------------
// The endpoint faults.

/// One fault, end to end:
/// 1. the bare fetch reports `code` within the timeout;
/// 2. cold: the authorizer starts while the endpoint misbehaves: nothing is allowed (the valid
///    token is an infrastructure error, `jwks_unavailable`), calls bounded, fetches bounded;
/// 3. the endpoint heals: the valid token is allowed, no restart;
/// 4. warm: the endpoint misbehaves again while the keys are cached and past their TTL: the
///    valid token is allowed from the cached keys, forgeries are refused, refreshes bounded;
/// 5. the endpoint heals publishing a second key: a token signed by it is allowed.
async fn fault(order: u32, scenario: &str, mode: Mode, code: &str) {
    let k = keys();
    let mut server = FaultServer::start(&[&k.current]);
    server.set_mode(mode);

    let client = JwksClient::new(FetchSettings {
        connect_timeout: CONNECT_TIMEOUT,
        total_timeout: FETCH_TIMEOUT,
        ..FetchSettings::default()
    })
    .unwrap();
    let started = Instant::now();
    let error = client
        .fetch(&pool().jwks_url(Some(&server.url())))
        .await
        .unwrap_err();
    let fetch_took = started.elapsed();
    assert_eq!(error.code(), code, "{scenario}: {error}");
    assert!(
        fetch_took <= call_bound(),
        "{scenario}: fetch {fetch_took:?}"
    );

    let auth = authorizer(&server, TTL, COOLDOWN);
    auth.prefetch().await;
    let cold = drive(&auth, &server, PHASE).await;
    assert_eq!(cold.valid.allowed, 0, "{scenario}: allowed with no keys");
    assert_eq!(
        cold.valid.reasons.get("jwks_unavailable"),
        Some(&cold.valid.calls),
        "{scenario}: {:?}",
        cold.valid.reasons
    );
    assert_eq!(
        cold.valid.outcomes.get("infrastructure_error"),
        Some(&cold.valid.calls)
    );

    server.set_mode(Mode::Keys);
    let healed_cold = until_allowed(&auth, &token(&k.current)).await;

    server.set_mode(mode);
    tokio::time::sleep(TTL).await;
    let warm = drive(&auth, &server, PHASE).await;
    assert_eq!(
        warm.valid.allowed, warm.valid.calls,
        "{scenario}: cached keys not served: {:?}",
        warm.valid.reasons
    );
    assert!(warm.fetches >= 1, "{scenario}: no refresh was attempted");

    server.set_keys(&[&k.current, &k.next]);
    server.set_mode(Mode::Keys);
    let healed_warm = until_allowed(&auth, &token(&k.next)).await;

    let huge = match server.shared.huge_written.load(SeqCst) {
        0 => String::new(),
        n => format!(
            " (server had pushed {} KiB when the client hung up)",
            n / 1024
        ),
    };
    let expected = format!(
        "`{code}`; no keys cached: nothing allowed; keys cached: valid allowed, forged refused; \
         ≤ {} fetches / {} ms; calls ≤ {} ms; heals ≤ {} ms",
        fetch_bound(PHASE),
        ms(PHASE),
        ms(call_bound()),
        ms(heal_bound()),
    );
    let observed = format!(
        "`{}` in {} ms{huge}. Cold: valid {}/{} allowed ({}), forged {}/{}. Warm: valid {}/{}, \
         forged {}/{}. Fetches {} + {} for {} calls. Slowest call {} ms. Healed in {} / {} ms",
        error.code(),
        ms(fetch_took),
        cold.valid.allowed,
        cold.valid.calls,
        cold.valid.reasons(),
        cold.forged.allowed,
        cold.forged.calls,
        warm.valid.allowed,
        warm.valid.calls,
        warm.forged.allowed,
        warm.forged.calls,
        cold.fetches,
        warm.fetches,
        cold.valid.calls + cold.forged.calls + warm.valid.calls + warm.forged.calls,
        ms(cold.slowest().max(warm.slowest())),
        ms(healed_cold),
        ms(healed_warm),
    );
    row(order, scenario, &expected, &observed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn down_nothing_listening() {
    fault(
        1,
        "down: nothing listening on the port",
        Mode::Down,
        "http_error",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_connection_reset() {
    fault(2, "refusing: connection reset", Mode::Reset, "http_error").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answer_past_the_timeout() {
    fault(
        3,
        "slow: answers after 2 s (timeout 400 ms)",
        Mode::Slow,
        "timeout",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_body_trickled() {
    fault(
        4,
        "slow body: headers at once, 1 byte / 50 ms",
        Mode::Trickle,
        "timeout",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_500() {
    fault(
        5,
        "500 (body is the valid JWKS)",
        Mode::Status500,
        "bad_status",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_200() {
    fault(6, "200 with an HTML page", Mode::Html, "not_jwks").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json() {
    fault(
        7,
        "200 with truncated JSON (half the JWKS)",
        Mode::TruncatedJson,
        "not_jwks",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_shorter_than_announced() {
    fault(
        8,
        "body cut short: Content-Length not met, connection closed",
        Mode::ShortBody,
        "http_error",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_body() {
    fault(
        9,
        "10 MB JWKS holding the real key, chunked (cap 150,000 bytes)",
        Mode::Huge,
        "too_large",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Key changes.

/// A new key (`k2`) is published beside the old one mid-run, then the old one (`k1`) is removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotated_mid_run() {
    let k = keys();
    let server = FaultServer::start(&[&k.current]);
    let (ttl, cooldown) = (Duration::from_millis(400), Duration::from_millis(150));
    let auth = authorizer(&server, ttl, cooldown);
    auth.prefetch().await;
    let (old, new) = (token(&k.current), token(&k.next));
    let forged_new = k
        .impostor
        .sign_with_header(&json!({"alg": "RS256", "kid": "k2"}), &claims());
    let (publish_at, remove_at, end) = (
        Duration::from_millis(300),
        Duration::from_millis(900),
        Duration::from_millis(1900),
    );

    let started = Instant::now();
    let (mut published, mut removed) = (None::<Instant>, None::<Instant>);
    let mut fetches_at_publish = 0;
    let mut new_first_allowed = None::<(Duration, u64)>;
    let mut old_last_allowed_after_removal = None::<Duration>;
    let mut old_refused_since = None::<Duration>;
    let (mut calls, mut slowest) = (0u32, Duration::ZERO);
    while started.elapsed() < end {
        if published.is_none() && started.elapsed() >= publish_at {
            server.set_keys(&[&k.current, &k.next]);
            published = Some(Instant::now());
            fetches_at_publish = cache(&auth).fetch_count();
        }
        if removed.is_none() && started.elapsed() >= remove_at {
            server.set_keys(&[&k.next]);
            removed = Some(Instant::now());
        }
        let (o, n, f) = tokio::join!(
            decide(&auth, &old),
            decide(&auth, &new),
            decide(&auth, &forged_new)
        );
        calls += 3;
        slowest = slowest.max(o.1).max(n.1).max(f.1);
        assert!(!allowed(&f.0), "a forgery under the new kid was allowed");
        match removed {
            None => assert!(
                allowed(&o.0),
                "old key refused while published: {}",
                o.0.reason
            ),
            Some(at) if allowed(&o.0) => {
                assert!(old_refused_since.is_none(), "old key allowed again");
                old_last_allowed_after_removal = Some(at.elapsed());
            }
            Some(at) => {
                assert_eq!(o.0.reason.code(), "kid_unknown");
                old_refused_since.get_or_insert(at.elapsed());
            }
        }
        match (published, new_first_allowed) {
            (None, _) => assert!(!allowed(&n.0), "new key allowed before it was published"),
            (Some(at), None) if allowed(&n.0) => {
                new_first_allowed = Some((at.elapsed(), cache(&auth).fetch_count()));
            }
            (Some(_), Some(_)) => assert!(allowed(&n.0), "new key refused again: {}", n.0.reason),
            _ => {}
        }
        tokio::time::sleep(TICK).await;
    }

    let (new_after, fetches_then) = new_first_allowed.expect("the new key was never accepted");
    let refetches = fetches_then - fetches_at_publish;
    let old_refused = old_refused_since.expect("the removed key was never refused");
    let lag = ttl + FETCH_TIMEOUT + Duration::from_millis(100);
    assert!(new_after <= cooldown + FETCH_TIMEOUT + Duration::from_millis(100));
    assert!(refetches <= 1, "{refetches} fetches to find the new kid");
    assert!(
        old_refused <= lag,
        "removed key still served {old_refused:?} later"
    );
    let fetches = cache(&auth).fetch_count();
    let bound = (ms(end) / ms(cooldown.min(ttl))) as u64 + 2;
    assert!(fetches <= bound, "{fetches} fetches; bound {bound}");

    row(
        10,
        "keys rotated mid-run: `k2` published beside `k1` at 300 ms, `k1` removed at 900 ms \
         (TTL 400 ms, cooldown 150 ms)",
        &format!(
            "`k1` allowed while published; `k2` refused before, allowed after ≤ 1 refetch; \
             `k1` refused once the cache refreshes (≤ TTL + fetch); forged `k2` never allowed; \
             ≤ {bound} fetches; calls ≤ {} ms",
            ms(call_bound())
        ),
        &format!(
            "`k2` allowed {} ms after publication with {refetches} refetch; `k1` last allowed {} \
             ms after removal, refused (`kid_unknown`) from {} ms; forged `k2` 0/{} allowed; \
             {fetches} fetches for {calls} calls; slowest call {} ms",
            ms(new_after),
            old_last_allowed_after_removal.map_or("—".to_owned(), |d| ms(d).to_string()),
            ms(old_refused),
            calls / 3,
            ms(slowest),
        ),
    );
}

/// The JWKS swaps the key published under `k1` for another: a signature failure never triggers a
/// fetch, so the cache notices at its TTL refresh and not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_kid_with_a_different_key() {
    let k = keys();
    let server = FaultServer::start(&[&k.current]);
    let (ttl, cooldown) = (Duration::from_millis(400), Duration::from_millis(100));
    let auth = authorizer(&server, ttl, cooldown);
    auth.prefetch().await;
    let fetched = Instant::now();
    let (old, new) = (token(&k.current), token(&k.impostor));

    // Before the swap: the new key's token, under the cached kid, is refused and fetches nothing.
    let fetches = cache(&auth).fetch_count();
    let mut refused_before = 0;
    while fetched.elapsed() < Duration::from_millis(150) {
        let (o, n) = tokio::join!(decide(&auth, &old), decide(&auth, &new));
        assert!(allowed(&o.0));
        assert_eq!(n.0.reason.code(), "signature_invalid");
        refused_before += 1;
        tokio::time::sleep(TICK).await;
    }
    assert_eq!(
        cache(&auth).fetch_count(),
        fetches,
        "signature failures fetched"
    );

    server.set_keys(&[&k.impostor]);
    let swapped = Instant::now();
    let fetches = cache(&auth).fetch_count();
    let mut old_last_allowed = None::<Duration>;
    let mut new_first_allowed = None::<Duration>;
    let mut new_refused_after_swap = 0;
    let mut slowest = Duration::ZERO;
    while swapped.elapsed() < Duration::from_millis(1000) {
        let (o, n) = tokio::join!(decide(&auth, &old), decide(&auth, &new));
        slowest = slowest.max(o.1).max(n.1);
        if new_first_allowed.is_some() {
            assert!(!allowed(&o.0), "the replaced key was allowed again");
            assert!(allowed(&n.0), "the new key was refused again");
        }
        if allowed(&o.0) {
            old_last_allowed = Some(swapped.elapsed());
        } else {
            assert_eq!(o.0.reason.code(), "signature_invalid");
        }
        if allowed(&n.0) {
            new_first_allowed.get_or_insert(swapped.elapsed());
        } else {
            assert_eq!(n.0.reason.code(), "signature_invalid");
            new_refused_after_swap += 1;
        }
        tokio::time::sleep(TICK).await;
    }
    let flip = new_first_allowed.expect("the new key was never accepted");
    let old_last = old_last_allowed.unwrap_or_default();
    let refresh_due = (fetched + ttl).saturating_duration_since(swapped);
    let lag = refresh_due + FETCH_TIMEOUT + Duration::from_millis(100);
    assert!(flip <= lag, "new key accepted only {flip:?} after the swap");
    assert!(
        old_last <= lag,
        "old key accepted {old_last:?} after the swap"
    );
    let refreshes = cache(&auth).fetch_count() - fetches;

    row(
        11,
        "same `kid`, different key: JWKS swaps the key under `k1` (TTL 400 ms)",
        "before the swap the other key's token is refused (`signature_invalid`) and fetches \
         nothing; after it, the old key's token is allowed only until the TTL refresh, the new \
         one from then on; no flapping back",
        &format!(
            "before: 0/{refused_before} allowed, 0 fetches. Swap {} ms before the TTL refresh was \
             due: old-key token last allowed {} ms after the swap, new-key token refused {} times then allowed \
             from {} ms; {refreshes} fetches (TTL refreshes) in 1000 ms; slowest call {} ms",
            ms(refresh_due),
            ms(old_last),
            new_refused_after_swap,
            ms(flip),
            ms(slowest),
        ),
    );
}
