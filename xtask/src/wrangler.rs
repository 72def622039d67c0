//! Local runtime: wrangler dev (workerd) with local D1 and KV, in a chosen state folder.

use crate::tools::{npm_bin, root};
use crate::Result;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn quiet_env(cmd: &mut Command) -> &mut Command {
    cmd.env("WRANGLER_SEND_METRICS", "false").env("CLOUDFLARE_CF_FETCH_ENABLED", "false").env("NO_COLOR", "1")
}

/// Brings the local D1 in `state` up to the latest schema: `wrangler d1 migrations apply`
/// runs the files of `migrations/` not yet applied (wrangler records them in the database),
/// so data is never reset. (Local states made before migrations hold the same tables: the
/// first file only creates what is missing.)
pub fn apply_migrations(state: &Path) -> Result {
    std::fs::create_dir_all(state).map_err(|e| e.to_string())?;
    let ok = crate::tools::run(
        quiet_env(&mut Command::new(npm_bin("wrangler")))
            .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
            .arg(state)
            .current_dir(root())
            .env("CI", "true")
            .stdout(Stdio::null()),
    );
    if ok { Ok(()) } else { Err("applying the D1 migrations failed".into()) }
}

/// The admin Worker's config for this run: the same variables as the first Worker (which
/// `wrangler dev --var` sets alone), paths made absolute.
fn admin_config(state: &Path, base_domain: &str, vars: &[(&str, &str)]) -> Result<std::path::PathBuf> {
    let config = std::fs::read_to_string(root().join("wrangler.admin.toml")).map_err(|e| format!("wrangler.admin.toml: {e}"))?;
    let (before, after) = config.split_once("[vars]").ok_or("no [vars] in wrangler.admin.toml")?;
    let rest = after.find("\n[").map(|i| &after[i..]).unwrap_or("");
    let root = root();
    let extra: String = vars.iter().map(|(k, v)| format!("{k} = {v:?}\n")).collect();
    let config = format!("{before}[vars]\nENVIRONMENT = \"dev\"\nBASE_SCHEME = \"http\"\nBASE_DOMAIN = {base_domain:?}\n{extra}{rest}")
        .replace("main = \"", &format!("main = \"{}/", root.display()))
        .replace("migrations_dir = \"", &format!("migrations_dir = \"{}/", root.display()));
    std::fs::create_dir_all(state).map_err(|e| e.to_string())?;
    let path = state.join("wrangler.admin.toml");
    std::fs::write(&path, config).map_err(|e| e.to_string())?;
    Ok(path)
}

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// `vars`: more Worker variables (the payment stand-in's address, say).
    pub fn start(state: &Path, port: u16, base_domain: &str, quiet: bool, vars: &[(&str, &str)]) -> Result<Server> {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Err(format!("port {port} is already in use (another `wrangler dev`?)"));
        }
        let mut cmd = Command::new(npm_bin("wrangler"));
        quiet_env(&mut cmd)
            // Both Workers in one wrangler dev: the first config is served, the second is
            // reached through its ADMIN service binding (`--var` sets the first's only).
            .args(["dev", "--config", "wrangler.toml", "--config"])
            .arg(admin_config(state, base_domain, vars)?)
            .args(["--ip", "127.0.0.1", "--port", &port.to_string(), "--persist-to"])
            .arg(state)
            .args(["--show-interactive-dev-session=false", "--var", "ENVIRONMENT:dev", "--var", "BASE_SCHEME:http"])
            .arg("--var")
            .arg(format!("BASE_DOMAIN:{base_domain}"))
            .args(vars.iter().flat_map(|(k, v)| ["--var".to_string(), format!("{k}:{v}")]))
            .current_dir(root())
            .stdin(Stdio::null());
        if quiet {
            cmd.stdout(Stdio::null()).stderr(Stdio::null());
        }
        // Its own process group, so stopping it also stops workerd.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().map_err(|e| format!("wrangler dev: {e}"))?;
        let server = Server { child, port };
        server.wait_ready(Duration::from_secs(60))?;
        Ok(server)
    }

    fn wait_ready(&self, limit: Duration) -> Result {
        let start = Instant::now();
        while start.elapsed() < limit {
            if get(self.port, "localhost", "/healthz").is_ok_and(|b| b.starts_with("HTTP/1.1 200")) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err("wrangler dev did not answer /healthz".into())
    }

    pub fn wait(&mut self) -> Result {
        self.child.wait().map(|_| ()).map_err(|e| e.to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["--", &format!("-{}", self.child.id())]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request(port: u16, host: &str, method: &str, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut body = String::new();
    stream.read_to_string(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}

pub fn get(port: u16, host: &str, path: &str) -> Result<String> {
    request(port, host, "GET", path)
}

pub fn post(port: u16, host: &str, path: &str) -> Result<String> {
    let raw = request(port, host, "POST", path)?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    // Chunked: the JSON object is the one line between the size lines.
    Ok(body.lines().find(|l| l.starts_with('{')).unwrap_or(body).to_string())
}

/// Test helpers record the wrangler processes they start; stop any still running.
pub fn kill_leftovers() {
    let dir = root().join("target/test-pids");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if let Ok(pid) = std::fs::read_to_string(e.path()) {
                let _ = Command::new("kill").args(["--", &format!("-{}", pid.trim())]).stderr(Stdio::null()).status();
                let _ = Command::new("kill").arg(pid.trim()).stderr(Stdio::null()).status();
            }
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The local payment-provider stand-in (`tests/stripe/standin.mjs`) for `cargo xtask dev`:
/// the demo school's test account pays there. Stops with this value.
pub struct Standin {
    child: Child,
    pub url: String,
}

impl Standin {
    pub fn start() -> Result<Standin> {
        use std::io::BufRead;
        let mut child = Command::new("node")
            .arg(root().join("tests/stripe/standin.mjs"))
            .arg("0")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("node tests/stripe/standin.mjs: {e}"))?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().ok_or("stand-in stdout")?).read_line(&mut line).map_err(|e| e.to_string())?;
        let port: u16 = line.trim().strip_prefix("listening ").and_then(|p| p.parse().ok()).ok_or(format!("stand-in said {line:?}"))?;
        Ok(Standin { child, url: format!("http://127.0.0.1:{port}") })
    }
}

impl Drop for Standin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
