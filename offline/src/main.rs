//! `cargo run -p offline`: start the offline stack, print how to call it, stop on Ctrl-C.
#![warn(unreachable_pub)]

use std::process::ExitCode;
use std::sync::atomic::Ordering;

use offline::Offline;
use offline::cli::{self, CliError, Command, HeldStderr};

#[tokio::main]
async fn main() -> ExitCode {
    let log = HeldStderr::new();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "offline=info,authorizer=warn".into()),
        )
        .with_writer(log.clone())
        .init();
    let result = run(&log).await;
    log.release();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(e)) => {
            // clap's message already says `error:` and how to get help.
            eprint!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("offline: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

async fn run(log: &HeldStderr) -> Result<(), CliError> {
    match cli::parse(std::env::args_os().skip(1))? {
        Command::Help(text) => print!("{text}"),
        Command::UserToken(options, request) => {
            println!("{}", cli::user_token(&options, &request)?);
        }
        Command::Serve(options) => {
            let offline = Offline::start(options).await?;
            println!("{}", cli::banner(&offline));
            log.release();
            let _ = tokio::signal::ctrl_c().await;
            let stats = offline.stats();
            let summary = format!(
                "offline: stopped after {} API requests (authorizer invoked {}, answered from its cache {})",
                stats.requests.load(Ordering::Relaxed),
                stats.authorizer_invocations.load(Ordering::Relaxed),
                stats.authorizer_cache_hits.load(Ordering::Relaxed),
            );
            offline.stop().await;
            eprintln!("{summary}");
        }
    }
    Ok(())
}
