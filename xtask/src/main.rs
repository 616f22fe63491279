//! Project automation: `cargo xtask <task>`.

mod codegen;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check] [--force]
                      regenerate generated-client/ from specs/;
                      --check writes nothing and fails if it is stale;
                      --force writes into a folder or over files that
                      were not generated
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen::main(codegen::Mode::Write, Default::default()),
        ["codegen", "--force"] => codegen::main(codegen::Mode::Write, generator::write::Options { force: true }),
        ["codegen", "--check"] => codegen::main(codegen::Mode::Check, Default::default()),
        _ => {
            eprint!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}
