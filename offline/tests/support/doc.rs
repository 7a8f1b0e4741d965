//! Running the shell blocks of the Markdown pages verbatim: the block after a marker line, run by
//! bash in a clean environment from the repository root, and every line it prints checked against
//! the page's `# ...` comments.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use super::root;

/// A page of the repository (`README.md`, `docs/people.md`).
pub fn page(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The fenced `sh` block after the line `marker` (`<!-- name -->`).
pub fn block(page: &str, marker: &str) -> String {
    let mut lines = page.lines().skip_while(|l| l.trim() != marker).skip(1);
    assert_eq!(
        lines.next().map(str::trim),
        Some("```sh"),
        "{marker} is followed by a sh block"
    );
    lines
        .take_while(|l| l.trim() != "```")
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The lines of a block without their trailing `# ...` comments (two spaces or more before `#`).
pub fn commands(block: &str) -> Vec<String> {
    block
        .lines()
        .map(|line| match line.find("  #") {
            Some(at) => line[..at].trim_end().to_owned(),
            None => line.trim_end().to_owned(),
        })
        .collect()
}

/// The environment a block runs in: `PATH` (with `path_first` before the test's own), `LANG`, and
/// `vars`; nothing else of the test's environment.
pub struct Shell {
    pub path_first: Option<PathBuf>,
    pub vars: Vec<(String, String)>,
    pub timeout: Duration,
}

impl Shell {
    pub fn new() -> Self {
        Self {
            path_first: None,
            vars: Vec::new(),
            timeout: Duration::from_secs(120),
        }
    }

    pub fn var(mut self, name: &str, value: impl Into<String>) -> Self {
        self.vars.push((name.to_owned(), value.into()));
        self
    }

    /// What cargo (`cargo run`, `cargo lambda watch`) needs of the test's environment besides
    /// `PATH`: the home folder (rustup's and cargo's), and where rustup and cargo live when set
    /// elsewhere.
    pub fn with_cargo(self) -> Self {
        ["HOME", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"]
            .into_iter()
            .filter_map(|name| std::env::var(name).ok().map(|v| (name, v)))
            .fold(self, |shell, (name, value)| shell.var(name, value))
    }

    /// Runs `script` with `bash -euo pipefail` from the repository root; fails the test, with
    /// what it printed, unless it succeeds in time. Returns the lines it printed on stdout.
    pub async fn run(&self, script: &str) -> Vec<String> {
        let path = std::env::var("PATH").unwrap_or_default();
        let path = match &self.path_first {
            Some(first) => format!("{}:{path}", first.display()),
            None => path,
        };
        let child = tokio::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .current_dir(root())
            .env_clear()
            .env("PATH", path)
            .env("LANG", "C.UTF-8")
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(self.timeout, child)
            .await
            .unwrap_or_else(|_| panic!("the block did not finish in {:?}:\n{script}", self.timeout))
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "the block failed:\n{script}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        stdout.lines().map(str::to_owned).collect()
    }
}

/// An example's walkthrough as a reader pastes it: the three `export` lines `banner` ends with,
/// then the block after `marker` of `page`; and how many lines it prints (one per ` # `
/// comment: every command that prints says what).
pub fn banner_session(banner: &str, page: &str, marker: &str) -> (String, usize) {
    let exports: Vec<&str> = banner
        .lines()
        .filter(|l| l.starts_with("export "))
        .collect();
    assert_eq!(exports.len(), 3, "{banner}");
    let block = block(page, marker);
    let announced = block.lines().filter(|l| l.contains(" # ")).count();
    (exports.join("\n") + "\n" + &block, announced)
}

/// Every line printed is announced by a `# line` comment of the page, in order.
pub fn assert_announced(page: &str, lines: &[String]) {
    let mut rest = page;
    for line in lines {
        let comment = format!("# {line}");
        let at = rest.find(&comment).unwrap_or_else(|| {
            panic!("`{line}` is not a comment of the page after the previous one")
        });
        rest = &rest[at + comment.len()..];
    }
}
