//! The layers, checked from the sources: every `crate::` path names the module it uses.
//!
//! - The kernel (`kernel`, and `ui` above it) uses no feature: a feature can change without
//!   touching what every other feature stands on.
//! - Features may use each other's public types and rules, but never in a cycle: a cycle
//!   means neither can be understood (or split into another Worker) alone.
//! - Server-side code (`api`, `server`, `digest` modules and the kernel) never reaches into
//!   page code (`page`, `*_page`, islands).

mod support;
use support::sources;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;


/// A module's path under `src` (`features/drip/rules.rs` → `["features", "drip", "rules"]`).
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The unit a module belongs to: `features::drip`, `kernel`, `ui`, `app`.
fn unit(path: &[String]) -> String {
    match path.first().map(String::as_str) {
        Some("features") if path.len() > 1 => format!("features::{}", path[1]),
        Some(top) => top.to_string(),
        None => "lib".to_string(),
    }
}

fn is_page(path: &[String]) -> bool {
    path.last().is_some_and(|m| m == "page" || m.ends_with("_page") || m == "islands")
}

fn is_server_side(path: &[String]) -> bool {
    path.first().is_some_and(|p| p == "kernel") || path.last().is_some_and(|m| matches!(m.as_str(), "api" | "server" | "digest" | "answers" | "reviews" | "invitations" | "directory_api" | "tools_api"))
}

/// Every `crate::a::b...` path in a file, as module segments (lower-case segments only:
/// types and functions end the path).
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    for (i, _) in text.match_indices("crate::") {
        if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `$crate::`, `app::crate::` never occur; `xcrate::` is not ours
        }
        // Segments joined by `::`; the path ends at the first other character, and at the
        // first segment that is not a module (a type, a function, `{`).
        let mut segs: Vec<String> = vec![];
        let mut rest = &text[i + "crate::".len()..];
        loop {
            let seg: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if seg.is_empty() || !seg.starts_with(|c: char| c.is_ascii_lowercase()) {
                break;
            }
            rest = &rest[seg.len()..];
            segs.push(seg);
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => break,
            }
        }
        if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

struct Graph {
    /// unit → units it uses, with one example `file: path` each.
    edges: BTreeMap<String, BTreeMap<String, String>>,
    problems: Vec<String>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    assert!(files.len() > 80, "the sources were found");
    let mut g = Graph { edges: BTreeMap::new(), problems: vec![] };
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let from = module_of(&rel);
        let text = std::fs::read_to_string(file).expect("readable source");
        for to in crate_paths(&text) {
            let (a, b) = (unit(&from), unit(&to));
            let example = format!("{rel}: crate::{}", to.join("::"));
            if (a == "kernel" || a == "ui") && b.starts_with("features::") {
                g.problems.push(format!("kernel → feature: {example}"));
            }
            if a == "kernel" && b == "ui" {
                g.problems.push(format!("kernel → ui: {example}"));
            }
            if is_server_side(&from) && is_page(&to) {
                g.problems.push(format!("server code → page code: {example}"));
            }
            if a != b {
                g.edges.entry(a).or_default().entry(b).or_insert(example);
            }
        }
    }
    g
}

/// Cycles between units: each strongly connected group of more than one unit (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        edges: &'a BTreeMap<String, BTreeMap<String, String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on: BTreeSet<String>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit(t: &mut T, v: &str) {
        t.index.insert(v.into(), t.next);
        t.low.insert(v.into(), t.next);
        t.next += 1;
        t.stack.push(v.into());
        t.on.insert(v.into());
        let targets: Vec<String> = t.edges.get(v).map(|m| m.keys().cloned().collect()).unwrap_or_default();
        for w in targets {
            if !t.index.contains_key(&w) {
                visit(t, &w);
                let low = t.low[&w].min(t.low[v]);
                t.low.insert(v.into(), low);
            } else if t.on.contains(&w) {
                let low = t.index[&w].min(t.low[v]);
                t.low.insert(v.into(), low);
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = vec![];
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = w == v;
                group.push(w);
                if done {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: vec![], on: BTreeSet::new(), next: 0, out: vec![] };
    let nodes: Vec<String> = edges.keys().cloned().collect();
    for v in nodes {
        if !t.index.contains_key(&v) {
            visit(&mut t, &v);
        }
    }
    t.out
}

#[test]
fn layers_hold_and_units_form_no_cycle() {
    let g = graph();
    let mut problems = g.problems.clone();
    for group in cycles(&g.edges) {
        let mut lines = vec![format!("cycle between {}:", group.join(", "))];
        for a in &group {
            for (b, example) in g.edges.get(a).into_iter().flatten() {
                if group.contains(b) {
                    lines.push(format!("    {a} → {b} ({example})"));
                }
            }
        }
        problems.push(lines.join("\n"));
    }
    // The map, for the reader of the test output (`cargo test -- --nocapture`).
    for (a, targets) in &g.edges {
        println!("{a} → {}", targets.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(problems.is_empty(), "layer problems:\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_paths_cycles_and_kernel_imports() {
    assert_eq!(crate_paths("use crate::features::drip::rules::{Rule, X};"), vec![vec!["features", "drip", "rules"]]);
    assert_eq!(crate_paths("crate::kernel::html::escape(x)"), vec![vec!["kernel", "html", "escape"]]);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    edges.entry("features::a".into()).or_default().insert("features::b".into(), String::new());
    edges.entry("features::b".into()).or_default().insert("kernel".into(), String::new());
    assert!(cycles(&edges).is_empty());
    edges.entry("kernel".into()).or_default().insert("features::a".into(), String::new());
    assert_eq!(cycles(&edges), vec![vec!["features::a".to_string(), "features::b".into(), "kernel".into()]]);
    assert!(is_page(&module_of("features/drip/page.rs")) && is_server_side(&module_of("features/drip/digest.rs")));
}

/// Statements that still name the school by hand (`school_id = ?`) instead of going through
/// the query layer (`kernel::db::SchoolDb`, `@table`). A ratchet: the number may only go down
/// (lower it here when a feature moves); `kernel/scoped_sql.rs` itself is the layer.
const HAND_SCOPED_LEFT: usize = 34;

#[test]
fn queries_move_to_the_school_scoped_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    let mut per_file: Vec<(String, usize)> = vec![];
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "kernel/scoped_sql.rs" {
            continue;
        }
        let n = std::fs::read_to_string(file).expect("readable source").matches("school_id = ?").count();
        if n > 0 {
            per_file.push((rel, n));
        }
    }
    per_file.sort_by(|a, b| b.1.cmp(&a.1));
    let total: usize = per_file.iter().map(|(_, n)| n).sum();
    println!("hand-written `school_id = ?` left: {total}");
    for (file, n) in &per_file {
        println!("  {n:>3} {file}");
    }
    assert!(total <= HAND_SCOPED_LEFT, "{total} hand-scoped statements (was {HAND_SCOPED_LEFT}): new queries go through SchoolDb");
}

/// Every scoped statement written as a literal (`.stmt("...")`, `.first(`, `.all(`, `.run(`
/// on a `SchoolDb`) expands: a mistake (`@schools`, a bare `?`) fails here, not in a request.
#[test]
fn every_scoped_statement_expands() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    let mut checked = 0;
    let mut problems = vec![];
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        // Statements given to the layer, and scoped SQL kept in constants (`REVIEWABLE`...).
        for method in [".stmt(", ".first(", ".all(", ".run(", ": &str = "] {
            for (at, _) in text.match_indices(method) {
                let rest = text[at + method.len()..].trim_start();
                let Some(body) = rest.strip_prefix('"') else { continue };
                // The literal, up to its closing quote (escaped quotes kept).
                let mut literal = String::new();
                let mut chars = body.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(next) = chars.next() {
                                literal.push(next);
                            }
                        }
                        '"' => break,
                        c => literal.push(c),
                    }
                }
                if !["FROM @", "JOIN @", "INTO @", "UPDATE @"].iter().any(|k| literal.contains(k)) {
                    continue; // a plain D1 statement (or not SQL), not a scoped one
                }
                checked += 1;
                if let Err(e) = app::kernel::scoped_sql::expand(&literal) {
                    problems.push(format!("{rel}: {e:?} in {literal}"));
                }
            }
        }
    }
    println!("scoped statements checked: {checked}");
    assert!(checked > 40, "scoped statements found: {checked}");
    assert!(problems.is_empty(), "scoped SQL that does not expand:\n{}", problems.join("\n"));
}
