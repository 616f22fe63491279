//! Stage 1: sources. Reads spec files from disk and cuts them into snippets,
//! each remembering its file and the line where it starts.
//!
//! This module and [`crate::write`] are the only ones that touch the file
//! system.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::markdown;

/// One file as read from disk. `name` is how diagnostics refer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// The syntax of a snippet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// A candidate OpenAPI document: the text of a whole `.json`/`.yaml` file or of
/// one fenced block of a Markdown file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub file: String,
    /// 1-based line in `file` of the snippet's first line.
    pub line: usize,
    pub syntax: Syntax,
    pub text: String,
    /// True when it came from Markdown, where blocks that are not OpenAPI
    /// documents (examples, other code) are skipped silently.
    pub embedded: bool,
}

/// Extensions the loader reads.
const EXTENSIONS: [&str; 4] = ["md", "json", "yaml", "yml"];

/// Reads every spec file named by `paths` (files, or folders walked
/// recursively), in sorted order. Names are the paths as given, joined with
/// the relative path below a folder.
pub fn load(paths: &[PathBuf]) -> io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            for f in found {
                files.push(read(&f)?);
            }
        } else {
            files.push(read(path)?);
        }
    }
    Ok(files)
}

/// Reads one file (a config, an overlay): UTF-8 text, named as given.
pub fn read_file(path: &Path) -> io::Result<SourceFile> {
    read(path)
}

fn read(path: &Path) -> io::Result<SourceFile> {
    let bytes = fs::read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not UTF-8 ({e})", path.display()),
        )
    })?;
    Ok(SourceFile {
        name: path.display().to_string(),
        text,
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_spec_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_spec_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Files that `$ref`s name, read on demand while references are resolved
/// (only [`Disk`] touches the file system).
pub trait Files: Sync {
    /// The text of the file at `path` (a `/`-separated path, relative to the
    /// working directory unless absolute).
    fn read(&self, path: &str) -> io::Result<String>;
}

/// Reads referenced files from disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &str) -> io::Result<String> {
        read(Path::new(path)).map(|f| f.text)
    }
}

/// Reads through another [`Files`] and remembers every path asked for
/// (what a build script names in `cargo:rerun-if-changed`).
pub struct Recorder<'f> {
    files: &'f dyn Files,
    read: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl std::fmt::Debug for Recorder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("read", &self.paths())
            .finish()
    }
}

impl<'f> Recorder<'f> {
    pub fn new(files: &'f dyn Files) -> Self {
        Recorder {
            files,
            read: Default::default(),
        }
    }

    /// Every path asked for so far (sorted), read or not.
    pub fn paths(&self) -> Vec<String> {
        self.read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

impl Files for Recorder<'_> {
    fn read(&self, path: &str) -> io::Result<String> {
        self.read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned());
        self.files.read(path)
    }
}

/// Files held in memory (tests, and callers that read files themselves).
#[derive(Clone, Debug, Default)]
pub struct Memory(pub std::collections::BTreeMap<String, String>);

impl Files for Memory {
    fn read(&self, path: &str) -> io::Result<String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }
}

/// Cuts a file into snippets according to its extension.
pub fn snippets(file: &SourceFile) -> Vec<Snippet> {
    let ext = Path::new(&file.name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "md" | "markdown" => markdown::fenced_blocks(&file.text)
            .into_iter()
            .filter_map(|block| {
                let syntax = match block.lang.as_str() {
                    "json" => Syntax::Json,
                    "yaml" | "yml" => Syntax::Yaml,
                    _ => return None,
                };
                Some(Snippet {
                    file: file.name.clone(),
                    line: block.line,
                    syntax,
                    text: block.text,
                    embedded: true,
                })
            })
            .collect(),
        "json" => vec![whole(file, Syntax::Json)],
        _ => vec![whole(file, Syntax::Yaml)],
    }
}

fn whole(file: &SourceFile, syntax: Syntax) -> Snippet {
    Snippet {
        file: file.name.clone(),
        line: 1,
        syntax,
        text: file.text.clone(),
        embedded: false,
    }
}

/// The text of the public API description a crate was generated with
/// (`public-api.toml` in its folder), if it has one.
pub fn previous_api(crate_dir: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(crate_dir.join(crate::public_api::FILE)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}
