//! (a) The Markdown snippet extractor on arbitrary text, then the pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    generator_fuzz::check_markdown(&text);
});
