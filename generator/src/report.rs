//! Diagnostics on stderr: rustc-style with the source line (annotate-snippets)
//! or one line each (`--message-format short`: `file:line (at #pointer):
//! message`, what scripts parse).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use generator::diag::{Diagnostic, Diagnostics, Line, Location, Severity};

use crate::cli::{Input, MessageFormat};

/// Prints the diagnostics (of each kind of warning the first `limit`).
pub fn all(diagnostics: &Diagnostics, input: &Input, limit: usize) {
    let renderer = if std::io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut texts = Texts::default();
    for line in diagnostics.summarised(limit) {
        match (line, input.message_format) {
            (Line::Shown(d), MessageFormat::Human) => {
                eprintln!("{}\n", human(d, &renderer, &mut texts));
            }
            (line, _) => eprintln!("{line}"),
        }
    }
}

/// Source texts read for showing lines, each once.
#[derive(Default)]
struct Texts(BTreeMap<String, Option<String>>);

impl Texts {
    fn load(&mut self, file: &str) {
        self.0.entry(file.to_owned()).or_insert_with(|| {
            generator::source::read_file(Path::new(file))
                .ok()
                .map(|f| f.text)
        });
    }

    fn get(&self, file: &str) -> Option<&str> {
        self.0.get(file).and_then(|t| t.as_deref())
    }
}

fn human(d: &Diagnostic, renderer: &Renderer, texts: &mut Texts) -> String {
    let places = [
        d.location.as_ref(),
        d.location.as_ref().and_then(|l| l.overlay.as_deref()),
        d.related.as_ref(),
    ];
    for place in places.into_iter().flatten() {
        texts.load(&place.file);
    }
    let texts = &*texts;
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str());
    let mut groups: Vec<Group<'_>> = Vec::new();
    match &d.location {
        Some(loc) => match snippet(loc, texts, AnnotationKind::Primary, pointer_label(loc)) {
            Some(s) => groups.push(title.element(s)),
            None => groups
                .push(Group::with_title(title).element(Level::NOTE.message(format!("at {loc}")))),
        },
        None => groups.push(Group::with_title(title)),
    }
    let notes = [
        d.location
            .as_ref()
            .and_then(|l| l.overlay.as_deref())
            .map(|o| (o, format!("changed by the overlay at {o}"))),
        d.related.as_ref().map(|r| (r, format!("see also {r}"))),
    ];
    for (place, text) in notes.into_iter().flatten() {
        let note = Level::NOTE.secondary_title(text);
        match snippet(place, texts, AnnotationKind::Context, String::new()) {
            Some(s) => groups.push(Group::with_title(note).element(s)),
            None => groups.push(Group::with_title(note)),
        }
    }
    renderer.render(&groups)
}

fn pointer_label(loc: &Location) -> String {
    if loc.pointer.is_empty() {
        String::new()
    } else {
        format!("#{}", loc.pointer)
    }
}

/// Longest source line shown. Minified JSON specs are one line of
/// megabytes: rendering it says nothing and took seconds.
const LONGEST_LINE: usize = 240;

/// The location's line of its file, annotated; `None` when the file cannot
/// be read, has no such line, or the line is too long to show.
fn snippet<'t>(
    loc: &'t Location,
    texts: &'t Texts,
    kind: AnnotationKind,
    label: String,
) -> Option<Snippet<'t, annotate_snippets::Annotation<'t>>> {
    let text = texts.get(&loc.file)?;
    let line = text.lines().nth(loc.line.checked_sub(1)?)?;
    if line.len() > LONGEST_LINE {
        return None;
    }
    let start = line.len() - line.trim_start().len();
    let end = line.trim_end().len().max(start);
    Some(
        Snippet::source(line)
            .line_start(loc.line)
            .path(loc.file.as_str())
            .annotation(kind.span(start..end).label(label)),
    )
}
