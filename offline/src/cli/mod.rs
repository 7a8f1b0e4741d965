//! The command line (clap): `offline [serve]` starts the stack, `offline user-token` prints a
//! signed-in user's access token; the options saying which template, stacks, parameters, port
//! and state folder are shared by both (`stack_args`). The start banner is in `banner`.

mod banner;
mod held_log;
pub(crate) mod stack_args;
mod user_token;

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

pub use self::banner::banner;
pub use self::held_log::HeldStderr;
use self::stack_args::StackArgs;
pub(crate) use self::user_token::UserTokenArgs;
pub use self::user_token::{UserToken, user_token};
use crate::error::Error;
use crate::server::Options;

/// Runs the stack of template.yaml on 127.0.0.1: a Cognito-compatible user pool (token endpoint,
/// JWKS, hosted UI, Cognito's API) and the template's REST or HTTP API with the real authorizer
/// and echo handler. Ctrl-C stops it.
#[derive(Debug, Parser)]
#[command(name = "offline", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    stack: StackArgs,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Start the stack (the default; Ctrl-C stops it).
    Serve,
    /// Print a signed-in user's access token, signed by the local pool's key (the stack need not
    /// be running).
    UserToken(UserTokenArgs),
}

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Command {
    Serve(Options),
    UserToken(Options, UserToken),
    /// `--help` or `--version`: the text to print.
    Help(String),
}

/// Why the command line cannot be followed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Not a valid command line (clap's message, with the usage).
    #[error("{0}")]
    Usage(clap::Error),
    /// A valid command line naming a file or value that does not work.
    #[error(transparent)]
    Invalid(#[from] Error),
}

impl CliError {
    /// The process exit code: 2 for a command line clap refuses, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Invalid(_) => 1,
        }
    }
}

/// Parses the arguments (without the program name) and reads what they name (samconfig.toml,
/// `--env-vars`).
pub fn parse<I, T>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let program = std::iter::once(OsString::from("offline"));
    let cli = match Cli::try_parse_from(program.chain(args.into_iter().map(Into::into))) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            return Ok(Command::Help(e.render().to_string()));
        }
        Err(e) => return Err(CliError::Usage(e)),
    };
    let options = cli.stack.into_options()?;
    Ok(match cli.command {
        None | Some(Sub::Serve) => Command::Serve(options),
        Some(Sub::UserToken(args)) => Command::UserToken(options, args.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::stack_args::DEFAULT_APP_PORT;
    use super::*;
    use crate::state::StateStore;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_and_subcommand() {
        let Command::Serve(o) = parse(args("--port 0 --ephemeral --template ../template.yaml --parameter-overrides=ReadScopeName=get")).unwrap() else {
            panic!()
        };
        assert_eq!(o.port, 0);
        assert_eq!(o.app_port, Some(DEFAULT_APP_PORT));
        assert_eq!(o.state, StateStore::Ephemeral);
        assert_eq!(o.inputs.stack_name, "echo-api");
        assert_eq!(o.inputs.auth_stack_name, "cognito-auth");
        assert_eq!(o.inputs.parameters["ReadScopeName"], "get");
        assert_eq!(
            o.inputs.parameters["CognitoDomainPrefix"], "change-me-echo-auth",
            "from samconfig.toml"
        );
        assert!(o.inputs.auth_template.is_some());
        let Command::UserToken(
            _,
            UserToken {
                username,
                groups,
                ttl,
                ..
            },
        ) = parse(args(
            "user-token --username alice --groups admins,ops --template ../template.yaml",
        ))
        .unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (username.as_str(), groups, ttl),
            ("alice", vec!["admins".to_owned(), "ops".to_owned()], 3600)
        );
        assert!(matches!(parse(args("--help")).unwrap(), Command::Help(_)));
        for (bad, needle) in [
            ("--port x", "--port"),
            ("--nope 1", "--nope"),
            ("--port", "a value is required"),
            ("stray", "stray"),
            ("user-token", "--username"),
            ("--port 1 --port 2", "cannot be used multiple times"),
            (
                "--template ../template.yaml --env-vars /does/not/exist",
                "--env-vars",
            ),
        ] {
            let err = parse(args(bad)).unwrap_err().to_string();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    #[test]
    fn the_browser_app_has_its_port_or_is_off() {
        for (line, app_port) in [
            ("--template ../template.yaml --ephemeral", Some(3001)),
            ("--template ../template.yaml --app-port 0", Some(0)),
            ("--template ../template.yaml --app-port 8080", Some(8080)),
            ("--template ../template.yaml --no-app", None),
            ("--template ../template.yaml --app-port 8080 --no-app", None),
        ] {
            let Command::Serve(o) = parse(args(line)).unwrap() else {
                panic!("{line}")
            };
            assert_eq!(o.app_port, app_port, "{line}");
        }
        for bad in [
            "--app-port",
            "--app-port x",
            "--app-port 65536",
            "--no-app=yes",
        ] {
            let line = format!("--template ../template.yaml {bad}");
            let err = parse(args(&line)).unwrap_err().to_string();
            assert!(
                err.contains("--app-port") || err.contains("--no-app"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn allow_host_is_off_by_default_and_takes_one_ip_address() {
        let Command::Serve(o) = parse(args("--template ../template.yaml")).unwrap() else {
            panic!()
        };
        assert_eq!(o.allow_host, None);
        let Command::Serve(o) =
            parse(args("--template ../template.yaml --allow-host 172.17.0.1")).unwrap()
        else {
            panic!()
        };
        assert_eq!(o.allow_host, Some([172, 17, 0, 1].into()));
        for bad in [
            "--allow-host host.docker.internal",
            "--allow-host 0.0.0.0/0",
            "--allow-host",
            "--allow-host 172.17.0.1 --allow-host 172.17.0.2",
        ] {
            let line = format!("--template ../template.yaml {bad}");
            let err = parse(args(&line)).unwrap_err().to_string();
            assert!(err.contains("--allow-host"), "{bad}: {err}");
        }
    }

    #[test]
    fn options_go_before_or_after_the_subcommand_and_serve_is_the_default() {
        for line in [
            "--template ../template.yaml --ephemeral --port 0",
            "serve --template ../template.yaml --ephemeral --port 0",
            "--template ../template.yaml serve --ephemeral --port 0",
        ] {
            let Command::Serve(o) = parse(args(line)).unwrap() else {
                panic!("{line}")
            };
            assert_eq!((o.port, &o.state), (0, &StateStore::Ephemeral), "{line}");
        }
        let Command::UserToken(o, token) = parse(args(
            "--ephemeral user-token --template ../template.yaml --username bob --scope a --ttl 60",
        ))
        .unwrap() else {
            panic!()
        };
        assert_eq!(o.state, StateStore::Ephemeral);
        assert_eq!((token.scopes, token.ttl), (vec!["a".to_owned()], 60));
        for (bad, needle) in [
            ("user-token --username a --ttl 0", "--ttl"),
            ("user-token --username a --ttl 86401", "--ttl"),
            ("user-tokn", "user-token"),
            ("--templat x", "--template"),
        ] {
            let err = parse(args(bad)).unwrap_err().to_string();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }
}
