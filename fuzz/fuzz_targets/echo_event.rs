//! Arbitrary JSON through the echo handler's event parser and handler: see
//! `authorizer_fuzz::echo_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| authorizer_fuzz::echo_event(data));
