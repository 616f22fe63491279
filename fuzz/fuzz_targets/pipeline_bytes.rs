//! (b) The whole pipeline on arbitrary bytes as a `.json`, `.yaml` or `.md`
//! file (the first byte picks), optionally followed by a second file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    generator_fuzz::check_bytes(data);
});
