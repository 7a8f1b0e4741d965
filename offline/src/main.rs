//! `cargo run -p offline`: start the offline stack, print how to call it, stop on Ctrl-C.

use std::sync::atomic::Ordering;

use offline::Offline;
use offline::cli::{self, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "offline=info,authorizer=warn".into()),
        )
        .init();
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("offline: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), offline::Error> {
    match cli::parse(std::env::args().skip(1))? {
        Command::Help => println!("{}", cli::USAGE),
        Command::UserToken(options, request) => {
            println!("{}", cli::user_token(&options, &request)?);
        }
        Command::Serve(options) => {
            let offline = Offline::start(options).await?;
            println!("{}", offline.banner());
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
