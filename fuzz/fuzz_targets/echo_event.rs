//! Arbitrary JSON through the echo handler's event parser and handler: see
//! `fuzz_harness::echo_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_harness::echo_event(data);
});
