//! The template's functions as Lambda runs them, behind one face ([`LambdaFunction::invoke`],
//! an event in, an [`Invocation`] out) for routes and authorizers alike. The project's own
//! authorizer and echo are linked in (`linked`); every other Rust function of the template runs
//! as its own process (`process`) under a loopback Lambda Runtime API (`runtime_api`), built by
//! cargo (`cargo`), in the environment Lambda gives it (`environment`), with its layers at `/opt`
//! (`layers`, `tree`). Why a function cannot run is a [`RunError`] (`crate::error::run`).

pub(crate) mod cargo;
pub(crate) mod environment;
pub(crate) mod invocation;
pub(crate) mod layers;
pub(crate) mod linked;
pub(crate) mod process;
pub(crate) mod runtime_api;
pub(crate) mod tree;

use authorizer::{Authorizer, HandlerError};
use serde_json::Value;

pub(crate) use self::invocation::{Failure, FunctionError, Invocation};
use self::process::ProcessFunction;
pub(crate) use crate::error::RunError;
use crate::gateway::echo::EchoRuntime;

/// A function of the template, ready to invoke.
#[derive(Debug)]
pub(crate) enum LambdaFunction {
    /// The project's authorizer, linked in.
    Authorizer(Box<Authorizer>),
    /// The project's echo, linked in.
    Echo(EchoRuntime),
    /// Any other Rust function, in a process of its own.
    Process(Box<ProcessFunction>),
}

impl LambdaFunction {
    /// One invocation with `event`.
    pub(crate) async fn invoke(&self, event: Value) -> Invocation {
        match self {
            LambdaFunction::Authorizer(authorizer) => {
                let (result, decision) = authorizer.handle_decided(event).await;
                Invocation {
                    result: result.map_err(|e| handler_error(&e)),
                    reason: Some(decision.map_or("invalid_event", |d| d.reason.code())),
                }
            }
            LambdaFunction::Echo(echo) => Invocation {
                result: echo
                    .invoke(event)
                    .map_err(|e| FunctionError::new(Failure::Handler, "EchoError", e.to_string())),
                reason: None,
            },
            LambdaFunction::Process(process) => process.invoke(&event).await,
        }
    }

    /// Rebuilds a process function whose sources changed (linked ones need nothing).
    pub(crate) async fn prepare(&self) -> Result<(), FunctionError> {
        match self {
            LambdaFunction::Process(process) => process.prepare().await,
            LambdaFunction::Authorizer(_) | LambdaFunction::Echo(_) => Ok(()),
        }
    }

    /// The linked authorizer's init: fetch the keys (the issuer must be serving). A process
    /// does its own init on its first invocation.
    pub(crate) async fn prefetch(&self) {
        if let LambdaFunction::Authorizer(authorizer) = self {
            authorizer.prefetch().await;
        }
    }
}

/// The authorizer's error as its binary reports it to the Runtime API.
fn handler_error(error: &HandlerError) -> FunctionError {
    let error_type = match error {
        HandlerError::Unauthorized => "Unauthorized",
        HandlerError::InvalidEvent(_) => "InvalidEvent",
    };
    FunctionError::new(Failure::Handler, error_type, error.to_string())
}
