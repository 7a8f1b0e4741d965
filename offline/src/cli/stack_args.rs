//! The options shared by every subcommand: which template and auth template, samconfig.toml and
//! its envs, parameter and environment overrides, region, port and state folder; turned into
//! [`Options`] the way `sam` reads them (command line over samconfig over defaults).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::Error;
use crate::server::Options;
use crate::state::StateStore;
use crate::template::Inputs;
use crate::template::env_vars::read_env_vars;
use crate::template::overrides::parse_overrides;
use crate::template::samconfig::SamConfig;

/// Default port, as `sam local start-api`.
pub(crate) const DEFAULT_PORT: u16 = 3000;
/// Default port of the browser app: the template's default `AllowedOrigin` is
/// `http://localhost:3001`.
pub(crate) const DEFAULT_APP_PORT: u16 = 3001;
/// Where the auth template is looked for when the template's folder has no `auth/template.yaml`:
/// relative to the working directory (the repository root for the examples).
pub(crate) const AUTH_TEMPLATE: &str = "auth/template.yaml";
/// Default state folder, relative to the working directory (git-ignored).
pub(crate) const DEFAULT_STATE_DIR: &str = ".offline";

/// Accepted before or after a subcommand.
#[derive(Debug, Args)]
#[command(next_help_heading = "Stack options")]
pub(crate) struct StackArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_PORT, env = "OFFLINE_PORT")]
    port: u16,
    /// Port on 127.0.0.1 of the browser app (app/), served as http://localhost:N/ (0 picks a free
    /// one).
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_APP_PORT, env = "OFFLINE_APP_PORT")]
    app_port: u16,
    /// Do not serve the browser app.
    #[arg(long, global = true, overrides_with = "no_app")]
    no_app: bool,
    /// Also listen on this address of the machine, at the same port, and answer requests whose
    /// Host is ADDR:PORT: for `sam local` containers, which reach the host at the Docker bridge's
    /// gateway (`docker network inspect bridge`). An IP address only. Off by default: the stack
    /// answers only 127.0.0.1, localhost and [::1] (docs/sam-local.md).
    #[arg(long, global = true, value_name = "ADDR")]
    allow_host: Option<std::net::IpAddr>,
    /// API stack template.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        default_value = "template.yaml"
    )]
    template: PathBuf,
    /// Auth stack template publishing the SSM parameters [default: auth/template.yaml beside the
    /// template, else in the working directory, if there; `none` to skip].
    #[arg(long, global = true, value_name = "FILE")]
    auth_template: Option<String>,
    /// SAM config [default: samconfig.toml beside the template, if there; `none` to skip].
    #[arg(long, global = true, value_name = "FILE")]
    config_file: Option<String>,
    /// samconfig env of the API stack.
    #[arg(long, global = true, value_name = "NAME", default_value = "default")]
    config_env: String,
    /// samconfig env of the auth stack.
    #[arg(long, global = true, value_name = "NAME", default_value = "auth")]
    auth_config_env: String,
    /// `Name=Value ...`, over samconfig's parameter_overrides.
    #[arg(long, global = true, value_name = "S")]
    parameter_overrides: Option<String>,
    /// Function environment overrides, as `sam local --env-vars` takes them.
    #[arg(long, global = true, value_name = "FILE")]
    env_vars: Option<PathBuf>,
    /// Region of the local pool and API [default: samconfig's, else us-east-1].
    #[arg(long, global = true, value_name = "R")]
    region: Option<String>,
    /// Where the key, pool id and client secret are kept.
    #[arg(long, global = true, value_name = "DIR", default_value = DEFAULT_STATE_DIR, env = "OFFLINE_STATE_DIR")]
    state_dir: PathBuf,
    /// New key, pool id and client credentials (old tokens stop working).
    #[arg(long, global = true, overrides_with = "fresh")]
    fresh: bool,
    /// Keep nothing on disk.
    #[arg(long, global = true, overrides_with = "ephemeral")]
    ephemeral: bool,
}

impl StackArgs {
    /// The options, with samconfig.toml and the `--env-vars` file read.
    pub(crate) fn into_options(self) -> Result<Options, Error> {
        let beside = |name: &str| self.template.parent().unwrap_or(Path::new("")).join(name);
        let auth_template = optional(
            self.auth_template.as_deref(),
            default_auth_template(&self.template, Path::new("")),
        );
        let samconfig = match optional(self.config_file.as_deref(), beside("samconfig.toml")) {
            Some(path) => SamConfig::read(&path)?,
            None => SamConfig::default(),
        };
        let mut parameters = samconfig.overrides(&self.config_env)?;
        if let Some(text) = &self.parameter_overrides {
            parameters.extend(parse_overrides(text)?);
        }
        let env_vars = match &self.env_vars {
            Some(path) => read_env_vars(path)?,
            None => BTreeMap::new(),
        };
        let setting = |env: &str, key: &str, default: &str| {
            samconfig
                .value(env, key)
                .unwrap_or_else(|| default.to_owned())
        };
        let state = if self.ephemeral {
            StateStore::Ephemeral
        } else {
            StateStore::Folder {
                path: self.state_dir,
                fresh: self.fresh,
            }
        };
        Ok(Options {
            inputs: Inputs {
                region: self
                    .region
                    .unwrap_or_else(|| setting(&self.config_env, "region", "us-east-1")),
                stack_name: setting(&self.config_env, "stack_name", "echo-api"),
                auth_stack_name: setting(&self.auth_config_env, "stack_name", "cognito-auth"),
                template: self.template,
                auth_template,
                parameters,
                env_vars,
            },
            port: self.port,
            app_port: (!self.no_app).then_some(self.app_port),
            allow_host: self.allow_host,
            state,
        })
    }
}

/// `auth/template.yaml` beside `template` if it is there, else under `dir` (the working
/// directory, for a template in a folder of its own such as `examples/http-api/`); the caller
/// checks that it exists.
fn default_auth_template(template: &Path, dir: &Path) -> PathBuf {
    let beside = template
        .parent()
        .unwrap_or(Path::new(""))
        .join(AUTH_TEMPLATE);
    if beside.exists() {
        beside
    } else {
        dir.join(AUTH_TEMPLATE)
    }
}

/// A file option: `none` → no file, given → that file, absent → `default` if it exists.
fn optional(given: Option<&str>, default: PathBuf) -> Option<PathBuf> {
    match given {
        Some("none") => None,
        Some(path) => Some(PathBuf::from(path)),
        None => default.exists().then_some(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_template_is_found_beside_the_template_else_in_the_working_directory() {
        // Unit tests run in offline/: the repository root is `..`.
        let root = Path::new("..");
        assert_eq!(
            default_auth_template(Path::new("../template.yaml"), Path::new("/elsewhere")),
            Path::new("../auth/template.yaml"),
            "beside the template first"
        );
        assert_eq!(
            default_auth_template(Path::new("../examples/http-api/template.yaml"), root),
            Path::new("../auth/template.yaml"),
            "else in the working directory"
        );
        let nowhere = default_auth_template(Path::new("/nonexistent/t.yaml"), Path::new("/x"));
        assert_eq!(nowhere, Path::new("/x/auth/template.yaml"));
        assert_eq!(
            optional(None, nowhere),
            None,
            "a missing default is no file"
        );
        assert_eq!(optional(Some("none"), root.join(AUTH_TEMPLATE)), None);
    }
}
