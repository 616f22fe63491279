//! Command-line arguments of the `generator` binary (clap derive).
//!
//! `generator SPEC… --out DIR` (no subcommand) is `generator generate`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const AFTER_HELP: &str = "\
Without a subcommand, `generator SPEC... --out DIR` generates (as `generate`).

Progress (when stderr is a terminal), warnings, the change report (each
change of the crate's public API since its public-api.toml, breaking or
compatible, with file:line and JSON pointer; last line: the release it
needs) and a summary go to stderr; `inspect` and `--json` print to stdout.

Exit status:
  0  success (`check`: the crate is up to date)
  1  `check` (or `--check`): the crate on disk is stale
  2  usage errors, unreadable inputs, or errors in the specs, config or overlays";

#[derive(Debug, Parser)]
#[command(
    name = "generator",
    version,
    about = "Turns OpenAPI 3.0, 3.1 and 3.2 descriptions into a typed Rust client crate",
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `generate`'s arguments, for the form without a subcommand.
    #[command(flatten)]
    pub generate: Generate,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the client crate into a folder (the default).
    Generate(Generate),
    /// Write nothing; exit 1 when the crate on disk is stale.
    Check(Check),
    /// Show what would be generated: operations, types, features, warnings.
    Inspect(Inspect),
}

/// What every subcommand reads.
#[derive(Clone, Debug, Default, Args)]
pub struct Input {
    /// Spec files or folders (walked recursively): `.json`, `.yaml`/`.yml`,
    /// or `.md` with fenced json/yaml blocks holding OpenAPI documents; all
    /// are merged into one API.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// Generator config (codegen.toml: package, operation names, client
    /// parameters, overlays, extra manifest content); default: `codegen.toml`
    /// in the first SPEC folder, if any.
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// An OpenAPI Overlay (1.0/1.1) applied to the merged spec, after the
    /// config's; repeatable, applied in order.
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// Crate name (overrides the config's `package.name`; default: from the
    /// API's title).
    #[arg(short, long, value_parser = crate_name)]
    pub name: Option<String>,
    /// Print every warning (by default, after the first few of one kind, a
    /// line says how many more there are).
    #[arg(short, long)]
    pub verbose: bool,
    /// How diagnostics are printed: `human` shows the source line, `short`
    /// is one line each (`file:line (at #pointer): message`).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    #[default]
    Human,
    Short,
}

#[derive(Clone, Debug, Default, Args)]
pub struct Generate {
    #[command(flatten)]
    pub input: Input,
    /// Folder of the crate to write (Cargo.toml + src/); only changed files
    /// are written, and generated files no longer produced are removed.
    #[arg(short, long, value_name = "DIR", required = true)]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 when the crate on disk is stale (as `check`).
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub crate_options: CrateOptions,
}

#[derive(Clone, Debug, Default, Args)]
pub struct Check {
    #[command(flatten)]
    pub input: Input,
    /// Folder of the crate to compare with.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub crate_options: CrateOptions,
}

#[derive(Clone, Debug, Default, Args)]
pub struct CrateOptions {
    /// List what the client lacks of the spec: operations without a method,
    /// parameters it cannot send, values typed `serde_json::Value` (by
    /// cause), with pointers.
    #[arg(long)]
    pub fidelity: bool,
    /// Omit the empty `[workspace]` table that otherwise keeps the crate out
    /// of any enclosing Cargo workspace.
    #[arg(long)]
    pub in_workspace: bool,
    /// Also print the change report (what changed in the crate's public
    /// API since its `public-api.toml`) as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Debug, Default, Args)]
pub struct Inspect {
    #[command(flatten)]
    pub input: Input,
    /// Print JSON (a stable schema, see `schema_version`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One run: what to do with which inputs.
#[derive(Debug)]
pub enum Run {
    Generate {
        input: Input,
        out: PathBuf,
        check: bool,
        options: CrateOptions,
    },
    Inspect {
        input: Input,
        json: bool,
    },
}

impl Cli {
    pub fn run(self) -> Run {
        let g = match self.command {
            None => self.generate,
            Some(Command::Generate(g)) => g,
            Some(Command::Check(c)) => {
                return Run::Generate {
                    input: c.input,
                    out: c.out,
                    check: true,
                    options: c.crate_options,
                };
            }
            Some(Command::Inspect(i)) => {
                return Run::Inspect {
                    input: i.input,
                    json: i.json,
                };
            }
        };
        Run::Generate {
            input: g.input,
            out: g.out.unwrap_or_default(),
            check: g.check,
            options: g.crate_options,
        }
    }
}

impl Run {
    /// The command named in generated file headers: the same in write and
    /// check mode, so a check compares like with like.
    pub fn command(&self) -> String {
        let (input, out, options) = match self {
            Run::Generate {
                input,
                out,
                options,
                ..
            } => (input, Some(out), Some(options)),
            Run::Inspect { input, .. } => (input, None, None),
        };
        let mut parts = vec!["generator".to_owned()];
        parts.extend(input.specs.iter().map(|p| p.display().to_string()));
        if let Some(out) = out {
            parts.push("--out".to_owned());
            parts.push(out.display().to_string());
        }
        if let Some(c) = &input.config {
            parts.push("--config".to_owned());
            parts.push(c.display().to_string());
        }
        for o in &input.overlays {
            parts.push("--overlay".to_owned());
            parts.push(o.display().to_string());
        }
        if let Some(n) = &input.name {
            parts.push("--name".to_owned());
            parts.push(n.clone());
        }
        if options.is_some_and(|o| o.in_workspace) {
            parts.push("--in-workspace".to_owned());
        }
        parts.join(" ")
    }
}

/// Cargo's rules for a package name, kept to the portable subset.
fn crate_name(name: &str) -> Result<String, String> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "`{name}` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Run, String> {
        let argv = std::iter::once("generator").chain(line.split_whitespace());
        Cli::try_parse_from(argv)
            .map(Cli::run)
            .map_err(|e| e.kind().to_string())
    }

    /// (command line, the header command, check) or the kind of error.
    #[test]
    fn table() {
        type Expected = Result<(&'static str, bool), &'static str>;
        let cases: Vec<(&str, Expected)> = vec![
            ("a.json --out o", Ok(("generator a.json --out o", false))),
            ("--out=o a b", Ok(("generator a b --out o", false))),
            ("-o o -- --weird", Ok(("generator --weird --out o", false))),
            (
                "a --out o --check --name my-api --config c.toml --in-workspace",
                Ok((
                    "generator a --out o --config c.toml --name my-api --in-workspace",
                    true,
                )),
            ),
            (
                "generate a --out o --overlay x.yaml --overlay y.yaml",
                Ok((
                    "generator a --out o --overlay x.yaml --overlay y.yaml",
                    false,
                )),
            ),
            ("check a --out o", Ok(("generator a --out o", true))),
            ("inspect a --json", Ok(("generator a", false))),
            ("a", Err("required arguments")),
            ("--out o", Err("required arguments")),
            ("a --out", Err("values isn't valid")),
            ("a --out o --frob", Err("unexpected argument found")),
            (
                "a --out o --name 9lives",
                Err("invalid value for one of the arguments"),
            ),
        ];
        for (line, expected) in cases {
            let got = parse(line).map(|run| {
                let check = matches!(run, Run::Generate { check: true, .. });
                (run.command(), check)
            });
            match (got, expected) {
                (Ok((command, check)), Ok((want, want_check))) => {
                    assert_eq!((command.as_str(), check), (want, want_check), "{line}");
                }
                (Err(kind), Err(want)) => assert!(kind.contains(want), "{line}: {kind}"),
                (got, want) => panic!("{line}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn command_is_stable_across_check() {
        let a = parse("specs --out out --name x").map(|r| r.command());
        let b = parse("--check specs --name x --out out").map(|r| r.command());
        let c = parse("check specs --name x --out out").map(|r| r.command());
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.as_deref(), Ok("generator specs --out out --name x"));
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
