//! `cargo xtask dev | test | bench | build`: the project's two README commands and helpers.
//! Every install step lives here and is skipped when the right version is already present.

mod bench;
mod build;
mod tools;
mod wrangler;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => test(),
        Some("bench") => bench::run(),
        Some("build") => tools::ensure(false).and_then(|_| build::all()),
        Some("tools") => tools::ensure(true),
        _ => {
            eprintln!("usage: cargo xtask <dev|test|bench|build|tools>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// Builds, applies the migrations to the local D1 in `.wrangler/state`, seeds, serves on :8787.
fn dev() -> Result {
    tools::ensure(false)?;
    build::all()?;
    let state = tools::root().join(".wrangler/state");
    wrangler::apply_migrations(&state)?;
    let standin = wrangler::Standin::start()?;
    // Cloudflare for SaaS (schools' own domains) is the same stand-in's, under /client/v4.
    let cloudflare = format!("{}/client/v4", standin.url);
    let vars = [("STRIPE_API_BASE", standin.url.as_str()), ("CLOUDFLARE_API_BASE", &cloudflare), ("SAAS_ZONE_ID", "023e105f4ecef8ad9ca31a8372d0c353"), ("CLOUDFLARE_API_TOKEN", "standin-cloudflare-token-0123456789")];
    let mut server = wrangler::Server::start(&state, 8787, "localhost:8787", false, &vars)?;
    let seeded = wrangler::post(server.port, "localhost:8787", "/_dev/seed")?;
    println!("\nAtelier is running.\n");
    println!("  Platform home:   http://localhost:8787/");
    println!("  Demo school:     http://demo.localhost:8787/");
    println!("  Creator admin:   http://demo.localhost:8787/admin   (log in as creator@demo.test)");
    println!("  Student:         http://demo.localhost:8787/        (log in as student@demo.test)");
    println!("  Dev mailbox:     http://localhost:8787/_dev/mail    (login codes and links)");
    println!("  Payments:        the Stripe stand-in at {} (the demo school's test account)", standin.url);
    println!("  Own domains:     Cloudflare for SaaS stand-in at {cloudflare} (POST {}/_standin/hostnames/<domain>/activate plays the DNS records)\n", standin.url);
    println!("  seed: {seeded}\n  Ctrl-C to stop.");
    server.wait()
}

/// Native unit tests, black-box HTTP tests against the real worker, Chromium journeys.
fn test() -> Result {
    let run_start = std::time::Instant::now();
    let mut stage_start = std::time::Instant::now();
    let mut stage = |name: &str| {
        println!("== {name}: {:.0} s", stage_start.elapsed().as_secs_f64());
        stage_start = std::time::Instant::now();
    };
    tools::ensure(true)?;
    stage("tools ready");
    build::all()?;
    stage("build");
    let root = tools::root();
    let mut failures = vec![];
    let mut counts = tools::Counts::default();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let native_target = root.join("target/native");
    println!("== unit tests (native)");
    if !tools::run_counted(std::process::Command::new(&cargo).args(["test", "-p", "app"]).env("CARGO_TARGET_DIR", &native_target).current_dir(&root), &mut counts) {
        failures.push("unit tests");
    }
    stage("unit tests");
    println!("== black-box HTTP tests (wrangler dev, local D1/KV)");
    if !tools::run_counted(
        std::process::Command::new(&cargo)
            .args(["test", "-p", "atelier-tests", "--", "--test-threads", "4"])
            .env("CARGO_TARGET_DIR", &native_target)
            .env("ATELIER_ROOT", &root)
            .current_dir(&root),
        &mut counts,
    ) {
        failures.push("HTTP tests");
    }
    wrangler::kill_leftovers();
    stage("HTTP tests");
    println!("== Chromium journeys (phone viewport)");
    if !tools::run_counted(std::process::Command::new(tools::node()).args(["--test", "--test-concurrency=1", "tests/e2e/"]).env("ATELIER_ROOT", &root).current_dir(&root), &mut counts) {
        failures.push("Chromium journeys");
    }
    wrangler::kill_leftovers();
    stage("Chromium journeys");
    println!("== whole run: {:.0} s", run_start.elapsed().as_secs_f64());
    println!("\ntests: {} passed, {} failed", counts.passed, counts.failed);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failures.join(", ")))
    }
}
