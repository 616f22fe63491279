//! Command-line arguments of the `generator` binary (std only).

use std::path::PathBuf;

pub const HELP: &str = "\
generator: turns OpenAPI 3.0/3.1 descriptions into a typed Rust client crate

usage: generator [OPTIONS] <SPEC>... --out <DIR>

arguments:
  <SPEC>...             spec files or folders (walked recursively): `.json`,
                        `.yaml`/`.yml`, or `.md` with fenced json/yaml blocks
                        holding OpenAPI documents; all are merged into one API

options:
  -o, --out <DIR>       folder of the crate to write (Cargo.toml + src/);
                        only changed files are written, and generated files
                        that are no longer produced are removed
  -c, --config <FILE>   generator config (codegen.toml: package, operation
                        names, client parameters, extra manifest content);
                        default: `codegen.toml` in the first SPEC folder, if any
  -n, --name <NAME>     crate name (overrides the config's `package.name`;
                        default: from the API's title)
      --check           write nothing; exit 1 when the crate on disk is stale
  -v, --verbose         print every warning (by default, after the first few of
                        one kind, a line says how many more there are)
      --fidelity        list what the client lacks of the spec: operations
                        without a method, parameters it cannot send, values
                        typed `serde_json::Value` (by cause), with pointers
      --in-workspace    omit the empty `[workspace]` table that otherwise keeps
                        the crate out of any enclosing Cargo workspace
  -h, --help            print this help

Progress, warnings (file:line and JSON pointer) and a summary go to stderr.
Exit status: 0 success, 1 stale (--check), 2 usage or generation errors.
";

/// What the command line asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub specs: Vec<PathBuf>,
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    pub name: Option<String>,
    pub check: bool,
    pub in_workspace: bool,
    /// Print the fidelity details, not only their counts.
    pub fidelity: bool,
    /// Print every warning.
    pub verbose: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Run(Args),
    Help,
}

impl Args {
    /// The command named in generated file headers: the same in write and
    /// check mode, so `--check` compares like with like.
    pub fn command(&self) -> String {
        let mut parts = vec!["generator".to_owned()];
        parts.extend(self.specs.iter().map(|p| p.display().to_string()));
        parts.push("--out".to_owned());
        parts.push(self.out.display().to_string());
        if let Some(c) = &self.config {
            parts.push("--config".to_owned());
            parts.push(c.display().to_string());
        }
        if let Some(n) = &self.name {
            parts.push("--name".to_owned());
            parts.push(n.clone());
        }
        if self.in_workspace {
            parts.push("--in-workspace".to_owned());
        }
        parts.join(" ")
    }
}

/// Parses arguments (without the program name).
pub fn parse(argv: &[String]) -> Result<Parsed, String> {
    let mut args = Args::default();
    let mut out: Option<PathBuf> = None;
    let mut iter = argv.iter();
    let mut only_specs = false;
    while let Some(arg) = iter.next() {
        if only_specs {
            args.specs.push(PathBuf::from(arg));
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            match inline.clone().or_else(|| iter.next().cloned()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("`{flag}` needs {what}")),
            }
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-o" | "--out" => out = Some(PathBuf::from(value("a folder")?)),
            "-c" | "--config" => args.config = Some(PathBuf::from(value("a file")?)),
            "-n" | "--name" => {
                let name = value("a crate name")?;
                check_crate_name(&name)?;
                args.name = Some(name);
            }
            "--check" => args.check = true,
            "--in-workspace" => args.in_workspace = true,
            "--fidelity" => args.fidelity = true,
            "-v" | "--verbose" => args.verbose = true,
            "--" => only_specs = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option `{f}`")),
            _ => args.specs.push(PathBuf::from(arg)),
        }
    }
    args.out = out.ok_or("missing `--out <DIR>`")?;
    if args.specs.is_empty() {
        return Err("no spec files or folders given".to_owned());
    }
    Ok(Parsed::Run(args))
}

/// Cargo's rules for a package name, kept to the portable subset.
fn check_crate_name(name: &str) -> Result<(), String> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn table() {
        let run = |specs: &[&str], out: &str| Args {
            specs: specs.iter().map(PathBuf::from).collect(),
            out: PathBuf::from(out),
            ..Args::default()
        };
        let cases: Vec<(&str, Result<Parsed, &str>)> = vec![
            ("a.json --out o", Ok(Parsed::Run(run(&["a.json"], "o")))),
            ("--out=o a b", Ok(Parsed::Run(run(&["a", "b"], "o")))),
            ("-o o -- --weird", Ok(Parsed::Run(run(&["--weird"], "o")))),
            (
                "a --out o --check --name my-api --config c.toml --in-workspace",
                Ok(Parsed::Run(Args {
                    check: true,
                    name: Some("my-api".into()),
                    config: Some("c.toml".into()),
                    in_workspace: true,
                    ..run(&["a"], "o")
                })),
            ),
            ("--help", Ok(Parsed::Help)),
            ("a --out o -h", Ok(Parsed::Help)),
            ("a", Err("missing `--out <DIR>`")),
            ("--out o", Err("no spec files or folders given")),
            ("a --out", Err("`--out` needs a folder")),
            ("a --out o --frob", Err("unknown option `--frob`")),
            (
                "a --out o --name 9lives",
                Err(
                    "`9lives` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)",
                ),
            ),
        ];
        for (line, expected) in cases {
            let got = parse(&argv(line));
            assert_eq!(got, expected.map_err(str::to_owned), "{line}");
        }
    }

    #[test]
    fn command_is_stable_across_check() {
        let Ok(Parsed::Run(a)) = parse(&argv("specs --out out --name x")) else {
            panic!("parse failed");
        };
        let Ok(Parsed::Run(b)) = parse(&argv("--check specs --name x --out out")) else {
            panic!("parse failed");
        };
        assert_eq!(a.command(), b.command());
        assert_eq!(a.command(), "generator specs --out out --name x");
    }
}
