//! The admin's messages (`i18n::ADMIN_MESSAGES`) are left out of the student Worker: no
//! code that Worker compiles may name one, directly or through a key built with `format!`.
//! A module is the admin's when its `mod` line is behind `#[cfg(... feature = "admin" ...)]`
//! (or a parent's is); everything else is compiled into both Workers.

mod support;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::sources;

/// The module files (without `.rs`, relative to `root`) declared behind an admin cfg.
fn admin_modules(root: &Path, files: &[PathBuf]) -> BTreeSet<String> {
    let mut gated = BTreeSet::new();
    for file in files {
        let source = std::fs::read_to_string(file).unwrap();
        let rel = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        // `a/b/mod.rs` and `lib.rs` declare children in their own folder; `a/b.rs` in `a/b/`.
        let dir = match rel.rsplit_once('/') {
            Some((d, f)) if f == "mod.rs" || f == "lib.rs" => format!("{d}/"),
            None if rel == "lib.rs" => String::new(),
            Some(_) | None => format!("{}/", rel.trim_end_matches(".rs")),
        };
        let mut admin_cfg = false;
        for line in source.lines().map(str::trim) {
            if line.starts_with("#[cfg(") {
                admin_cfg = line.contains("feature = \"admin\"") && !line.contains("not(feature = \"admin\")");
                continue;
            }
            if let Some(name) = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod ")).and_then(|r| r.strip_suffix(';')) {
                if admin_cfg {
                    gated.insert(format!("{dir}{name}"));
                }
            }
            admin_cfg = false;
        }
    }
    gated
}

fn student_files(root: &Path) -> Vec<(String, String)> {
    let mut files = vec![];
    sources(root, &mut files);
    let gated = admin_modules(root, &files);
    files
        .iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let module = rel.trim_end_matches(".rs").trim_end_matches("/mod");
            let admin = gated.iter().any(|g| module == g || module.starts_with(&format!("{g}/")));
            (!admin && !rel.ends_with("i18n.rs")).then(|| (rel, std::fs::read_to_string(f).unwrap()))
        })
        .collect()
}

#[test]
fn the_student_worker_names_no_admin_message() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut student = student_files(&here.join("src"));
    student.extend(student_files(&here.join("../worker/src")));
    assert!(student.iter().any(|(f, _)| f == "features/login/page.rs"), "the student's own pages are read");
    assert!(!student.iter().any(|(f, _)| f.starts_with("features/merge/page") || f == "features/imports/page.rs"), "admin pages are not");
    // Keys built at run time: the literal part before the first `{` of each string.
    let mut prefixes = BTreeSet::new();
    for (_, source) in &student {
        for piece in source.split('"').skip(1).step_by(2) {
            if let Some((head, _)) = piece.split_once('{') {
                if head.len() >= 4 && head.ends_with('_') {
                    prefixes.insert(head.to_string());
                }
            }
        }
    }
    let mut named = vec![];
    for (key, _, _) in app::kernel::i18n::ADMIN_MESSAGES {
        let base = key.trim_end_matches("_one");
        for (file, source) in &student {
            if source.contains(&format!("\"{base}\"")) || prefixes.iter().any(|p| base.starts_with(p.as_str())) {
                named.push(format!("{key} ({file})"));
                break;
            }
        }
    }
    assert!(named.is_empty(), "move these back to MESSAGES (the student Worker uses them): {named:?}");
}
