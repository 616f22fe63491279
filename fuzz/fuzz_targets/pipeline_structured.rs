//! (b) The whole pipeline on OpenAPI-shaped JSON built from the input, with
//! a vocabulary of hostile names, `$ref`s (dangling, cyclic) and composition
//! keywords, written as JSON, YAML or Markdown.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    generator_fuzz::check_structured(data);
});
