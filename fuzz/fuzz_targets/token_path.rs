//! The raw `Authorization` header value in, the decision out: see `fuzz_harness::token_path`.
//! Half of the mutations are libFuzzer's own, half token-aware (`fuzz_harness::mutate_token`).
#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

fuzz_target!(
    init: fuzz_harness::token_path_init(),
    |data: &[u8]| {
        fuzz_harness::token_path(data);
    }
);

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    if seed.is_multiple_of(2) {
        return fuzzer_mutate(data, size, max_size);
    }
    let mutated = fuzz_harness::mutate_token(&data[..size], seed / 2);
    if mutated.len() > max_size {
        return fuzzer_mutate(data, size, max_size);
    }
    data[..mutated.len()].copy_from_slice(&mutated);
    mutated.len()
});
