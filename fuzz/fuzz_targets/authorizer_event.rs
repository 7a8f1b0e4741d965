//! Arbitrary JSON through the authorizer's event parser and handler: see
//! `fuzz_harness::authorizer_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_harness::authorizer_event(data);
});
