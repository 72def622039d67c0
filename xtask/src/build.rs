//! Two wasm builds with their own target dirs: the server (worker-build) and the hydrate
//! bundle (cargo rustc as cdylib + wasm-bindgen + wasm-opt).

use crate::tools::{npm_bin, root, tools_bin};
use crate::Result;
use std::process::Command;

/// The features rustc enables for wasm32 by default; `--all-features` breaks hydration.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn all() -> Result {
    server()?;
    client()
}

fn env_path() -> String {
    format!("{}:{}", tools_bin().display(), std::env::var("PATH").unwrap_or_default())
}

/// Newest modification time under the given paths (files, or folders walked recursively).
fn newest(paths: &[std::path::PathBuf]) -> Option<std::time::SystemTime> {
    let mut newest = None;
    let mut stack: Vec<std::path::PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else { continue };
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&p).into_iter().flatten().flatten().map(|e| e.path()));
        } else if let Ok(m) = meta.modified() {
            newest = newest.max(Some(m));
        }
    }
    newest
}

/// True when `output` exists and is newer than every source the wasm builds read.
fn up_to_date(output: &std::path::Path) -> bool {
    let root = root();
    let inputs = ["app", "worker/src", "worker/Cargo.toml", "Cargo.toml", "Cargo.lock", ".cargo/config.toml"].map(|p| root.join(p));
    match (std::fs::metadata(output).and_then(|m| m.modified()).ok(), newest(&inputs)) {
        (Some(out), Some(src)) => out > src,
        _ => false,
    }
}

/// The two Workers (one crate, two feature sets): what students and visitors reach, and the
/// creator's admin behind it.
pub const WORKERS: &[(&str, &str, &str)] = &[
    // (name, output folder under worker/, cargo features)
    ("student", "build", "student"),
    ("admin", "build-admin", "admin"),
];

pub fn server() -> Result {
    for (name, out_dir, features) in WORKERS {
        println!("== building the {name} worker (server wasm)");
        let root = root();
        if up_to_date(&root.join("worker").join(out_dir).join("index_bg.wasm")) {
            println!("up to date");
            continue;
        }
        let ok = crate::tools::run(
            Command::new(tools_bin().join("worker-build"))
                .args(["--release", "--out-dir", out_dir, "--no-default-features", "--features", features])
                .current_dir(root.join("worker"))
                .env("PATH", env_path())
                .env("CARGO_TARGET_DIR", root.join("target/server"))
                .env("WASM_BINDGEN_BIN", tools_bin().join("wasm-bindgen"))
                .env("WASM_OPT_BIN", npm_bin("wasm-opt"))
                .env("ESBUILD_BIN", npm_bin("esbuild")),
        );
        if !ok {
            return Err(format!("{name} worker build failed").into());
        }
    }
    Ok(())
}

pub fn client() -> Result {
    println!("== building the hydrate bundle (client wasm)");
    let root = root();
    if up_to_date(&root.join("public/pkg/atelier_bg.wasm")) {
        println!("up to date");
        return Ok(());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/client");
    let ok = crate::tools::run(
        Command::new(&cargo)
            .args(["rustc", "-p", "app", "--lib", "--crate-type", "cdylib", "--features", "hydrate", "--release", "--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target)
            .current_dir(&root),
    );
    if !ok {
        return Err("client build failed".into());
    }
    let pkg = root.join("public/pkg");
    let wasm = target.join("wasm32-unknown-unknown/release/app.wasm");
    let ok = crate::tools::run(
        Command::new(tools_bin().join("wasm-bindgen"))
            .arg(&wasm)
            .args(["--target", "web", "--no-typescript", "--out-name", "atelier", "--out-dir"])
            .arg(&pkg),
    );
    if !ok {
        return Err("wasm-bindgen failed".into());
    }
    let out = pkg.join("atelier_bg.wasm");
    let ok = crate::tools::run(Command::new(npm_bin("wasm-opt")).arg("-Oz").args(WASM_FEATURES).arg(&out).arg("-o").arg(&out));
    if ok { Ok(()) } else { Err("wasm-opt failed".into()) }
}
