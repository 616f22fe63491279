//! Project automation: `cargo xtask <task>`.

mod bench;
mod codegen;
mod conformance;
mod corpus;
mod steps;

use std::process::ExitCode;

/// The generator's allocator, so that `bench` measures what its binary does
/// (the parse floor is measured under it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check] [--force]
                      regenerate generated-client/ from specs/;
                      --check writes nothing and fails if it is stale;
                      --force writes into a folder or over files that
                      were not generated
  bench [--quick]     generation and compile benchmarks on the big specs;
                      `cargo xtask bench --help`
  conformance [github|stripe|all] [--quick]
                      generated GitHub and Stripe clients against
                      validating mock servers; writes CONFORMANCE.md
  corpus [DIR] [...]  generate and compile every spec of a folder (default
                      ../shared/corpus/dev); `cargo xtask corpus --help`

checks left out of `cargo test --workspace` (they generate and compile
whole crates, or whole corpora; CI runs them all, after it):
  test-clients        clients generated from small specs, and GitHub's
                      (`repos` feature), run their test programs against
                      loopback servers
  test-adversarial    crates generated from the adversarial fixtures pass
                      `cargo clippy --all-targets -- -D warnings`
  test-v31            (release build) the OpenAPI 3.1 corpus compiles
                      clippy-clean; the 3.0 dev corpus relabelled 3.1
                      still generates
  test-slow           all three, in that order
                      (extra arguments go to the test binaries)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen::main(codegen::Mode::Write, Default::default()),
        ["codegen", "--force"] => codegen::main(
            codegen::Mode::Write,
            generator::write::Options { force: true },
        ),
        ["codegen", "--check"] => codegen::main(codegen::Mode::Check, Default::default()),
        ["bench", rest @ ..] => bench::main(rest),
        ["bench-one", spec, runs, name] => bench::child(spec, runs, name),
        ["corpus", "--help" | "-h"] => {
            print!("{}", corpus::USAGE);
            ExitCode::SUCCESS
        }
        ["corpus", rest @ ..] => corpus::main(rest),
        ["conformance", rest @ ..] => conformance::main(rest),
        [
            step @ ("test-clients" | "test-adversarial" | "test-v31" | "test-slow"),
            rest @ ..,
        ] => steps::main(step, rest),
        ["corpus-one", spec, out, name] => corpus::child(spec.as_ref(), out.as_ref(), name),
        _ => {
            eprint!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}
