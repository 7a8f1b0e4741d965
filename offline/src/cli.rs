//! Command line and samconfig.toml: which template, stack names, parameter overrides, port and
//! state folder; the start banner; the `user-token` subcommand.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::issuer::Issuer;
use crate::stack::{Inputs, Stack, parse_overrides};
use crate::{Offline, Options, StateStore};

/// Default port, as `sam local start-api`.
pub const DEFAULT_PORT: u16 = 3000;
/// Default state folder, relative to the working directory (git-ignored).
pub const DEFAULT_STATE_DIR: &str = ".offline";
/// Default lifetime of a `user-token`, in seconds.
pub const DEFAULT_USER_TOKEN_TTL: u64 = 3600;

pub const USAGE: &str = "\
Runs the stack of template.yaml on 127.0.0.1: a Cognito-compatible token endpoint and JWKS, and
the REST API with the real authorizer and echo handler.

USAGE:
    offline [OPTIONS]                       start the stack (Ctrl-C stops it)
    offline user-token --username NAME [--groups a,b] [--scope 's1 s2'] [--client-id ID]
                       [--ttl SECONDS] [OPTIONS]
                                            print a signed-in user's access token

OPTIONS:
    --port N                   port on 127.0.0.1 (default 3000; 0 picks a free one)
    --template FILE            API stack template (default template.yaml)
    --auth-template FILE       auth stack template publishing the SSM parameters
                               (default auth/template.yaml beside the template; `none` to skip)
    --config-file FILE         SAM config (default samconfig.toml beside the template; `none`)
    --config-env NAME          samconfig env of the API stack (default `default`)
    --auth-config-env NAME     samconfig env of the auth stack (default `auth`)
    --parameter-overrides S    `Name=Value ...`, over samconfig's parameter_overrides
    --env-vars FILE            function environment overrides, as `sam local --env-vars`
    --region R                 region of the local pool and API (default: samconfig or us-east-1)
    --state-dir DIR            where the key, pool id and client secret are kept (default .offline)
    --fresh                    new key, pool id and client credentials (old tokens stop working)
    --ephemeral                keep nothing on disk
    -h, --help                 this text";

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Command {
    Serve(Options),
    UserToken(Options, UserToken),
    Help,
}

/// A signed-in user's access token to mint (`offline user-token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserToken {
    pub username: String,
    /// `cognito:groups`; none: the claim is absent, as Cognito does.
    pub groups: Vec<String>,
    /// Empty: `aws.cognito.signin.user.admin`.
    pub scopes: Vec<String>,
    /// Default: the template's first app client.
    pub client_id: Option<String>,
    /// Lifetime in seconds (default 3600).
    pub ttl: u64,
}

/// Parses the arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, Error> {
    let mut args = args.into_iter().peekable();
    let user_token = args.next_if(|a| a == "user-token").is_some();
    args.next_if(|a| a == "serve");
    let mut flags: BTreeMap<String, String> = BTreeMap::new();
    let mut switches = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--fresh" | "--ephemeral" => switches.push(arg),
            flag if flag.starts_with("--") => {
                let (name, value) = match flag.split_once('=') {
                    Some((name, value)) => (name.to_owned(), value.to_owned()),
                    None => {
                        let value = args
                            .next()
                            .ok_or_else(|| Error::option(flag, "needs a value"))?;
                        (flag.to_owned(), value)
                    }
                };
                if flags.insert(name.clone(), value).is_some() {
                    return Err(Error::option(name, "given twice"));
                }
            }
            other => return Err(Error::option(other, "unexpected argument (see --help)")),
        }
    }
    let mut take = |name: &str| flags.remove(name);
    let options = options(&mut take, &switches)?;
    let command = if user_token {
        let username = take("--username")
            .ok_or_else(|| Error::option("--username", "required by user-token"))?;
        let list = |v: Option<String>, sep: char| -> Vec<String> {
            v.unwrap_or_default()
                .split(sep)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let groups = list(take("--groups"), ',');
        let scopes = list(take("--scope"), ' ');
        let client_id = take("--client-id");
        let ttl = match take("--ttl") {
            None => DEFAULT_USER_TOKEN_TTL,
            Some(v) => v
                .parse()
                .ok()
                .filter(|t| (1..=86_400).contains(t))
                .ok_or_else(|| Error::option("--ttl", "expected 1 to 86400 seconds"))?,
        };
        Command::UserToken(
            options,
            UserToken {
                username,
                groups,
                scopes,
                client_id,
                ttl,
            },
        )
    } else {
        Command::Serve(options)
    };
    if let Some(unknown) = flags.keys().next() {
        return Err(Error::option(unknown, "unknown option (see --help)"));
    }
    Ok(command)
}

fn options(
    take: &mut impl FnMut(&str) -> Option<String>,
    switches: &[String],
) -> Result<Options, Error> {
    let port = match take("--port") {
        None => DEFAULT_PORT,
        Some(p) => p
            .parse()
            .map_err(|_| Error::option("--port", format!("`{p}` is not a port")))?,
    };
    let template = PathBuf::from(take("--template").unwrap_or_else(|| "template.yaml".into()));
    let beside = |name: &str| template.parent().unwrap_or(Path::new("")).join(name);
    let optional = |given: Option<String>, default: PathBuf| match given.as_deref() {
        Some("none") => None,
        Some(path) => Some(PathBuf::from(path)),
        None => default.exists().then_some(default),
    };
    let auth_template = optional(take("--auth-template"), beside("auth/template.yaml"));
    let config_file = optional(take("--config-file"), beside("samconfig.toml"));
    let config_env = take("--config-env").unwrap_or_else(|| "default".into());
    let auth_config_env = take("--auth-config-env").unwrap_or_else(|| "auth".into());
    let samconfig = match &config_file {
        Some(path) => SamConfig::read(path)?,
        None => SamConfig::default(),
    };
    let mut parameters = samconfig.overrides(&config_env)?;
    if let Some(text) = take("--parameter-overrides") {
        parameters
            .extend(parse_overrides(&text).map_err(|p| Error::option("--parameter-overrides", p))?);
    }
    let env_vars = match take("--env-vars") {
        Some(path) => read_env_vars(Path::new(&path))?,
        None => BTreeMap::new(),
    };
    let region = take("--region")
        .or_else(|| samconfig.value(&config_env, "region"))
        .unwrap_or_else(|| "us-east-1".into());
    let state = if switches.iter().any(|s| s == "--ephemeral") {
        StateStore::Ephemeral
    } else {
        StateStore::Folder {
            path: PathBuf::from(take("--state-dir").unwrap_or_else(|| DEFAULT_STATE_DIR.into())),
            fresh: switches.iter().any(|s| s == "--fresh"),
        }
    };
    Ok(Options {
        inputs: Inputs {
            template,
            auth_template,
            stack_name: samconfig
                .value(&config_env, "stack_name")
                .unwrap_or_else(|| "echo-api".into()),
            auth_stack_name: samconfig
                .value(&auth_config_env, "stack_name")
                .unwrap_or_else(|| "cognito-auth".into()),
            region,
            parameters,
            env_vars,
        },
        port,
        state,
    })
}

/// The parts of samconfig.toml the offline stack reads.
#[derive(Debug, Default)]
struct SamConfig {
    file: PathBuf,
    doc: toml::Table,
}

impl SamConfig {
    fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let doc = text.parse::<toml::Table>().map_err(|e| Error::Option {
            option: path.display().to_string(),
            problem: e.to_string(),
        })?;
        Ok(Self {
            file: path.to_owned(),
            doc,
        })
    }

    /// `[env.deploy.parameters].key`, else `[env.global.parameters].key`.
    fn raw(&self, env: &str, key: &str) -> Option<&toml::Value> {
        ["deploy", "global"]
            .iter()
            .find_map(|command| self.doc.get(env)?.get(command)?.get("parameters")?.get(key))
    }

    fn value(&self, env: &str, key: &str) -> Option<String> {
        self.raw(env, key)?.as_str().map(str::to_owned)
    }

    fn overrides(&self, env: &str) -> Result<BTreeMap<String, String>, Error> {
        let bad = |p: String| Error::Option {
            option: format!(
                "{}: [{env}.deploy.parameters] parameter_overrides",
                self.file.display()
            ),
            problem: p,
        };
        match self.raw(env, "parameter_overrides") {
            None => Ok(BTreeMap::new()),
            Some(toml::Value::String(s)) => parse_overrides(s).map_err(bad),
            Some(toml::Value::Array(items)) => {
                let mut out = BTreeMap::new();
                for item in items {
                    let s = item
                        .as_str()
                        .ok_or_else(|| bad("expected strings".into()))?;
                    out.extend(parse_overrides(s).map_err(bad)?);
                }
                Ok(out)
            }
            Some(_) => Err(bad("expected a string or an array of strings".into())),
        }
    }
}

/// `{"FunctionLogicalId": {"VAR": "value"}}` (the `Parameters` key, for all functions, is
/// applied under each function's own).
fn read_env_vars(path: &Path) -> Result<BTreeMap<String, BTreeMap<String, String>>, Error> {
    let bad = |p: String| Error::option(format!("--env-vars {}", path.display()), p);
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let object = value
        .as_object()
        .ok_or_else(|| bad("expected a JSON object".into()))?;
    let mut out = BTreeMap::new();
    for (function, vars) in object {
        let vars = vars
            .as_object()
            .ok_or_else(|| bad(format!("`{function}`: expected an object")))?;
        let mut map = BTreeMap::new();
        for (name, value) in vars {
            let value = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return Err(bad(format!("`{function}.{name}`: expected a string"))),
            };
            map.insert(name.clone(), value);
        }
        out.insert(function.clone(), map);
    }
    if let Some(common) = out.remove("Parameters") {
        for vars in out.values_mut() {
            for (k, v) in &common {
                vars.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    Ok(out)
}

/// Prints a user access token signed by the local pool's key (the stack need not be running).
pub fn user_token(options: &Options, request: &UserToken) -> Result<String, Error> {
    let mut state = options.state.open()?;
    let stack = Stack::load(&options.inputs, &mut state)?;
    state.save()?;
    let issuer =
        Issuer::new(&stack, state.into_key(), String::new()).map_err(|source| Error::Pool {
            file: stack.template.clone(),
            source,
        })?;
    let groups: Vec<&str> = request.groups.iter().map(String::as_str).collect();
    let scopes: Vec<&str> = request.scopes.iter().map(String::as_str).collect();
    issuer
        .user_token(
            &request.username,
            &groups,
            &scopes,
            request.client_id.as_deref(),
            authorizer::unix_now(),
            request.ttl,
        )
        .ok_or_else(|| Error::option("--client-id", "the template has no app client"))
}

/// The start banner: URLs, client credentials, and the seeds' curl session for this stack.
pub fn banner(offline: &Offline) -> String {
    let stack = offline.stack();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Offline stack of {} (stack {}, region {})",
        stack.template.display(),
        stack.stack_name,
        stack.region
    );
    let _ = writeln!(out, "  user pool   {}", stack.pool_id);
    let _ = writeln!(
        out,
        "  issuer      {}",
        offline.issuer().pool().issuers()[0]
    );
    let _ = writeln!(
        out,
        "  JWKS        {}/{}/.well-known/jwks.json",
        offline.base_url(),
        stack.pool_id
    );
    let _ = writeln!(out, "  token URL   {}", offline.token_url());
    for route in &stack.api.routes {
        let _ = writeln!(
            out,
            "  route       {:6} {}  ({})",
            route.pattern.method,
            offline.api_url(&route.pattern.path),
            route.authorizer.as_deref().unwrap_or("no authorizer"),
        );
    }
    for client in &stack.clients {
        let _ = writeln!(out, "  app client  {} ({})", client.name, client.logical_id);
        let _ = writeln!(out, "    client id     {}", client.credentials.client_id);
        if client.has_secret {
            let _ = writeln!(
                out,
                "    client secret {}",
                client.credentials.client_secret
            );
        }
        let _ = writeln!(out, "    scopes        {}", client.scopes.join(" "));
    }
    if let (Some(client), Some(route)) = (stack.clients.first(), stack.api.routes.first()) {
        let url = offline.api_url(&route.pattern.path);
        let id = &client.credentials.client_id;
        let secret = &client.credentials.client_secret;
        let _ = writeln!(out, "\nTry it:");
        let _ = writeln!(out, "  curl -i {url}");
        let _ = writeln!(
            out,
            "  curl -X POST --user {id}:{secret} '{}?grant_type=client_credentials' -H 'Content-Type: application/x-www-form-urlencoded'",
            offline.token_url()
        );
        let _ = writeln!(
            out,
            "  TOKEN=$(curl -s --user {id}:{secret} {} -d grant_type=client_credentials -d scope={} | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
            offline.token_url(),
            client.scopes.first().map_or("", String::as_str),
        );
        let _ = writeln!(out, "  curl -i {url} -H \"Authorization: Bearer $TOKEN\"");
        let _ = writeln!(
            out,
            "  cargo run -p offline -- user-token --username alice --groups admins   # a signed-in user's token"
        );
    }
    let _ = write!(out, "\nCtrl-C stops it.");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_and_subcommand() {
        let Command::Serve(o) = parse(args("--port 0 --ephemeral --template ../template.yaml --parameter-overrides=ReadScopeName=get")).unwrap() else {
            panic!()
        };
        assert_eq!(o.port, 0);
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
        assert!(matches!(parse(args("--help")).unwrap(), Command::Help));
        for (bad, needle) in [
            ("--port x", "--port"),
            ("--nope 1", "--nope"),
            ("--port", "needs a value"),
            ("stray", "stray"),
            ("user-token", "--username"),
            ("--port 1 --port 2", "twice"),
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
    fn env_vars_file_like_sam_local() {
        let path = std::env::temp_dir().join(format!(
            "offline-env-{}.json",
            crate::state::random_string(8, b"abc")
        ));
        std::fs::write(&path, r#"{"AuthorizerFunction": {"ROUTE_SCOPES": "{}", "N": 5}, "Parameters": {"X": "y", "N": "0"}}"#).unwrap();
        let vars = read_env_vars(&path).unwrap();
        assert_eq!(vars["AuthorizerFunction"]["ROUTE_SCOPES"], "{}");
        assert_eq!(vars["AuthorizerFunction"]["N"], "5");
        assert_eq!(vars["AuthorizerFunction"]["X"], "y");
        assert!(!vars.contains_key("Parameters"));
        std::fs::remove_file(&path).unwrap();
    }
}
