//! `spawn_app()` for black-box tests: a real `wrangler dev` (workerd) on a free port with a
//! fresh local D1/KV state folder and `migrations/` applied, shared by the tests of one run
//! (each test opens its own school, so tests never see each other's data). A client with a
//! cookie jar talks to `{slug}.localhost:{port}`, and the dev mailbox is read as JSON.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub fn root() -> PathBuf {
    std::env::var("ATELIER_ROOT").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

pub struct Worker {
    pub port: u16,
    pub state: PathBuf,
    _child: Mutex<Child>,
}

/// Starts wrangler dev with its own state folder. `environment` is the ENVIRONMENT var.
pub fn start_worker(environment: &str) -> Worker {
    start_worker_with(environment, &[])
}

/// Same, with extra `--var NAME:value` settings (an email provider URL, say).
pub fn start_worker_with(environment: &str, vars: &[(&str, &str)]) -> Worker {
    let root = root();
    let port = free_port();
    let state = root.join("target/test-state").join(format!("{environment}-{port}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).expect("state dir");
    apply_migrations(&state, None);
    serve(environment, vars, state, port)
}

/// The files of `migrations/`, in order.
pub fn migration_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("migrations")).expect("migrations/").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
    files.sort();
    files
}

/// `wrangler d1 migrations apply` on a state folder: all of `migrations/`, or only the first
/// `up_to` files (through a config whose migrations folder holds just those).
pub fn apply_migrations(state: &std::path::Path, up_to: Option<usize>) {
    let mut cmd = Command::new(root().join("node_modules/.bin/wrangler"));
    quiet(&mut cmd);
    cmd.args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"]).arg(state).env("CI", "true").stdout(Stdio::null());
    if let Some(n) = up_to {
        let dir = state.join("migrations-partial");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("partial migrations dir");
        for file in migration_files().into_iter().take(n) {
            std::fs::copy(&file, dir.join(file.file_name().unwrap())).expect("copy migration");
        }
        let config = std::fs::read_to_string(root().join("wrangler.toml")).expect("wrangler.toml");
        // Paths in a config are read from its folder: make them absolute.
        let root = root();
        let config = config
            .replace("migrations_dir = \"migrations\"", &format!("migrations_dir = \"{}\"", dir.display()))
            .replace("directory = \"public\"", &format!("directory = \"{}\"", root.join("public").display()))
            .replace("main = \"worker/", &format!("main = \"{}/worker/", root.display()));
        let path = state.join("wrangler-partial.toml");
        std::fs::write(&path, config).expect("partial config");
        cmd.arg("--config").arg(&path);
    }
    let ok = cmd.status().expect("wrangler d1 migrations apply").success();
    assert!(ok, "applying the migrations failed");
}

/// Runs SQL on a state folder's local D1 with `wrangler d1 execute`, through the config the
/// last partial `apply_migrations` wrote (or the project's): rows as an older version of
/// the app wrote them, on the schema of that time.
pub fn execute_sql(state: &std::path::Path, sql: &str) {
    let file = state.join("fixture.sql");
    std::fs::write(&file, sql).expect("fixture file");
    let mut cmd = Command::new(root().join("node_modules/.bin/wrangler"));
    quiet(&mut cmd);
    cmd.args(["d1", "execute", "DB", "--local", "--persist-to"]).arg(state).arg("--file").arg(&file).env("CI", "true").stdout(Stdio::null());
    let partial = state.join("wrangler-partial.toml");
    if partial.exists() {
        cmd.arg("--config").arg(&partial);
    }
    assert!(cmd.status().expect("wrangler d1 execute").success(), "the fixture SQL failed");
}

/// A worker on a state folder made by the caller (an older schema, say).
pub fn serve_state(environment: &str, state: PathBuf) -> Worker {
    serve(environment, &[], state, free_port())
}

/// A new, empty state folder.
pub fn new_state(name: &str) -> PathBuf {
    let state = root().join("target/test-state").join(format!("{name}-{}-{}", free_port(), std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).expect("state dir");
    state
}

fn quiet(c: &mut Command) {
    c.env("WRANGLER_SEND_METRICS", "false").env("CLOUDFLARE_CF_FETCH_ENABLED", "false").env("NO_COLOR", "1").current_dir(root());
}

/// Stops a worker and starts a new one on the same state folder (and port): what survives
/// is what D1 kept.
pub fn restart_worker(worker: Worker, environment: &str) -> Worker {
    let (state, port) = (worker.state.clone(), worker.port);
    worker.stop();
    serve(environment, &[], state, port)
}

/// Starts wrangler dev; one that exits at start (a port taken between the check and its bind
/// by another worker of the run) is started again, with a new inspector port.
fn serve(environment: &str, vars: &[(&str, &str)], state: PathBuf, port: u16) -> Worker {
    for _ in 0..2 {
        if let Some(worker) = serve_once(environment, vars, &state, port) {
            return worker;
        }
    }
    serve_once(environment, vars, &state, port).unwrap_or_else(|| panic!("wrangler dev did not start; see {}", state.join("wrangler.log").display()))
}

/// `wrangler dev --var` sets the first Worker's variables only: the admin Worker gets the
/// same ones through its own config, written for this run (paths made absolute).
pub fn admin_config(state: &std::path::Path, vars: &[(String, String)]) -> PathBuf {
    let config = std::fs::read_to_string(root().join("wrangler.admin.toml")).expect("wrangler.admin.toml");
    let (before, after) = config.split_once("[vars]").expect("[vars] in wrangler.admin.toml");
    let rest = after.find("\n[").map(|i| &after[i..]).unwrap_or("");
    let vars: String = vars.iter().map(|(k, v)| format!("{k} = {v:?}\n")).collect();
    let root = root();
    let config = format!("{before}[vars]\n{vars}{rest}")
        .replace("main = \"", &format!("main = \"{}/", root.display()))
        .replace("migrations_dir = \"", &format!("migrations_dir = \"{}/", root.display()));
    let path = state.join("wrangler.admin.toml");
    std::fs::write(&path, config).expect("admin config");
    path
}

/// The local payment-provider stand-in (`tests/stripe/standin.mjs`), one per test run:
/// every worker's `STRIPE_API_BASE` points at it.
pub struct Standin {
    pub port: u16,
    _child: Mutex<std::process::Child>,
}

/// The platform's zone and API token at the stand-in's Cloudflare (schools' own domains).
pub const SAAS_ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const SAAS_API_TOKEN: &str = "standin-cloudflare-token-0123456789";

/// The webhook signing secret every stand-in account shares (creators paste it in settings).
pub const STANDIN_WEBHOOK_SECRET: &str = "whsec_atelier_standin_0123456789abcdef";

static STANDIN: OnceLock<Standin> = OnceLock::new();

pub fn standin() -> &'static Standin {
    STANDIN.get_or_init(|| {
        use std::io::BufRead;
        let mut child = Command::new("node")
            .arg(root().join("tests/stripe/standin.mjs"))
            .arg("0")
            .env("STANDIN_WEBHOOK_SECRET", STANDIN_WEBHOOK_SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node tests/stripe/standin.mjs");
        let pids = root().join("target/test-pids");
        let _ = std::fs::create_dir_all(&pids);
        let _ = std::fs::write(pids.join(child.id().to_string()), child.id().to_string());
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stand-in stdout")).read_line(&mut line).expect("stand-in started");
        let port = line.trim().strip_prefix("listening ").and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("stand-in said {line:?}"));
        Standin { port, _child: Mutex::new(child) }
    })
}

impl Standin {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    /// What the stand-in answers, as JSON.
    pub fn call(&self, method: &str, path: &str) -> serde_json::Value {
        let r = ureq::request(method, &format!("{}{path}", self.url())).call();
        let text = match r {
            Ok(r) => r.into_string().unwrap_or_default(),
            Err(ureq::Error::Status(_, r)) => r.into_string().unwrap_or_default(),
            Err(e) => panic!("stand-in: {e}"),
        };
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }
}

fn serve_once(environment: &str, vars: &[(&str, &str)], state: &std::path::Path, port: u16) -> Option<Worker> {
    let root = root();
    let wrangler = root.join("node_modules/.bin/wrangler");
    let mut cmd = Command::new(&wrangler);
    let log = std::fs::OpenOptions::new().create(true).append(true).open(state.join("wrangler.log")).expect("log file");
    quiet(&mut cmd);
    let stripe = standin().url();
    let cloudflare = format!("{stripe}/client/v4");
    let mut all_vars = vec![
        ("ENVIRONMENT".to_string(), environment.to_string()),
        ("BASE_SCHEME".into(), "http".into()),
        ("BASE_DOMAIN".into(), format!("localhost:{port}")),
        ("STRIPE_API_BASE".into(), stripe.clone()),
        ("CLOUDFLARE_API_BASE".into(), cloudflare.clone()),
        ("SAAS_ZONE_ID".into(), SAAS_ZONE_ID.into()),
        ("CLOUDFLARE_API_TOKEN".into(), SAAS_API_TOKEN.into()),
    ];
    // A test's own value replaces the default (an empty one turns a setting off).
    all_vars.retain(|(k, _)| !vars.iter().any(|(own, _)| own == k));
    all_vars.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let admin_config = admin_config(state, &all_vars);
    // Both Workers (the admin one is reached through the first's ADMIN binding).
    cmd.args(["dev", "--config", "wrangler.toml", "--config"])
        .arg(&admin_config)
        .args(["--ip", "127.0.0.1", "--port", &port.to_string(), "--inspector-port", &free_port().to_string(), "--persist-to"])
        .arg(state)
        // `--test-scheduled`: GET /__scheduled?cron=... runs the real scheduled handler.
        .args(["--show-interactive-dev-session=false", "--test-scheduled"])
        .args(all_vars.iter().flat_map(|(k, v)| ["--var".to_string(), format!("{k}:{v}")]))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
    // Its own process group, so `cargo xtask test` can stop wrangler and workerd together.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.spawn().expect("wrangler dev");
    // Recorded so `cargo xtask test` can stop it: statics are never dropped.
    let pids = root.join("target/test-pids");
    let _ = std::fs::create_dir_all(&pids);
    let _ = std::fs::write(pids.join(child.id().to_string()), child.id().to_string());
    let worker = Worker { port, state: state.to_path_buf(), _child: Mutex::new(child) };
    let start = Instant::now();
    loop {
        if let Ok(r) = worker.agent().get(&format!("http://localhost:{port}/healthz")).call() {
            if r.into_string().unwrap_or_default() == "ok" {
                return Some(worker);
            }
        }
        let exited = worker._child.lock().map(|mut c| c.try_wait().ok().flatten().is_some()).unwrap_or(true);
        if exited || start.elapsed() > Duration::from_secs(90) {
            worker.stop();
            return None;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

impl Worker {
    /// Ends wrangler and workerd (their process group).
    pub fn stop(self) {
        let child = self._child.into_inner().unwrap_or_else(|e| e.into_inner());
        let pid = child.id() as i32;
        let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pid}")]).status();
        let mut child = child;
        let _ = child.wait();
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Every byte of the local D1 files, as someone holding the database would see them.
    pub fn database_bytes(&self) -> Vec<u8> {
        fn walk(dir: &std::path::Path, out: &mut Vec<u8>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.to_string_lossy().contains("d1") {
                    out.extend(std::fs::read(&path).unwrap_or_default());
                }
            }
        }
        let mut out = vec![];
        walk(&self.state, &mut out);
        out
    }

    fn agent(&self) -> ureq::Agent {
        let port = self.port;
        ureq::AgentBuilder::new()
            .redirects(0)
            .timeout(Duration::from_secs(30))
            // Every `*.localhost` name is this worker, as in a browser.
            .resolver(move |_: &str| Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]))
            .build()
    }

    /// Reads the local D1 directly (as an attacker with the database file would), from a copy
    /// of its files: opening the live file from another process could lock it while the
    /// worker writes, and fail the worker's requests (seen as flaky tests under load).
    pub fn sql(&self, query: &str) -> String {
        static N: AtomicU32 = AtomicU32::new(0);
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            let _ = std::fs::create_dir_all(to);
            for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
                let target = to.join(entry.file_name());
                if entry.path().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    let _ = std::fs::copy(entry.path(), &target);
                }
            }
        }
        // A copy taken while the worker writes can catch the database between two files
        // (the WAL and the main file): such a copy fails to open; a fresh one is taken.
        let mut text = String::new();
        for attempt in 0..3 {
            let snapshot = root().join("target/sql-snapshots").join(format!("{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
            copy(&self.state.join("v3/d1"), &snapshot.join("v3/d1"));
            let out = Command::new(root().join("node_modules/.bin/wrangler"))
                .env("WRANGLER_SEND_METRICS", "false")
                .env("NO_COLOR", "1")
                .current_dir(root())
                .args(["d1", "execute", "DB", "--local", "--json", "--persist-to"])
                .arg(&snapshot)
                .args(["--command", query])
                .output()
                .expect("wrangler d1 execute");
            let _ = std::fs::remove_dir_all(&snapshot);
            text = String::from_utf8_lossy(&out.stdout).to_string();
            if out.status.success() {
                return text;
            }
            // A refused statement: its error, for tests that expect one.
            let error = String::from_utf8_lossy(&out.stderr).to_string();
            text.push_str(&error);
            if error.contains("constraint") || attempt == 2 {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        text
    }

    /// The rows a query returns from the local D1.
    pub fn sql_rows(&self, query: &str) -> Vec<serde_json::Value> {
        let out: serde_json::Value = serde_json::from_str(&self.sql(query)).unwrap_or_default();
        out[0]["results"].as_array().cloned().unwrap_or_default()
    }

    /// The single number a `SELECT COUNT(*) AS n ...` query returns.
    pub fn sql_count(&self, query: &str) -> i64 {
        self.sql_rows(query).first().and_then(|r| r["n"].as_i64()).unwrap_or(-1)
    }

    pub fn platform_host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    pub fn school_host(&self, slug: &str) -> String {
        format!("{slug}.localhost:{}", self.port)
    }

    pub fn client(&self, host: &str) -> Client {
        // Each client is a different person on a different network, as in real life (local
        // workerd passes CF-Connecting-IP through; Cloudflare sets it in production).
        static N: AtomicU32 = AtomicU32::new(1);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let ip = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
        Client { agent: self.agent(), host: host.to_string(), cookies: BTreeMap::new(), now_ms: None, origin: None, headers: vec![], ip }
    }

    /// The dev mailbox, newest first, for one address.
    pub fn mails(&self, to: &str) -> Vec<Mail> {
        let url = format!("http://localhost:{}/_dev/mail.json?to={}", self.port, to.replace('@', "%40").replace('+', "%2B"));
        let body = self.agent().get(&url).call().expect("mailbox").into_string().expect("mailbox body");
        serde_json::from_str(&body).expect("mailbox json")
    }

    pub fn latest_mail(&self, to: &str) -> Mail {
        self.mails(to).into_iter().next().unwrap_or_else(|| panic!("no email for {to}"))
    }
}

static SHARED: OnceLock<Worker> = OnceLock::new();

/// The shared dev worker of this test run.
pub fn spawn_app() -> &'static Worker {
    SHARED.get_or_init(|| start_worker("dev"))
}

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A name no other test of this run uses.
pub fn unique_slug(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0) % 100_000;
    format!("{prefix}{nanos}x{}", N.fetch_add(1, Ordering::SeqCst))
}

#[derive(Debug, Clone, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub created_at: i64,
}

impl Mail {
    pub fn code(&self) -> String {
        let digits: Vec<&str> = self.text.split_whitespace().collect();
        digits
            .windows(2)
            .find(|w| w[0].len() == 4 && w[1].len() == 4 && w.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
            .map(|w| format!("{}{}", w[0], w[1]))
            .expect("a code in the email")
    }
    /// The path of the login link (`/login/link/...`).
    pub fn link_path(&self) -> String {
        let url = self.text.split_whitespace().find(|w| w.contains("/login/link/")).expect("a login link");
        url.split_once("/login/link/").map(|(_, t)| format!("/login/link/{t}")).expect("link path")
    }
    pub fn link_url(&self) -> String {
        self.text.split_whitespace().find(|w| w.contains("/login/link/")).expect("a login link").to_string()
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body as sent (files).
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn location(&self) -> String {
        self.header("location").unwrap_or("").to_string()
    }
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.as_str()).collect()
    }
}

/// `wrangler dev` puts a proxy (its ProxyWorker) in front of the worker. On a busy machine its
/// pooled connection to the worker can be closed by the 5 s keep-alive timeout just as a
/// request is sent on it; the proxy then answers 503 "Your worker restarted mid-request"
/// itself, without the worker ever seeing the request, and retries only GET and HEAD
/// (cloudflare/workers-sdk#14641). That answer is the dev server's, never ours (production
/// has no such proxy): the request is sent once more, as a browser's user would.
fn with_proxy_retry(send: impl Fn() -> Result<ureq::Response, ureq::Error>) -> Result<ureq::Response, ureq::Error> {
    for _ in 0..3 {
        match send() {
            Err(ureq::Error::Status(503, r)) => {
                let body = r.into_string().unwrap_or_default();
                if !body.contains("Your worker restarted mid-request") {
                    return send_again_as(503, body);
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
    send()
}

/// A 503 whose body was read to look at it, rebuilt for the caller.
fn send_again_as(status: u16, body: String) -> Result<ureq::Response, ureq::Error> {
    let response = ureq::Response::new(status, "Service Unavailable", &body).map_err(|e| e)?;
    Err(ureq::Error::Status(status, response))
}

/// A browser-like client for one host: keeps cookies, sends Origin and `Accept: text/html`
/// on form posts, follows nothing automatically.
pub struct Client {
    agent: ureq::Agent,
    pub host: String,
    pub cookies: BTreeMap<String, String>,
    /// Test clock (`x-atelier-now`, honoured only with ENVIRONMENT=dev).
    pub now_ms: Option<i64>,
    /// Overrides the Origin header of posts (None: this host's own origin).
    pub origin: Option<String>,
    /// Extra request headers (Accept-Language, User-Agent...).
    pub headers: Vec<(String, String)>,
    /// Sent as CF-Connecting-IP.
    pub ip: String,
}

impl Client {
    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.host, path)
    }

    fn prepare(&self, req: ureq::Request) -> ureq::Request {
        let mut req = req.set("Accept", "text/html").set("User-Agent", "atelier-tests").set("CF-Connecting-IP", &self.ip);
        if !self.cookies.is_empty() {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req = req.set("Cookie", &jar);
        }
        if let Some(now) = self.now_ms {
            req = req.set("x-atelier-now", &now.to_string());
        }
        for (k, v) in &self.headers {
            req = req.set(k, v);
        }
        req
    }

    fn finish(&mut self, result: Result<ureq::Response, ureq::Error>) -> Response {
        let response = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("request failed: {e}"),
        };
        let status = response.status();
        let mut headers = vec![];
        for name in response.headers_names() {
            for value in response.all(&name) {
                headers.push((name.clone(), value.to_string()));
            }
        }
        let mut bytes = Vec::new();
        let _ = response.into_reader().take(50_000_000).read_to_end(&mut bytes);
        let resp = Response { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes };
        for c in resp.set_cookies() {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        resp
    }

    pub fn get(&mut self, path: &str) -> Response {
        let req = self.prepare(self.agent.get(&self.url(path)));
        let result = with_proxy_retry(|| req.clone().call());
        self.finish(result)
    }

    pub fn head(&mut self, path: &str) -> Response {
        let req = self.prepare(self.agent.head(&self.url(path)));
        let result = with_proxy_retry(|| req.clone().call());
        self.finish(result)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let origin = self.origin.clone().unwrap_or_else(|| format!("http://{}", self.host));
        let req = self.prepare(self.agent.post(&self.url(path))).set("Origin", &origin).set("Referer", &self.url("/"));
        let result = with_proxy_retry(|| req.clone().send_form(form));
        self.finish(result)
    }

    /// A form post without `Origin` (old browsers, privacy tools): the form token decides.
    pub fn post_without_origin(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let req = self.prepare(self.agent.post(&self.url(path)));
        let result = with_proxy_retry(|| req.clone().send_form(form));
        self.finish(result)
    }

    /// The form token of this client's cookie jar (set by any page it loaded).
    pub fn csrf(&self) -> String {
        self.cookies.get("__Host-atelier_csrf").cloned().unwrap_or_default()
    }

    pub fn session_id(&self) -> Option<String> {
        self.cookies.get("__Host-atelier_session").and_then(|v| v.split('.').next()).map(String::from)
    }

    pub fn post_raw(&mut self, path: &str, content_type: &str, body: &str) -> Response {
        let origin = format!("http://{}", self.host);
        let req = self.prepare(self.agent.post(&self.url(path))).set("Origin", &origin).set("Content-Type", content_type);
        let result = with_proxy_retry(|| req.clone().send_string(body));
        self.finish(result)
    }

    /// A GET with extra headers (Range, If-None-Match...).
    pub fn get_with(&mut self, path: &str, extra: &[(&str, &str)]) -> Response {
        let mut req = self.prepare(self.agent.get(&self.url(path)));
        for (k, v) in extra {
            req = req.set(k, v);
        }
        let result = with_proxy_retry(|| req.clone().call());
        self.finish(result)
    }

    /// A request with a raw body (`PUT` of an upload's part, a JSON call), from this site.
    pub fn send(&mut self, method: &str, path: &str, body: &[u8]) -> Response {
        let origin = self.origin.clone().unwrap_or_else(|| format!("http://{}", self.host));
        let req = self.prepare(self.agent.request(method, &self.url(path))).set("Origin", &origin).set("Accept", "application/json");
        let result = with_proxy_retry(|| req.clone().send_bytes(body));
        self.finish(result)
    }

    /// A file upload form (multipart/form-data) with one file field and the form token.
    pub fn post_file(&mut self, path: &str, field: &str, file_name: &str, content: &[u8]) -> Response {
        self.post_file_with(path, &[], field, file_name, content)
    }

    /// `post_file` with other fields of the form.
    pub fn post_file_with(&mut self, path: &str, fields: &[(&str, &str)], field: &str, file_name: &str, content: &[u8]) -> Response {
        let boundary = "----atelier-test-boundary-7d3f";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", self.csrf()).into_bytes();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let origin = format!("http://{}", self.host);
        let req = self.prepare(self.agent.post(&self.url(path))).set("Origin", &origin).set("Content-Type", &format!("multipart/form-data; boundary={boundary}"));
        let result = with_proxy_retry(|| req.clone().send_bytes(&body));
        self.finish(result)
    }

    pub fn has_session(&self) -> bool {
        self.cookies.contains_key("__Host-atelier_session")
    }
}

/// A school opened through the platform home, its owner logged in.
pub struct School {
    pub slug: String,
    /// Set by tests that create one, for convenience.
    pub first_lesson: i64,
    pub owner_email: String,
    pub owner: Client,
}

pub fn open_school(app: &Worker) -> School {
    let slug = unique_slug("s");
    let owner_email = format!("owner-{slug}@example.com");
    let mut platform = app.client(&app.platform_host());
    let r = platform.post("/api/create_school", &[("name", "École de test"), ("slug", &slug), ("email", &owner_email)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().contains(&app.school_host(&slug)), "{}", r.location());
    let code = app.latest_mail(&owner_email).code();
    let mut owner = app.client(&app.school_host(&slug));
    let r = owner.post("/api/verify_code", &[("email", &owner_email), ("code", &code), ("next", "/admin")]);
    assert_eq!(r.location(), "/admin", "owner login failed: {:?}", r);
    School { slug, first_lesson: 0, owner_email, owner }
}

impl School {
    /// Creates a course and returns its id.
    pub fn create_course(&mut self, title: &str, slug: &str, status: &str) -> i64 {
        let r = self.owner.post("/admin/api/save_course", &[("id", ""), ("title", title), ("slug", slug), ("description", "Description"), ("cover_url", ""), ("status", status)]);
        let loc = r.location();
        loc.strip_prefix("/admin/courses/").and_then(|s| s.split('?').next()).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("course not created: {loc}"))
    }

    pub fn create_lesson(&mut self, course_id: i64, title: &str, markdown: &str, status: &str) -> i64 {
        self.create_scheduled_lesson(course_id, title, markdown, status, &[])
    }

    /// A lesson with drip fields (`open_rule`, `open_days`, `open_time`, `close_rule`...).
    pub fn create_scheduled_lesson(&mut self, course_id: i64, title: &str, markdown: &str, status: &str, schedule: &[(&str, &str)]) -> i64 {
        let course = course_id.to_string();
        let mut form = vec![("course_id", course.as_str()), ("lesson_id", ""), ("title", title), ("content_md", markdown), ("status", status)];
        form.extend_from_slice(schedule);
        let r = self.owner.post("/admin/api/save_lesson", &form);
        let loc = r.location();
        loc.rsplit('/').next().and_then(|s| s.split('?').next()).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("lesson not created: {loc}"))
    }

    /// Switches a lesson's trial on and returns its embed id (as the lesson page shows it).
    pub fn make_trial(&mut self, course_id: i64, lesson_id: i64) -> String {
        let r = self.set_trial(course_id, lesson_id, true);
        assert_eq!(r.status, 303, "{}", r.body);
        self.embed_id(course_id, lesson_id).expect("a trial lesson has an embed id")
    }

    pub fn set_trial(&mut self, course_id: i64, lesson_id: i64, on: bool) -> Response {
        let (c, l) = (course_id.to_string(), lesson_id.to_string());
        let mut form = vec![("course_id", c.as_str()), ("lesson_id", l.as_str())];
        if on {
            form.push(("trial", "on"));
        }
        self.owner.post("/admin/api/set_trial", &form)
    }

    /// The embed id on the lesson's settings page, if it shows one.
    pub fn embed_id(&mut self, course_id: i64, lesson_id: i64) -> Option<String> {
        let page = self.owner.get(&format!("/admin/courses/{course_id}/lessons/{lesson_id}")).body;
        page.match_indices("/embed/").find_map(|(at, _)| {
            let id = page.get(at + 7..at + 39)?;
            id.bytes().all(|b| b.is_ascii_hexdigit()).then(|| id.to_string())
        })
    }

    /// Imports a CSV (update existing, grant courses, no invitations) and waits for the result.
    pub fn import_csv(&mut self, content: &str) -> String {
        let r = self.owner.post_file("/admin/imports/upload", "file", "students.csv", content.as_bytes());
        let page = r.location();
        assert!(page.starts_with("/admin/imports/") && !page.contains("error"), "upload refused: {page}");
        let id = page.rsplit('/').next().unwrap_or("").to_string();
        let r = self.owner.post("/admin/api/run_import", &[("id", &id), ("update_existing", "on"), ("grant_courses", "on")]);
        assert_eq!(r.status, 303, "{}", r.body);
        for _ in 0..600 {
            let body = self.owner.get(&page).body;
            if body.contains("data-created=") {
                return body;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the import did not finish");
    }

    /// A student's id, from the directory.
    pub fn student_id(&mut self, email: &str) -> i64 {
        let page = self.owner.get(&format!("/admin/students?q={email}")).body;
        page.split("href=\"/admin/students/").skip(1).find_map(|s| s.split('"').next().and_then(|id| id.parse().ok())).unwrap_or_else(|| panic!("{email} not in the directory"))
    }

    /// Invites `{who}-{slug}@example.com` to the team with `role` (checking the invitation
    /// email) and logs them in: (their user id, their client).
    pub fn team_member(&mut self, app: &Worker, who: &str, role: &str) -> (i64, Client) {
        let email = format!("{who}-{}@example.com", self.slug);
        let r = self.owner.post("/admin/api/invite_member", &[("email", &email), ("role", role)]);
        assert!(r.location().contains("ok=invitation_sent"), "{}", r.location());
        assert!(app.latest_mail(&email).link_path().starts_with("/login/link/"), "invited by email");
        let id = app.sql_rows(&format!("SELECT id FROM users WHERE email = '{email}'"))[0]["id"].as_i64().expect("the member's id");
        (id, login_with_code(app, &app.school_host(&self.slug), &email))
    }

    pub fn add_student(&mut self, course_id: i64, email: &str, invite: bool) -> Response {
        let mut form = vec![("course_id", course_id.to_string()), ("email", email.to_string()), ("access_end", String::new())];
        if invite {
            form.push(("invite", "on".into()));
        }
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.owner.post("/admin/api/add_student", &borrowed)
    }
}

/// Logs `email` in on `host` with the code from the newest email.
pub fn login_with_code(app: &Worker, host: &str, email: &str) -> Client {
    let mut c = app.client(host);
    let r = c.post("/api/request_login", &[("email", email)]);
    assert_eq!(r.status, 303);
    let code = app.latest_mail(email).code();
    let r = c.post("/api/verify_code", &[("email", email), ("code", &code)]);
    assert!(c.has_session(), "login failed: {} {:?}", r.location(), r.set_cookies());
    c
}

/// A `Stripe-Signature` header for `body` at `t`, computed here (HMAC-SHA256 of "t.body").
pub fn stripe_signature(body: &str, secret: &str, t: i64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// The same header made by Stripe's own library (npm `stripe`, `generateTestHeaderString`).
pub fn stripe_library_signature(body: &str, secret: &str) -> String {
    let script = "const S = require('stripe'); const s = new S('sk_test_check'); process.stdout.write(s.webhooks.generateTestHeaderString({ payload: process.env.PAYLOAD, secret: process.env.SECRET }));";
    let out = Command::new("node").args(["-e", script]).current_dir(root()).env("PAYLOAD", body).env("SECRET", secret).output().expect("node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}
