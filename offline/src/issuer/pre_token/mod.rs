//! Cognito's pre token generation trigger (V2_0 and V3_0 events), run from the template's own
//! function through the same runner the gateway uses: the event Cognito sends (`event`), the
//! function's answer read and applied to the claims (`overrides`), and why a sign-in fails when
//! the trigger does (`PreTokenError`). V2_0 runs for people's tokens; V3_0 also for client
//! credentials. The sources: docs/offline.md, "Pre token generation".

mod event;
mod overrides;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub(crate) use self::event::{Subject, TriggerSource};
pub(crate) use self::overrides::{Overrides, PROTECTED_CLAIMS};
use crate::gateway::lambda::{Failure, Invocation, LambdaFunction};
use crate::template::resources::cognito::triggers::PreTokenVersion;

/// The pool's trigger, ready to run.
#[derive(Debug, Clone)]
pub(crate) struct PreToken {
    version: PreTokenVersion,
    function: Arc<LambdaFunction>,
    region: String,
    pool_id: String,
}

/// Why the trigger gave no usable answer: the sign-in fails with Cognito's exception.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PreTokenError {
    /// The function returned an error, or ran past its `Timeout` (`UserLambdaValidationException`).
    #[error("PreTokenGeneration failed with error {0}.")]
    Failed(String),
    /// It gave no answer within Cognito's wait, crashed or could not start
    /// (`UnexpectedLambdaException`).
    #[error("PreTokenGeneration invocation failed due to error {0}.")]
    Unexpected(&'static str),
    /// Its answer is not a pre token generation response (`InvalidLambdaResponseException`).
    #[error("Unrecognizable lambda output")]
    Unrecognizable,
}

impl PreToken {
    pub(crate) fn new(
        version: PreTokenVersion,
        function: Arc<LambdaFunction>,
        region: &str,
        pool_id: &str,
    ) -> Self {
        Self {
            version,
            function,
            region: region.to_owned(),
            pool_id: pool_id.to_owned(),
        }
    }

    /// Whether Cognito runs the trigger for `source`: V2_0 not for client credentials.
    pub(crate) fn runs_for(&self, source: TriggerSource) -> bool {
        source != TriggerSource::ClientCredentials || self.version == PreTokenVersion::V3
    }

    /// Runs the trigger for `subject` and reads what it asks. `Ok(None)`: not run for this source.
    /// Blocks the calling worker thread (the issuer's endpoints are synchronous) while the
    /// function runs on the runtime's other threads.
    pub(crate) fn run(&self, subject: &Subject<'_>) -> Result<Option<Overrides>, PreTokenError> {
        if !self.runs_for(subject.source) {
            return Ok(None);
        }
        let event = event::event(self.version, &self.region, &self.pool_id, subject);
        let answer = self.invoke(event)?;
        Overrides::read(&answer).map(Some)
    }

    fn invoke(&self, event: Value) -> Result<Value, PreTokenError> {
        use tokio::runtime::{Handle, RuntimeFlavor};
        let handle = Handle::try_current().map_err(|_| PreTokenError::Unexpected("NoRuntime"))?;
        if handle.runtime_flavor() != RuntimeFlavor::MultiThread {
            // block_in_place needs another worker to run the function's Runtime API.
            return Err(PreTokenError::Unexpected("SingleThreadedRuntime"));
        }
        let function = Arc::clone(&self.function);
        let answer = tokio::task::block_in_place(|| handle.block_on(patiently(&function, &event)));
        let invocation = answer.ok_or(PreTokenError::Unexpected("TimeoutException"))?;
        invocation.result.map_err(|error| match error.failure {
            // Lambda's own timeout is the function's error ("Task timed out after ..."), as a
            // handler's error is.
            Failure::Handler | Failure::Timeout => PreTokenError::Failed(error.message),
            Failure::TooLarge => PreTokenError::Unrecognizable,
            Failure::Exited | Failure::Init | Failure::Build => {
                PreTokenError::Unexpected("ServiceException")
            }
        })
    }
}

/// How long Cognito waits for a trigger, and how many times it calls it: "your Lambda function
/// must respond within 5 seconds. If it does not, Amazon Cognito retries the call. After 3
/// unsuccessful attempts, Amazon Cognito times out."
const COGNITO_WAIT: Duration = Duration::from_secs(5);
const COGNITO_ATTEMPTS: usize = 3;

/// The function's invocation within Cognito's wait, retried as Cognito retries; `None` when no
/// attempt answered in time (an attempt given up is stopped: its environment is dropped).
async fn patiently(function: &LambdaFunction, event: &Value) -> Option<Invocation> {
    // An offline rebuild of changed sources is not the function's time.
    if let Err(error) = function.prepare().await {
        return Some(Invocation::failed(error));
    }
    for attempt in 1..=COGNITO_ATTEMPTS {
        match tokio::time::timeout(COGNITO_WAIT, function.invoke(event.clone())).await {
            Ok(invocation) => return Some(invocation),
            Err(_) => tracing::warn!(
                target: "offline::issuer",
                attempt,
                "the pre token generation trigger did not answer within 5 s"
            ),
        }
    }
    None
}
