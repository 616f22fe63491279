//! Stage 7: the writer. Puts generated files on disk: only files whose
//! content changed, each atomically (temporary file + rename), only inside
//! the output folder; removes files it generated earlier that are no longer
//! produced. In check mode it writes nothing and reports what is stale.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::format::{GeneratedFile, MARKER};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What the writer did (or, in check mode, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

impl Report {
    /// Files that differ from what is on disk.
    pub fn stale(&self) -> Vec<&str> {
        self.written
            .iter()
            .chain(&self.removed)
            .map(String::as_str)
            .collect()
    }
}

/// Whether `text` starts with the generated-file header.
fn is_generated(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| (l.starts_with("// ") || l.starts_with("# ")) && l.contains(MARKER))
}

/// Refuses paths that would leave the output folder.
fn inside(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel_path = Path::new(rel);
    let ok = rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !ok || rel.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{rel}` outside the output folder"),
        ));
    }
    Ok(root.join(rel_path))
}

/// Writes (or checks) `files` under `root`.
pub fn write(root: &Path, files: &[GeneratedFile], mode: Mode) -> io::Result<Report> {
    let mut report = Report::default();
    for f in files {
        let path = inside(root, &f.path)?;
        let current = fs::read(&path).ok();
        if current.as_deref() == Some(f.contents.as_bytes()) {
            report.unchanged.push(f.path.clone());
            continue;
        }
        report.written.push(f.path.clone());
        if mode == Mode::Write {
            atomic_write(&path, f.contents.as_bytes())?;
        }
    }
    // Generated files from an earlier run that are no longer produced.
    let src = root.join("src");
    if src.is_dir() {
        let mut existing = Vec::new();
        collect(&src, &mut existing)?;
        existing.sort();
        for path in existing {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if files.iter().any(|f| f.path == rel) {
                continue;
            }
            let generated = fs::read_to_string(&path).is_ok_and(|t| is_generated(&t));
            if generated {
                report.removed.push(rel);
                if mode == Mode::Write {
                    fs::remove_file(&path)?;
                }
            }
        }
    }
    Ok(report)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}
