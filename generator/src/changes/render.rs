//! The report as text (for people) and as JSON (for tools): the same
//! changes, and a last line saying which version bump they need.

use serde::Serialize;
use serde_json::{Value, json};

use super::Report;

/// Which version number a change moves, by Cargo's rules: a breaking
/// change bumps the first non-zero component, a compatible one the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// What the changes mean for the crate's version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub bump: Bump,
    pub breaking: usize,
    pub compatible: usize,
    /// The version the previous description names, and the next one.
    pub from: String,
    pub to: String,
}

/// `major.minor.patch` (anything after a `-` or `+` dropped).
fn parse(version: &str) -> Option<[u64; 3]> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let v = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(v)
}

impl Verdict {
    fn of(report: &Report) -> Verdict {
        let (breaking, compatible) = (report.breaking(), report.compatible());
        let from = report.version.clone();
        let version = parse(&from);
        let bump = match (version, breaking > 0, compatible > 0) {
            (_, false, false) => Bump::None,
            // 0.0.z: every release is incompatible with the others.
            (Some([0, 0, _]), _, _) => Bump::Patch,
            (Some([0, _, _]), true, _) => Bump::Minor,
            (Some([0, _, _]), false, _) => Bump::Patch,
            (_, true, _) => Bump::Major,
            (_, false, _) => Bump::Minor,
        };
        let to = match (version, bump) {
            (Some([a, b, c]), Bump::Patch) => format!("{a}.{b}.{}", c + 1),
            (Some([a, b, _]), Bump::Minor) => format!("{a}.{}.0", b + 1),
            (Some([a, _, _]), Bump::Major) => format!("{}.0.0", a + 1),
            _ => from.clone(),
        };
        Verdict {
            bump,
            breaking,
            compatible,
            from,
            to,
        }
    }

    /// The report's last line.
    pub fn line(&self) -> String {
        let n = self.breaking + self.compatible;
        let plural = if n == 1 { "" } else { "s" };
        if self.bump == Bump::None {
            return "no API change".to_owned();
        }
        let release = if self.breaking > 0 {
            "a breaking release"
        } else {
            "a compatible release"
        };
        let counts = if self.breaking == 0 {
            format!("{n} API change{plural}, all compatible")
        } else {
            format!(
                "{n} API change{plural}, {} breaking, {} compatible",
                self.breaking, self.compatible
            )
        };
        let version = if self.to != self.from {
            format!(", version {} → {}", self.from, self.to)
        } else {
            String::new()
        };
        format!("{counts}; needs {release}{version}")
    }
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self)
    }

    /// The report for people: one entry per change (what, the item, its
    /// type; then file, line and pointer), and the verdict last.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if let Some(why) = &self.baseline {
            out.push_str(&format!(
                "no description of the previous API to compare with ({why})\n"
            ));
            return out;
        }
        for c in &self.changes {
            let class = if c.breaking { "breaking" } else { "compatible" };
            let detail = if c.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.detail)
            };
            out.push_str(&format!(
                "  {class:<10}  {}: {}{detail}\n",
                c.what.label(),
                c.item
            ));
            match &c.location {
                Some(l) => out.push_str(&format!("              {l}\n")),
                None if !c.pointer.is_empty() => {
                    out.push_str(&format!("              at #{}\n", c.pointer))
                }
                None => {}
            }
        }
        out.push_str(&self.verdict().line());
        out.push('\n');
        out
    }

    /// The same as data.
    pub fn json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                json!({
                    "breaking": c.breaking,
                    "what": c.what,
                    "item": c.item,
                    "detail": c.detail,
                    "pointer": c.pointer,
                    "file": c.location.as_ref().map(|l| l.file.as_str()),
                    "line": c.location.as_ref().map(|l| l.line),
                    // The overlay action that changed the element, if one did.
                    "overlay": c
                        .location
                        .as_ref()
                        .and_then(|l| l.overlay.as_ref())
                        .map(|o| format!("{}:{}", o.file, o.line)),
                })
            })
            .collect();
        let verdict = self.verdict();
        json!({
            "baseline": self.baseline,
            "changes": changes,
            "breaking": verdict.breaking,
            "compatible": verdict.compatible,
            "bump": verdict.bump,
            "from": verdict.from,
            "to": verdict.to,
            "verdict": match &self.baseline {
                Some(_) => "no baseline".to_owned(),
                None => verdict.line(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps() {
        let cases = [
            ("0.1.0", 0, 0, Bump::None, "0.1.0"),
            ("0.1.0", 0, 2, Bump::Patch, "0.1.1"),
            ("0.1.3", 1, 2, Bump::Minor, "0.2.0"),
            ("0.0.3", 1, 0, Bump::Patch, "0.0.4"),
            ("1.4.2", 0, 1, Bump::Minor, "1.5.0"),
            ("1.4.2", 3, 0, Bump::Major, "2.0.0"),
            ("1.4.2-beta.1", 1, 0, Bump::Major, "2.0.0"),
            ("weird", 1, 0, Bump::Major, "weird"),
        ];
        for (version, breaking, compatible, bump, to) in cases {
            let change = |breaking| super::super::Change {
                breaking,
                what: super::super::What::FieldAdded,
                item: String::new(),
                detail: String::new(),
                pointer: String::new(),
                location: None,
            };
            let report = Report {
                version: version.into(),
                changes: (0..breaking)
                    .map(|_| change(true))
                    .chain((0..compatible).map(|_| change(false)))
                    .collect(),
                baseline: None,
            };
            let v = report.verdict();
            assert_eq!((v.bump, v.to.as_str()), (bump, to), "{version}");
        }
    }
}
