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

/// The app's and the worker's sources, as (path relative to the workspace, text); the query
/// layer itself (`kernel/scoped_sql.rs`) is left out.
fn workspace_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    let mut files = vec![];
    for dir in ["app/src", "worker/src"] {
        sources(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .map(|f| (f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read_to_string(&f).expect("readable source")))
        .filter(|(rel, _)| rel != "app/src/kernel/scoped_sql.rs")
        .collect()
}

/// The string literals of a Rust source, with the line each starts on.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let (mut out, bytes) = (vec![], text.as_bytes());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // A comment runs to the end of its line (a quote in prose is not a literal).
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            // A char literal: '"' is not a string.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') || (bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'')) => i += 2,
            b'"' => {
                let line = text[..i].matches('\n').count() + 1;
                let mut literal = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    literal.push(bytes[i] as char);
                    i += 1;
                }
                out.push((line, literal));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// No statement names the school by hand (`school_id = ?`): the query layer binds it
/// (`kernel::db::SchoolDb`, `@table`). Was 184 before the layer, 34 in the middle of the move.
#[test]
fn no_statement_names_the_school_by_hand() {
    let mut found = vec![];
    for (rel, text) in workspace_sources() {
        // Work about every school at once may narrow itself to one (the media sweep in dev).
        if CROSS_SCHOOL.iter().any(|(file, table, _)| *file == rel && *table == "*") {
            continue;
        }
        for (line, literal) in string_literals(&text) {
            if literal.contains("school_id = ?") {
                found.push(format!("{rel}:{line}"));
            }
        }
    }
    println!("hand-written `school_id = ?` left: {}", found.len());
    assert!(found.is_empty(), "statements scoped by hand (write them in scoped SQL for SchoolDb):\n{}", found.join("\n"));
}

/// Where a school's table may be named without `@` (so without the layer), and why: work
/// that is about every school at once, or that finds its school from the row itself.
const CROSS_SCHOOL: &[(&str, &str, &str)] = &[
    ("app/src/features/drip/digest.rs", "*", "the cron walks every school's due enrollments"),
    ("app/src/kernel/mail.rs", "*", "the outbox is delivered for every school (and for the platform, which has none)"),
    ("app/src/kernel/db.rs", "submissions", "student_drip_columns is correlated to an enrollment row already read (the cron's too)"),
    ("app/src/kernel/db.rs", "offers", "student_drip_columns: the enrollment's own offer"),
    ("app/src/kernel/db.rs", "lessons", "student_drip_columns: the lessons of the enrollment's course"),
    ("app/src/kernel/db.rs", "offer_items", "student_drip_columns: the enrollment's offer's items"),
    ("app/src/features/login/server.rs", "login_events", "the limit per network address counts every school's requests"),
    ("app/src/features/media/sweep.rs", "*", "the cleaning pass walks every school's files and uploads, and the bucket itself"),
    ("worker/src/seed.rs", "*", "creates the demo school itself (dev only)"),
    ("worker/src/dev.rs", "*", "the dev mailbox shows every school's mail (dev only)"),
    ("worker/src/hooks.rs", "outbox", "the email provider's webhook names an outbox message, whatever its school"),
];

/// A statement that names a school's table without `@` reads or writes outside the query
/// layer; only the cross-school work above may.
#[test]
fn school_tables_go_through_the_query_layer() {
    let scoped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kernel/scoped_sql.rs")).expect("scoped_sql.rs");
    let tables: Vec<String> = scoped.split("(\"").skip(1).filter_map(|s| s.split_once("\", ")).filter(|(_, rest)| rest.starts_with("true)") || rest.starts_with("false)")).map(|(t, _)| t.to_string()).collect();
    assert!(tables.len() >= 20 && tables.contains(&"enrollments".to_string()), "the table list was not found: {tables:?}");
    let mut found = vec![];
    let mut allowed = 0;
    for (rel, text) in workspace_sources() {
        for (line, literal) in string_literals(&text) {
            let words: Vec<&str> = literal.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '*')).filter(|w| !w.is_empty()).collect();
            for pair in words.windows(2) {
                let keyword = pair[0].to_ascii_uppercase();
                if !matches!(keyword.as_str(), "FROM" | "JOIN" | "INTO" | "UPDATE") || !tables.iter().any(|t| t == pair[1]) {
                    continue;
                }
                if CROSS_SCHOOL.iter().any(|(file, table, _)| *file == rel && (*table == "*" || *table == pair[1])) {
                    allowed += 1;
                } else {
                    found.push(format!("{rel}:{line}: {} {}", pair[0], pair[1]));
                }
            }
        }
    }
    println!("school tables named outside the layer: {} (all cross-school, listed in CROSS_SCHOOL)", allowed);
    assert!(found.is_empty(), "school tables named without the query layer (use `@table` through SchoolDb):\n{}", found.join("\n"));
}

#[test]
fn the_literal_reader_skips_comments_and_chars() {
    let text = "// \"not a literal\"\nlet q = '\"'; let s = \"SELECT a\\\" FROM users\";";
    assert_eq!(string_literals(text), vec![(2, "SELECT a\" FROM users".to_string())]);
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
