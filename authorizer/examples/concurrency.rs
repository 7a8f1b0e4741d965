//! Throughput of the real handler with N concurrent invocations in one process, the way
//! lambda_runtime's `run_concurrent` (feature `concurrency-tokio`) drives it: one shared
//! `Arc<Authorizer>`, N tasks on a multi-thread tokio runtime. Run it with `bench/concurrency.sh`.
//!
//! What one decision is here: parse the TOKEN event's JSON into a `serde_json::Value` (as
//! lambda_runtime does), `Authorizer::handle` (token verified with keys cached, route rules,
//! cache-safe policy, one log line through the binary's own subscriber (`authorizer::logging`),
//! one EMF metric line, both written to stdout as in Lambda), then serialize the answer to bytes. Not
//! included: the Lambda Runtime API HTTP round trip (`/next`, `/response`) that lambda_runtime
//! makes per invocation. The token mix is half read-only, half read+write client-credentials
//! tokens on `GET /echo` and `POST /echo` (a quarter of the decisions are Denied policies).
//!
//! For each N in {1, 4, 16, 64}: RUNS runs of DECISIONS decisions shared by N tasks; prints the
//! median decisions per second, the median CPU time per decision (all threads) and how many
//! cores the run kept busy (on a shared machine, fewer than the workers means other work had
//! the rest). Before that, for each N, a cold cache (no prefetch, JWKS served from 127.0.0.1
//! with a 200 ms delay) takes N concurrent first decisions and must make exactly one JWKS fetch. Results go to stderr; stdout carries the log and metric lines.
//!
//! `cargo run --release -p authorizer --example concurrency --features mint -- [DECISIONS] [RUNS] > /dev/null`

use std::error::Error;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, Metrics, UserPool, evaluate_policy};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Value, json};
use tokio::sync::Barrier;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

const POOL_ID: &str = "us-east-1_Concurrent1";
const CLIENT_ID: &str = "5c6d7e8f9a0b1c2d3e4f5a6b7c";
const API: &str = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod";
const ROUTES: &str = r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write"}"#;
const LEVELS: [usize; 4] = [1, 4, 16, 64];
/// Distinct tokens per scope set; decisions cycle through them.
const TOKENS_PER_KIND: usize = 128;

/// One pre-serialized event and whether the route should allow it.
struct Event {
    bytes: Vec<u8>,
    method: &'static str,
    allowed: bool,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let decisions: usize = args.next().map_or(Ok(25_600), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    // The Lambda binary's own log set-up (src/main.rs), writing to stdout.
    authorizer::logging::init(authorizer::DEFAULT_SERVICE_NAME);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?;
    rt.block_on(bench(decisions.max(1), runs.max(1), workers))
}

async fn jwks_server(key: &SigningKey, delay: Duration) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(format!(
            "/{POOL_ID}/.well-known/jwks.json"
        )))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(mint::jwks([key]))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

fn authorizer_for(server: &wiremock::MockServer) -> Result<Arc<Authorizer>> {
    let uri = server.uri();
    let config = Config::from_lookup(|name| match name {
        "USER_POOL_ID" => Some(POOL_ID.to_owned()),
        "CLIENT_IDS" => Some(CLIENT_ID.to_owned()),
        "ROUTE_SCOPES" => Some(ROUTES.to_owned()),
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(uri.clone()),
        _ => None,
    })?;
    Ok(Arc::new(Authorizer::new(config, Metrics::stdout())?))
}

fn events(key: &SigningKey) -> Result<Vec<Event>> {
    let pool = UserPool::from_id(POOL_ID)?;
    let now = authorizer::unix_now();
    let mut events = Vec::new();
    for i in 0..2 * TOKENS_PER_KIND {
        let can_write = i % 2 == 1;
        let scopes: &[&str] = if can_write {
            &["echo-api/read", "echo-api/write"]
        } else {
            &["echo-api/read"]
        };
        let token = key.sign(&mint::client_credentials_claims(
            &pool, CLIENT_ID, scopes, now, 3600,
        ));
        for method in ["GET", "POST"] {
            let event = json!({
                "type": "TOKEN",
                "authorizationToken": format!("Bearer {token}"),
                "methodArn": format!("{API}/{method}/echo"),
            });
            events.push(Event {
                bytes: serde_json::to_vec(&event)?,
                method,
                allowed: method == "GET" || can_write,
            });
        }
    }
    Ok(events)
}

/// Whether the answer lets the caller invoke the event's route, as API Gateway decides.
fn allows(answer: &Value, method: &str) -> Result<bool> {
    let policy: ApiGatewayCustomAuthorizerPolicy =
        serde_json::from_value(answer["policyDocument"].clone())?;
    Ok(evaluate_policy(&policy, &format!("{API}/{method}/echo")))
}

/// The handler's part of one invocation: parse the event's JSON, decide.
async fn invoke(authorizer: &Authorizer, bytes: &[u8]) -> Result<Value> {
    let payload: Value = serde_json::from_slice(bytes)?;
    Ok(authorizer.handle(payload).await?)
}

/// N concurrent first decisions on a cold cache: all answered correctly, exactly one fetch.
async fn cold_start(key: &SigningKey, events: &Arc<Vec<Event>>, n: usize) -> Result<()> {
    let server = jwks_server(key, Duration::from_millis(200)).await;
    let authorizer = authorizer_for(&server)?;
    let barrier = Arc::new(Barrier::new(n));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (authorizer, barrier, events) = (
            Arc::clone(&authorizer),
            Arc::clone(&barrier),
            Arc::clone(events),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            let event = &events[i % events.len()];
            let answer = invoke(&authorizer, &event.bytes).await?;
            Result::Ok(allows(&answer, event.method)? == event.allowed)
        });
    }
    let mut correct = 0;
    while let Some(result) = tasks.join_next().await {
        correct += usize::from(result??);
    }
    let fetches = authorizer
        .verifier()
        .key_cache(POOL_ID)
        .map_or(0, |c| c.fetch_count());
    let requests = server.received_requests().await.map_or(0, |r| r.len());
    eprintln!(
        "cold cache, N={n:>2} concurrent first decisions: {correct}/{n} correct, \
         JWKS fetches {fetches}, requests seen by the JWKS server {requests}"
    );
    if correct != n || fetches != 1 || requests != 1 {
        return Err("a cold cache under concurrent load must answer all and fetch once".into());
    }
    Ok(())
}

/// `decisions` decisions shared by `n` tasks on the warm authorizer; the wall time.
async fn warm_run(
    authorizer: &Arc<Authorizer>,
    events: &Arc<Vec<Event>>,
    n: usize,
    decisions: usize,
) -> Result<Duration> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..n {
        let (authorizer, events) = (Arc::clone(authorizer), Arc::clone(events));
        tasks.spawn(async move {
            let mut answered = 0usize;
            for i in (task..decisions).step_by(n) {
                let answer = invoke(&authorizer, &events[i % events.len()].bytes).await?;
                answered += usize::from(!black_box(serde_json::to_vec(&answer)?).is_empty());
            }
            Result::Ok(answered)
        });
    }
    let mut answered = 0;
    while let Some(result) = tasks.join_next().await {
        answered += result??;
    }
    let elapsed = started.elapsed();
    if answered != decisions {
        return Err(format!("{answered} of {decisions} decisions answered").into());
    }
    Ok(elapsed)
}

/// CPU time of every thread of this process so far (Linux `/proc/self/task/*/schedstat`), if
/// available: tells whether a run had both cores or shared them with other work.
fn process_cpu() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

async fn bench(decisions: usize, runs: usize, workers: usize) -> Result<()> {
    let key = SigningKey::generate("concurrency-key")?;
    let events = Arc::new(events(&key)?);
    for n in LEVELS {
        cold_start(&key, &events, n).await?;
    }

    let server = jwks_server(&key, Duration::ZERO).await;
    let authorizer = authorizer_for(&server)?;
    authorizer.prefetch().await;
    // Every event gets the right answer before anything is timed.
    for event in events.iter() {
        let answer = invoke(&authorizer, &event.bytes).await?;
        if allows(&answer, event.method)? != event.allowed {
            return Err("wrong decision in the warm-up".into());
        }
    }

    eprintln!(
        "\nwarm cache, {decisions} decisions per run, {runs} runs per N, tokio multi-thread \
         runtime with {workers} workers"
    );
    eprintln!(
        "{:>3}  {:>12}  {:>20}  {:>12}  {:>16}  {:>10}",
        "N", "decisions/s", "min..max", "µs/decision", "CPU µs/decision", "cores used"
    );
    for n in LEVELS {
        warm_run(&authorizer, &events, n, decisions.min(2_000)).await?;
        let (mut rates, mut cpu_per_decision, mut cores) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let cpu_before = process_cpu();
            let elapsed = warm_run(&authorizer, &events, n, decisions).await?;
            rates.push(decisions as f64 / elapsed.as_secs_f64());
            if let (Some(before), Some(after)) = (cpu_before, process_cpu()) {
                let cpu = after.saturating_sub(before).as_secs_f64();
                cpu_per_decision.push(cpu * 1e6 / decisions as f64);
                cores.push(cpu / elapsed.as_secs_f64());
            }
        }
        let (min, max) = rates
            .iter()
            .fold((f64::MAX, 0.0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        let med = median(rates);
        let (cpu, cores) = if cpu_per_decision.is_empty() {
            ("-".to_owned(), "-".to_owned())
        } else {
            (
                format!("{:.2}", median(cpu_per_decision)),
                format!("{:.2}", median(cores)),
            )
        };
        eprintln!(
            "{n:>3}  {med:>12.0}  {:>20}  {:>12.2}  {cpu:>16}  {cores:>10}",
            format!("{min:.0}..{max:.0}"),
            1e6 / med
        );
    }
    let fetches = authorizer
        .verifier()
        .key_cache(POOL_ID)
        .map_or(0, |c| c.fetch_count());
    eprintln!("warm authorizer: JWKS fetches over all runs {fetches}");
    if fetches != 1 {
        return Err("the warm runs fetched the JWKS again".into());
    }
    Ok(())
}
