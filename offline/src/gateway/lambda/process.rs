//! A function run as Lambda runs it: its binary in a process of its own (one execution
//! environment: invocations take turns, as one environment takes one at a time), under a
//! loopback Runtime API, started on the first invocation (a cold start, reported as its `Init
//! Duration`) and again after it ends, fails its init or times out. Before each invocation the
//! function's sources are looked at, and a change is rebuilt first. Its stdout and stderr are
//! shown line by line after its logical id, with Lambda's `START`, `END` and `REPORT` lines
//! (duration, memory size, the most memory used).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{Mutex, oneshot};

use super::cargo::{self, CargoBinary};
use super::environment::Folders;
use super::invocation::{Failure, FunctionError, Invocation};
use super::runtime_api::{Job, Outcome, RuntimeApi};
use crate::gateway::event_parts::since_epoch;

/// What a process function runs with, fixed at start.
#[derive(Debug)]
pub(crate) struct ProcessSpec {
    pub(crate) logical_id: String,
    pub(crate) arn: String,
    pub(crate) timeout: Duration,
    pub(crate) memory_mb: u64,
    pub(crate) binary: CargoBinary,
    pub(crate) folders: Folders,
    /// Every variable but `AWS_LAMBDA_RUNTIME_API`.
    pub(crate) variables: BTreeMap<String, String>,
}

/// A function run in a process of its own.
#[derive(Debug)]
pub(crate) struct ProcessFunction {
    spec: ProcessSpec,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The running environment, if any.
    running: Option<Environment>,
    /// The sources' stamp the binary was built from.
    built: SystemTime,
    /// The stamp of sources that failed to build (not tried again until they change).
    broken: Option<SystemTime>,
}

#[derive(Debug)]
struct Environment {
    child: Child,
    api: RuntimeApi,
    spawned: Instant,
    /// No invocation yet: the next one reports the init.
    cold: bool,
}

impl Environment {
    /// Whether its process still runs.
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl ProcessFunction {
    /// The function of `spec`, whose binary was built from sources stamped `built`.
    pub(crate) fn new(spec: ProcessSpec, built: SystemTime) -> Self {
        Self {
            spec,
            state: Mutex::new(State {
                running: None,
                built,
                broken: None,
            }),
        }
    }

    /// One invocation with `event`, after the previous one.
    pub(crate) async fn invoke(&self, event: &Value) -> Invocation {
        let mut state = self.state.lock().await;
        if let Err(error) = self.rebuild_if_changed(&mut state).await {
            return Invocation::failed(error);
        }
        let running = match state
            .running
            .take()
            .and_then(|mut e| e.alive().then_some(e))
        {
            Some(alive) => alive,
            None => match self.spawn().await {
                Ok(started) => started,
                Err(error) => return Invocation::failed(error),
            },
        };
        let (result, running) = self.run(running, event).await;
        state.running = running;
        Invocation {
            result,
            reason: None,
        }
    }

    /// Rebuilds now if the sources changed, so that the next invocation's time is the
    /// function's own (a caller with a deadline of its own, such as Cognito's, waits for this
    /// first).
    pub(crate) async fn prepare(&self) -> Result<(), FunctionError> {
        let mut state = self.state.lock().await;
        self.rebuild_if_changed(&mut state).await
    }

    /// Rebuilds when the sources changed since the last build (or failed build).
    async fn rebuild_if_changed(&self, state: &mut State) -> Result<(), FunctionError> {
        let binary = &self.spec.binary;
        let now = cargo::stamp(&binary.sources);
        if now <= state.built {
            return Ok(());
        }
        if state.broken == Some(now) {
            return Err(build_failed());
        }
        self.log(&format!("sources changed: rebuilding {}", binary.binary));
        match cargo::build(&binary.manifest, &[binary]).await {
            Ok(()) => {
                state.built = now;
                state.broken = None;
                state.running = None;
                Ok(())
            }
            Err(_) => {
                state.broken = Some(now);
                Err(build_failed())
            }
        }
    }

    /// A new environment: the Runtime API, then the process.
    async fn spawn(&self) -> Result<Environment, FunctionError> {
        let spec = &self.spec;
        let api = RuntimeApi::start().await.map_err(init_failed)?;
        let bootstrap = spec.folders.task.join("bootstrap");
        let mut child = Command::new(&bootstrap)
            .current_dir(&spec.folders.task)
            .env_clear()
            .envs(&spec.variables)
            .env("AWS_LAMBDA_RUNTIME_API", api.addr().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(init_failed)?;
        forward(child.stdout.take(), spec.logical_id.clone());
        forward(child.stderr.take(), spec.logical_id.clone());
        Ok(Environment {
            child,
            api,
            spawned: Instant::now(),
            cold: true,
        })
    }

    /// Runs one invocation in `running`; the environment is kept unless it ended or timed out.
    async fn run(
        &self,
        mut running: Environment,
        event: &Value,
    ) -> (Result<Value, FunctionError>, Option<Environment>) {
        let spec = &self.spec;
        let request_id = authorizer::mint::random_id();
        let (reply, answered) = oneshot::channel();
        let deadline = since_epoch() + spec.timeout;
        running.api.submit(Job {
            request_id: request_id.clone(),
            event: Bytes::from(event.to_string()),
            deadline_ms: deadline.as_millis() as u64,
            function_arn: spec.arn.clone(),
            trace_id: trace_id(&request_id),
            reply,
        });
        self.log(&format!("START RequestId: {request_id} Version: $LATEST"));
        let started = Instant::now();
        let outcome = tokio::select! {
            // An answer posted just before the process ended is still the answer.
            biased;
            outcome = answered => outcome.ok(),
            _ = running.child.wait() => None,
            _ = tokio::time::sleep(spec.timeout) => {
                let _ = running.child.kill().await;
                let seconds = spec.timeout.as_secs_f64();
                let message = format!("Task timed out after {seconds:.2} seconds");
                self.log(&format!("{} {message}", timestamp()));
                self.report(&request_id, started, &mut running);
                let error = FunctionError::new(Failure::Timeout, "Sandbox.Timedout", message);
                return (Err(error), None);
            }
        };
        self.report(&request_id, started, &mut running);
        let result = match outcome {
            Some(Outcome::Answer(body)) => {
                serde_json::from_slice(&body).map_err(|_| malformed_answer())
            }
            Some(Outcome::Error(error)) => Err(error),
            None => Err(ended(&running)),
        };
        (result, running.alive().then_some(running))
    }

    /// `END` and `REPORT`, as Lambda writes them after an invocation.
    fn report(&self, request_id: &str, started: Instant, running: &mut Environment) {
        let spec = &self.spec;
        let duration = started.elapsed().as_secs_f64() * 1000.0;
        let mut line = format!(
            "REPORT RequestId: {request_id}\tDuration: {duration:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB",
            duration.ceil() as u64,
            spec.memory_mb
        );
        if let Some(used) = running.child.id().and_then(max_memory_mb) {
            line.push_str(&format!("\tMax Memory Used: {used} MB"));
            if used > spec.memory_mb {
                line.push_str(" (over MemorySize: Lambda would stop it, Runtime.OutOfMemory)");
            }
        }
        if running.cold {
            running.cold = false;
            if let Some(ready) = running.api.ready_at() {
                let init = ready.duration_since(running.spawned).as_secs_f64() * 1000.0;
                line.push_str(&format!("\tInit Duration: {init:.2} ms"));
            }
        }
        self.log(&format!("END RequestId: {request_id}"));
        self.log(&line);
    }

    fn log(&self, line: &str) {
        eprintln!("[{}] {line}", self.spec.logical_id);
    }
}

/// Shows each line `stream` writes after `[logical_id]`.
fn forward(stream: Option<impl AsyncRead + Unpin + Send + 'static>, logical_id: String) {
    let Some(stream) = stream else {
        return;
    };
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            eprintln!("[{logical_id}] {line}");
        }
    });
}

/// Why an environment that gave no answer ended: its init failed, or it exited.
fn ended(running: &Environment) -> FunctionError {
    if let Some(error) = running.api.init_error() {
        return error;
    }
    if running.api.ready_at().is_none() {
        return FunctionError::new(
            Failure::Init,
            "Runtime.ExitError",
            "RequestId: the process exited before asking for an event (init failed)",
        );
    }
    FunctionError::new(
        Failure::Exited,
        "Runtime.ExitError",
        "the process exited before answering",
    )
}

fn build_failed() -> FunctionError {
    FunctionError::new(
        Failure::Build,
        "Offline.BuildFailed",
        "the function's changed sources do not build (cargo's messages are above)",
    )
}

fn init_failed(e: std::io::Error) -> FunctionError {
    FunctionError::new(Failure::Init, "Runtime.InvalidEntrypoint", e.to_string())
}

fn malformed_answer() -> FunctionError {
    FunctionError::new(
        Failure::Handler,
        "Runtime.MalformedResponse",
        "the answer is not JSON",
    )
}

/// `2025-04-09T12:34:56.789Z`, as Lambda stamps its own lines.
fn timestamp() -> String {
    let now = since_epoch();
    let t = crate::calendar::Utc::from_unix(now.as_secs());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        now.subsec_millis()
    )
}

/// The most memory process `pid` has used, in MB (Linux's `VmHWM`); `None` elsewhere.
fn max_memory_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

/// An X-Ray trace header for the invocation `request_id`, as Lambda passes it.
fn trace_id(request_id: &str) -> String {
    let hex: String = request_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(24)
        .collect();
    format!("Root=1-{:08x}-{hex};Sampled=0", since_epoch().as_secs())
}

/// The path of a process function's folders for this stack:
/// `target/offline-lambda/{stack}/{logical id}/{pid}-{n}`, one per running stack (stacks of one
/// template may run at once, in one process or several); those of stacks whose process has
/// ended are removed.
pub(crate) fn folders_of(binary: &CargoBinary, stack: &str, logical_id: &str) -> PathBuf {
    static STACKS: AtomicU64 = AtomicU64::new(0);
    let parent = binary
        .target_dir
        .join("offline-lambda")
        .join(stack)
        .join(logical_id);
    remove_ended(&parent);
    let n = STACKS.fetch_add(1, Ordering::Relaxed);
    parent.join(format!("{}-{n}", std::process::id()))
}

/// Removes the folders under `parent` of processes that no longer run (Linux: `/proc/{pid}`).
fn remove_ended(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.split('-').next()?.parse::<u32>().ok());
        let ended = pid.is_some_and(|pid| {
            cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists()
        });
        if ended {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_read_from_proc_and_trace_ids_have_lambdas_form() {
        let trace = trace_id(&authorizer::mint::random_id());
        assert!(
            trace.starts_with("Root=1-") && trace.ends_with(";Sampled=0"),
            "{trace}"
        );
        if cfg!(target_os = "linux") {
            assert!(max_memory_mb(std::process::id()).is_some_and(|mb| mb > 0));
        }
        assert!(timestamp().ends_with('Z'));
    }
}
