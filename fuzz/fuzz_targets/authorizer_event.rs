//! Arbitrary JSON through the authorizer's event parser and handler: see
//! `authorizer_fuzz::authorizer_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| authorizer_fuzz::authorizer_event(data));
