//! The stack a template describes, with the ids the state keeps: reading the template says which
//! app clients need credentials, the state gives them (new ones generated, then saved).

use crate::error::Error;
use crate::issuer::Issuer;
use crate::state::{State, StateStore};
use crate::template::{Inputs, Stack, Template};

/// The stack of `inputs`, with the pool id and the app clients' credentials of the state `store`
/// names (any new client's generated and saved), and that state.
pub(crate) fn load(inputs: &Inputs, store: &StateStore) -> Result<(Stack, State), Error> {
    let mut state = store.open()?;
    let template = Template::read(inputs, &state.pool_id(&inputs.region))?;
    let credentials = state.clients(template.app_clients())?;
    let stack = template.resolve(&credentials)?;
    Ok((stack, state))
}

/// The issuer of the stack of `inputs`, serving nothing: it mints tokens (`offline user-token`)
/// and answers the requests it is handed.
pub fn standalone_issuer(inputs: &Inputs, store: &StateStore) -> Result<(Stack, Issuer), Error> {
    let (stack, state) = load(inputs, store)?;
    let issuer = Issuer::new(&stack, state, String::new())?;
    Ok((stack, issuer))
}
