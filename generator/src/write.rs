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

/// How careful the writer is with a folder it does not recognise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Write into a non-empty folder that holds no generated files, and over
    /// files without the generated marker.
    pub force: bool,
}

/// Writes (or checks) `files` under `root`, refusing folders and files that
/// it did not generate.
pub fn write(root: &Path, files: &[GeneratedFile], mode: Mode) -> io::Result<Report> {
    write_with(root, files, mode, Options::default())
}

/// Whether `root` holds anything at all.
fn non_empty(root: &Path) -> io::Result<bool> {
    match fs::read_dir(root) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether `root` looks like a crate this writer generated: its
/// `Cargo.toml` or one of its `src/` files carries the marker.
fn generated_here(root: &Path) -> io::Result<bool> {
    if read_generated(&root.join("Cargo.toml")) {
        return Ok(true);
    }
    let src = root.join("src");
    if !src.is_dir() {
        return Ok(false);
    }
    let mut existing = Vec::new();
    collect(&src, &mut existing)?;
    Ok(existing.iter().any(|p| read_generated(p)))
}

fn read_generated(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|t| is_generated(&t))
}

fn refuse(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::AlreadyExists, message)
}

/// A path below `root` must not lead out of it through a symbolic link.
fn check_no_link(root: &Path, rel: &str) -> io::Result<()> {
    let mut path = root.to_path_buf();
    for part in Path::new(rel).components() {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to write through the symbolic link {}",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// [`write`] with options.
pub fn write_with(
    root: &Path,
    files: &[GeneratedFile],
    mode: Mode,
    options: Options,
) -> io::Result<Report> {
    if !options.force && non_empty(root)? && !generated_here(root)? {
        return Err(refuse(format!(
            "{} is not empty and holds no generated files; refusing to write into it (use the force option to do it anyway)",
            root.display()
        )));
    }
    let mut report = Report::default();
    let mut planned = Vec::with_capacity(files.len());
    for f in files {
        let path = inside(root, &f.path)?;
        check_no_link(root, &f.path)?;
        let current = fs::read(&path).ok();
        if current.as_deref() == Some(f.contents.as_bytes()) {
            report.unchanged.push(f.path.clone());
            continue;
        }
        let hand_written = current
            .as_deref()
            .is_some_and(|c| !is_generated(&String::from_utf8_lossy(c)));
        if hand_written && !options.force {
            return Err(refuse(format!(
                "{} exists and was not generated (no `{MARKER}` header); refusing to overwrite it (use the force option to do it anyway)",
                path.display()
            )));
        }
        report.written.push(f.path.clone());
        planned.push((path, f));
    }
    if mode == Mode::Write {
        for (path, f) in planned {
            atomic_write(&path, f.contents.as_bytes())?;
        }
    }
    // Generated files from an earlier run that are no longer produced.
    let src = root.join("src");
    let src_is_link = fs::symlink_metadata(&src).is_ok_and(|m| m.file_type().is_symlink());
    if src.is_dir() && !src_is_link {
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
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
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

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh, empty folder under the system temp folder, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::SeqCst);
            let path =
                std::env::temp_dir().join(format!("generator-write-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{e}"));
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn file(path: &str, body: &str) -> GeneratedFile {
        let comment = if path.ends_with(".rs") { "//" } else { "#" };
        GeneratedFile {
            path: path.to_owned(),
            contents: format!("{}{body}\n", crate::format::header("test", comment)),
        }
    }

    fn put(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn read(root: &Path, rel: &str) -> Option<String> {
        fs::read_to_string(root.join(rel)).ok()
    }

    fn crate_files(lib: &str) -> Vec<GeneratedFile> {
        vec![file("Cargo.toml", "[package]"), file("src/lib.rs", lib)]
    }

    #[test]
    fn writes_only_changes_and_removes_only_its_own_stale_files() {
        let dir = TempDir::new();
        let root = dir.0.join("out");
        let r = write(&root, &crate_files("a"), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.written, ["Cargo.toml", "src/lib.rs"]);
        // A stale generated file and a hand-written one.
        put(&root, "src/old.rs", &file("src/old.rs", "x").contents);
        put(&root, "src/mine.rs", "// mine\n");
        let r = write(&root, &crate_files("b"), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.written, ["src/lib.rs"]);
        assert_eq!(r.unchanged, ["Cargo.toml"]);
        assert_eq!(r.removed, ["src/old.rs"]);
        assert_eq!(read(&root, "src/old.rs"), None);
        assert_eq!(read(&root, "src/mine.rs").as_deref(), Some("// mine\n"));
        // No temporary files are left behind.
        let left: Vec<String> = fs::read_dir(root.join("src"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn check_mode_writes_nothing() {
        let dir = TempDir::new();
        let root = dir.0.join("out");
        write(&root, &crate_files("a"), Mode::Write).unwrap_or_else(|e| panic!("{e}"));
        put(&root, "src/old.rs", &file("src/old.rs", "x").contents);
        let before = read(&root, "src/lib.rs");
        let r = write(&root, &crate_files("b"), Mode::Check).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.stale(), ["src/lib.rs", "src/old.rs"]);
        assert_eq!(read(&root, "src/lib.rs"), before);
        assert!(read(&root, "src/old.rs").is_some());
        // Check mode on a folder that does not exist creates nothing.
        let missing = dir.0.join("missing");
        let r = write(&missing, &crate_files("a"), Mode::Check).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.written.len(), 2);
        assert!(!missing.exists());
    }

    #[test]
    fn refuses_folders_and_files_it_did_not_generate() {
        // (existing files, force, expected error substring or None)
        type Files = &'static [(&'static str, &'static str)];
        let cases: &[(Files, bool, Option<&str>)] = &[
            (&[], false, None),
            (
                &[("README.md", "hello")],
                false,
                Some("is not empty and holds no generated files"),
            ),
            (
                &[("Cargo.toml", "[package]\nname = \"mine\"\n")],
                false,
                Some("is not empty"),
            ),
            (
                &[("Cargo.toml", "[package]\nname = \"mine\"\n")],
                true,
                None,
            ),
            (
                &[("src/lib.rs", "// @generated by `x`. Do not edit by hand.\n")],
                false,
                None,
            ),
            (
                &[
                    ("src/types.rs", "// @generated by `x`.\n"),
                    ("src/lib.rs", "fn main() {}\n"),
                ],
                false,
                Some("exists and was not generated"),
            ),
            (
                &[
                    ("src/types.rs", "// @generated by `x`.\n"),
                    ("src/lib.rs", "fn main() {}\n"),
                ],
                true,
                None,
            ),
        ];
        for (i, (existing, force, expected)) in cases.iter().enumerate() {
            let dir = TempDir::new();
            let root = dir.0.join("out");
            fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
            for (rel, text) in *existing {
                put(&root, rel, text);
            }
            let before: Vec<Option<String>> =
                existing.iter().map(|(rel, _)| read(&root, rel)).collect();
            let result = write_with(
                &root,
                &crate_files("a"),
                Mode::Write,
                Options { force: *force },
            );
            match (expected, result) {
                (None, Ok(_)) => assert!(
                    read(&root, "src/lib.rs").is_some_and(|t| t.ends_with("a\n")),
                    "case {i}"
                ),
                (Some(text), Err(e)) => {
                    assert!(e.to_string().contains(text), "case {i}: {e}");
                    let after: Vec<Option<String>> =
                        existing.iter().map(|(rel, _)| read(&root, rel)).collect();
                    assert_eq!(before, after, "case {i}: refused, but changed files");
                }
                (expected, got) => panic!("case {i}: expected {expected:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn refuses_paths_outside_the_folder() {
        let dir = TempDir::new();
        let root = dir.0.join("out");
        for rel in ["../escape.rs", "/abs.rs", "", "src/../../x.rs"] {
            let files = [GeneratedFile {
                path: rel.to_owned(),
                contents: String::new(),
            }];
            let err = write(&root, &files, Mode::Write)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("outside the output folder"), "{rel:?}: {err}");
        }
        assert!(!dir.0.join("escape.rs").exists());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_write_through_symbolic_links() {
        let dir = TempDir::new();
        let root = dir.0.join("out");
        let elsewhere = dir.0.join("elsewhere");
        fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        put(
            &root,
            "Cargo.toml",
            &file("Cargo.toml", "[package]").contents,
        );
        std::os::unix::fs::symlink(&elsewhere, root.join("src")).unwrap_or_else(|e| panic!("{e}"));
        let err = write(&root, &crate_files("a"), Mode::Write)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(
            fs::read_dir(&elsewhere)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false)
        );
    }
}
