//! Installs what the build and tests need, into project-local folders, once.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const WORKER_BUILD_VERSION: &str = "0.8.7";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

pub fn tools_bin() -> PathBuf {
    root().join(".tools/bin")
}

pub fn node() -> String {
    "node".into()
}

pub fn npm_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// Runs a command with inherited output; true when it succeeded.
pub fn run(cmd: &mut Command) -> bool {
    match cmd.status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("could not start {:?}: {e}", cmd.get_program());
            false
        }
    }
}

fn must(cmd: &mut Command, what: &str) -> Result {
    if run(cmd) { Ok(()) } else { Err(format!("{what} failed")) }
}

fn output(cmd: &mut Command) -> String {
    cmd.output().map(|o| String::from_utf8_lossy(&o.stdout).to_string()).unwrap_or_default()
}

/// The wasm-bindgen version the lockfile pins: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

pub fn ensure(for_tests: bool) -> Result {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !output(Command::new("rustup").args(["target", "list", "--installed"])).contains("wasm32-unknown-unknown") {
        must(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]), "rustup target add")?;
    }
    let tools = root.join(".tools");
    let has = |bin: &str, version: &str| output(Command::new(tools.join("bin").join(bin)).arg("--version")).contains(version);
    if !has("worker-build", WORKER_BUILD_VERSION) {
        println!("installing worker-build {WORKER_BUILD_VERSION} (a few minutes, once)");
        must(
            Command::new(&cargo).args(["install", "worker-build", "--version", WORKER_BUILD_VERSION, "--locked", "--root"]).arg(&tools),
            "cargo install worker-build",
        )?;
    }
    let wb = wasm_bindgen_version()?;
    if !has("wasm-bindgen", &wb) {
        println!("installing wasm-bindgen-cli {wb} (a few minutes, once)");
        // `--locked` fails for this crate on crates.io (a yanked dependency): resolve fresh.
        must(Command::new(&cargo).args(["install", "wasm-bindgen-cli", "--version", &wb, "--root"]).arg(&tools), "cargo install wasm-bindgen-cli")?;
    }
    let stamp = root.join("node_modules/.atelier-installed");
    let manifest = std::fs::metadata(root.join("package.json")).and_then(|m| m.modified()).ok();
    let installed = std::fs::metadata(&stamp).and_then(|m| m.modified()).ok();
    if !npm_bin("wrangler").exists() || installed.is_none() || manifest > installed {
        println!("installing node packages (wrangler, binaryen, esbuild, playwright-core, axe-core)");
        must(Command::new("npm").args(["install", "--no-audit", "--no-fund"]).current_dir(&root), "npm install")?;
        std::fs::write(&stamp, "").map_err(|e| e.to_string())?;
    }
    if for_tests && !Path::new("/usr/bin/chromium").exists() {
        println!("installing Debian chromium");
        must(Command::new("apt-get").args(["update", "-qq"]), "apt-get update")?;
        must(Command::new("apt-get").args(["install", "-y", "-qq", "chromium"]).env("DEBIAN_FRONTEND", "noninteractive"), "apt-get install chromium")?;
    }
    Ok(())
}

/// Test totals read from each runner's own summary lines.
#[derive(Default, Debug, Clone, Copy)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

/// Runs a test command, echoing its output, and adds up what its runner reports
/// (`test result: ok. N passed; M failed` for cargo, `# pass N` / `# fail M` for node).
pub fn run_counted(cmd: &mut Command, counts: &mut Counts) -> bool {
    use std::io::{BufRead, BufReader};
    cmd.stdout(std::process::Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("could not start {:?}: {e}", cmd.get_program());
            return false;
        }
    };
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
            println!("{line}");
            let number_before = |word: &str| -> Option<u64> {
                let words: Vec<&str> = line.split_whitespace().collect();
                words.windows(2).find(|w| w[1].trim_end_matches([';', ',']) == word).and_then(|w| w[0].parse().ok())
            };
            if line.starts_with("test result:") {
                counts.passed += number_before("passed").unwrap_or(0);
                counts.failed += number_before("failed").unwrap_or(0);
            } else if let Some(n) = line.strip_prefix("# pass ") {
                counts.passed += n.trim().parse::<u64>().unwrap_or(0);
            } else if let Some(n) = line.strip_prefix("# fail ") {
                counts.failed += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
    }
    child.wait().map(|s| s.success()).unwrap_or(false)
}
