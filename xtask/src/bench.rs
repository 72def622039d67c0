//! `cargo xtask bench`: sizes of both wasm bundles and latency figures over a bounded
//! loopback run against wrangler dev, each page as a ratio to `/healthz` measured in the
//! same run. Prints `name: value` lines; asserts nothing.

use crate::tools::root;
use crate::wrangler::{apply_migrations, Server};
use crate::Result;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The port of this run's wrangler dev (a free one, so no stale server answers instead).
static PORT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);

/// Requests per measured endpoint: enough for a stable p99, bounded for a 2-core machine.
const SAMPLES: usize = 2000;
/// Login requests per kind of email (known, unknown), interleaved.
const ENUMERATION_SAMPLES: usize = 200;
/// Code verifications need a fresh login request each (three requests per sample).
const VERIFY_SAMPLES: usize = 300;

pub fn run() -> Result {
    // Chromium too: the Workers' compile times are measured in its V8.
    crate::tools::ensure(true)?;
    crate::build::all()?;
    let root = root();
    // Each Worker's bundle: what the plan's size limit counts (gzip) and what its start costs
    // (compiling the module, as workerd does: eagerly, or lazily function by function).
    for (name, out_dir, _) in crate::build::WORKERS {
        let wasm = root.join("worker").join(out_dir).join("index_bg.wasm");
        println!("{name}_worker_wasm_gzip_bytes: {}", gzip_len(&wasm)?);
        let (eager, lazy) = compile_times(&wasm)?;
        println!("{name}_worker_compile_eager_ms: {eager:.1}");
        println!("{name}_worker_compile_lazy_ms: {lazy:.1}");
    }
    println!("client_wasm_gzip_bytes: {}", gzip_len(&root.join("public/pkg/atelier_bg.wasm"))?);

    let state = root.join("target/bench-state");
    let _ = std::fs::remove_dir_all(&state);
    apply_migrations(&state)?;
    digest_fixture(&state)?;
    directory_fixture(&state)?;
    // The fixtures came after the migrations: the planner's statistics are brought up to
    // date as the hourly cron does (`kernel::db::refresh_planner_statistics`).
    run_sql(&state, "statistics", "PRAGMA optimize = 0x10012;")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(|e| e.to_string())?;
    PORT.store(port, std::sync::atomic::Ordering::Relaxed);
    let _server = Server::start(&state, port, &format!("localhost:{port}"), true, &[])?;
    let platform = format!("localhost:{port}");
    let school = format!("demo.localhost:{port}");
    let seeded = http(&platform, "POST", "/_dev/seed", &[], "")?;
    let embed = seeded.body.split("/embed/").nth(1).map(|rest| format!("/embed/{}", &rest[..32.min(rest.len())])).ok_or("the seed has no trial embed")?;

    let mut clock = now_ms();
    let cookie = login(&school, &platform, clock)?;
    let lesson = first_lesson_path(&school, &cookie)?;

    // Warm the isolate before measuring anything.
    for _ in 0..50 {
        http(&school, "GET", "/healthz", &[], "")?;
        http(&school, "GET", &lesson, &[("cookie", &cookie)], "")?;
    }
    let health = measure(SAMPLES, || http(&school, "GET", "/healthz", &[], "").map(|r| r.status == 200))?;
    let page = measure(SAMPLES, || http(&school, "GET", &lesson, &[("cookie", &cookie)], "").map(|r| r.status == 200 && r.body.contains("class=\"content\"")))?;
    // The public course page as a visitor reads it: the program and the open offers.
    let public = measure(SAMPLES, || http(&school, "GET", "/courses/welcome", &[], "").map(|r| r.status == 200 && r.body.contains("action=\"/api/join_offer\"")))?;
    let webhook = webhook_figures(&school)?;
    let embeds = embed_figures(&school, &platform, &embed)?;
    let mut verify = vec![];
    for _ in 0..VERIFY_SAMPLES {
        // Each sample on its own quarter hour, so no per-email limit is ever in the way.
        clock += 16 * 60_000;
        let code = request_code(&school, &platform, clock)?;
        let body = format!("email=student%40demo.test&code={code}");
        let started = Instant::now();
        let r = http(&school, "POST", "/api/verify_code", &form_headers(&school, clock).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &body)?;
        verify.push(started.elapsed());
        if !r.headers.iter().any(|(k, v)| k == "location" && v == "/") {
            return Err(format!("verify failed: {:?}", r.headers));
        }
    }
    let verify = Stats::of(verify);
    // Known and unknown emails must not be told apart by timing: same reads, same writes.
    let (mut known, mut unknown) = (vec![], vec![]);
    for i in 0..ENUMERATION_SAMPLES {
        clock += 16 * 60_000;
        let owned = form_headers(&school, clock);
        let headers: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for (email, into) in [("student%40demo.test", &mut known), (&*format!("nobody{i}%40demo.test"), &mut unknown)] {
            let started = Instant::now();
            let r = http(&school, "POST", "/api/request_login", &headers, &format!("email={email}"))?;
            into.push(started.elapsed());
            if !r.headers.iter().any(|(k, v)| k == "location" && v.starts_with("/login/code")) {
                return Err(format!("request_login failed: {:?}", r.headers));
            }
        }
    }
    let (known, unknown) = (Stats::of(known), Stats::of(unknown));
    println!("request_code_known_email_p50_ms: {:.2}", known.p50);
    println!("request_code_unknown_email_p50_ms: {:.2}", unknown.p50);
    println!("request_code_unknown_to_known_p50_ratio: {:.2}", unknown.p50 / known.p50);
    round_trips_per_login_step(&school, &platform, clock + 16 * 60_000)?;
    digest_figures(&platform)?;
    // After the digest: the imported students' enrollments would be due for it too.
    let big = format!("big.localhost:{port}");
    // On the bench's moved clock: its login limits count the earlier samples' events.
    let directory = student_management_figures(&big, &platform, clock + 32 * 60_000)?;
    for (name, s) in [("healthz", &health), ("lesson_page", &page), ("code_verify_post", &verify)] {
        println!("{name}_p50_ms: {:.2}", s.p50);
        println!("{name}_p99_ms: {:.2}", s.p99);
    }
    println!("lesson_page_with_drip_p50_ratio_to_healthz: {:.2}", page.p50 / health.p50);
    println!("public_course_page_p50_ms: {:.2}", public.p50);
    println!("public_course_page_p50_ratio_to_healthz: {:.2}", public.p50 / health.p50);
    println!("stripe_webhook_p50_ms: {:.2}", webhook.p50);
    println!("stripe_webhook_p50_ratio_to_healthz: {:.2}", webhook.p50 / health.p50);
    for (name, s) in [("memory_hit", &embeds.memory), ("kv_hit", &embeds.kv), ("uncached", &embeds.miss)] {
        println!("embed_page_{name}_p50_ms: {:.2}", s.p50);
        println!("embed_page_{name}_p99_ms: {:.2}", s.p99);
        println!("embed_page_{name}_p50_ratio_to_healthz: {:.2}", s.p50 / health.p50);
    }
    println!("code_verify_post_p50_ratio_to_healthz: {:.2}", verify.p50 / health.p50);
    let player = format!("player_lesson_{PLAYER_LESSONS}_lessons");
    for (name, s) in [
        ("lesson_with_all_blocks", &directory.blocks),
        ("course_report_page", &directory.report),
        ("media_range_first_kb", &directory.range),
        (player.as_str(), &directory.player),
        ("admin_overview", &directory.overview),
        ("admin_not_found", &directory.admin_floor),
        ("course_admin_page_5000_students", &directory.course_page),
        ("directory_first_page_50000_students", &directory.directory_first_page),
        ("directory_search_text_50000_students", &directory.directory_text),
        ("directory_filter_course_active_50000_students", &directory.directory_course),
    ] {
        println!("{name}_p50_ms: {:.2}", s.p50);
        println!("{name}_p99_ms: {:.2}", s.p99);
        println!("{name}_p50_ratio_to_healthz: {:.2}", s.p50 / health.p50);
    }
    println!("samples_per_get_endpoint: {SAMPLES}");
    println!("samples_code_verify: {VERIFY_SAMPLES}");
    println!("samples_request_code_per_kind: {ENUMERATION_SAMPLES}");
    Ok(())
}

/// Misses and KV hits need a change or a cold isolate before each sample (two requests).
const EMBED_COLD_SAMPLES: usize = 300;

struct EmbedFigures {
    memory: Stats,
    kv: Stats,
    miss: Stats,
}

/// The trial-lesson embed: served from the isolate's memory (the usual case), from KV (a
/// fresh isolate), and uncached (right after a change: D1, render, KV write); the D1 round
/// trips of each; and the page's weight (HTML with its inline CSS and script, plus the
/// parent page's /embed.js), gzip.
fn embed_figures(school: &str, platform: &str, embed: &str) -> Result<EmbedFigures> {
    let ok = |r: &Reply| r.status == 200 && r.body.contains("class=\"content\"");
    let cache = |r: &Reply| r.headers.iter().find(|(k, _)| k == "x-atelier-cache").map(|(_, v)| v.clone()).unwrap_or_default();
    let trips = |r: &Reply| r.headers.iter().find(|(k, _)| k == "x-d1-round-trips").map(|(_, v)| v.clone()).unwrap_or_else(|| "?".into());
    let changed = || http(platform, "POST", "/_dev/embeds_changed?school=demo", &[], "");
    let forget = || http(platform, "POST", "/_dev/embeds_forget", &[], "");
    for _ in 0..50 {
        http(school, "GET", embed, &[], "")?;
    }
    let memory = measure(SAMPLES, || http(school, "GET", embed, &[], "").map(|r| ok(&r) && cache(&r) == "hit-memory"))?;
    let (mut kv, mut miss) = (vec![], vec![]);
    let (mut kv_trips, mut miss_trips) = (String::new(), String::new());
    for _ in 0..EMBED_COLD_SAMPLES {
        changed()?;
        let started = Instant::now();
        let r = http(school, "GET", embed, &[], "")?;
        miss.push(started.elapsed());
        if !ok(&r) || cache(&r) != "miss" {
            return Err(format!("expected a miss: {}", cache(&r)));
        }
        miss_trips = trips(&r);
        forget()?;
        let started = Instant::now();
        let r = http(school, "GET", embed, &[], "")?;
        kv.push(started.elapsed());
        if !ok(&r) || cache(&r) != "hit-kv" {
            return Err(format!("expected a KV hit: {}", cache(&r)));
        }
        kv_trips = trips(&r);
    }
    let page = http(school, "GET", embed, &[], "")?;
    println!("embed_d1_round_trips_memory_hit: {}", trips(&page));
    println!("embed_d1_round_trips_kv_hit: {kv_trips}");
    println!("embed_d1_round_trips_uncached: {miss_trips}");
    let script = http(school, "GET", "/embed.js", &[], "")?;
    let (html_gz, script_gz) = (gzip_bytes(page.body.as_bytes())?, gzip_bytes(script.body.as_bytes())?);
    println!("embed_page_html_bytes: {}", page.body.len());
    println!("embed_page_html_gzip_bytes: {html_gz}");
    println!("embed_parent_script_gzip_bytes: {script_gz}");
    println!("embed_page_weight_gzip_bytes: {}", html_gz + script_gz);
    println!("samples_embed_cold: {EMBED_COLD_SAMPLES}");
    Ok(EmbedFigures { memory, kv: Stats::of(kv), miss: Stats::of(miss) })
}

/// Students in the directory benchmark's school.
const DIRECTORY_STUDENTS: i64 = 50_000;
const DIRECTORY_SAMPLES: usize = 300;

/// The bench's certificate (its public id).
const BENCH_CERTIFICATE: &str = "0123456789abcdef0123456789abcdef";

/// School `big`: an owner, a course, 50,000 students (one in ten enrolled).
fn directory_fixture(state: &std::path::Path) -> Result {
    let sql = format!(
        "INSERT INTO schools (slug, name, status, created_at) VALUES ('big', 'Big school', 'active', 0);
         INSERT INTO users (school_id, email, role, created_at) SELECT id, 'owner@big.test', 'owner', 0 FROM schools WHERE slug = 'big';
         INSERT INTO courses (school_id, slug, title, status, created_at, updated_at) SELECT id, 'yoga', 'Yoga', 'published', 0, 0 FROM schools WHERE slug = 'big';
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {DIRECTORY_STUDENTS})
           INSERT INTO users (school_id, email, first_name, last_name, display_name, role, created_at, last_login_at)
           SELECT s.id, 's' || i || '@big.test', 'Prénom' || i, 'Nom' || i, 'Prénom' || i || ' Nom' || i, 'student', 0, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1000 END
           FROM n, schools s WHERE s.slug = 'big';
         INSERT INTO enrollments (school_id, user_id, course_id, access_start, status, created_at)
           SELECT u.school_id, u.id, c.id, 0, 'active', 0 FROM users u JOIN courses c ON c.school_id = u.school_id AND c.slug = 'yoga'
           WHERE u.email LIKE 's%@big.test' AND u.id % 10 = 0;
         -- The player's course: {PLAYER_LESSONS} lessons in modules of ten, the last ones opening later.
         INSERT INTO courses (school_id, slug, title, status, created_at, updated_at) SELECT id, 'player', 'Player', 'published', 0, 0 FROM schools WHERE slug = 'big';
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PLAYER_LESSONS})
           INSERT INTO lessons (school_id, course_id, title, content_md, content_html, position, status, module, open_rule, open_days, created_at, updated_at)
           SELECT c.school_id, c.id, 'Leçon ' || i, 'Texte ' || i, '<p>Texte ' || i || '</p>', i, 'published', 'Module ' || ((i - 1) / 10 + 1),
                  CASE WHEN i > 50 THEN 'days' ELSE 'immediately' END, CASE WHEN i > 50 THEN 400 ELSE NULL END, 0, 0
           FROM n, courses c WHERE c.slug = 'player';
         INSERT INTO enrollments (school_id, user_id, course_id, access_start, status, created_at)
           SELECT u.school_id, u.id, c.id, 0, 'active', 0 FROM users u JOIN courses c ON c.school_id = u.school_id AND c.slug = 'player' WHERE u.email = 's7@big.test';
         -- A certificate of the yoga course, signed, for its PDF.
         INSERT INTO certificates (id, school_id, user_id, course_id, student_name, course_title, title, body, signer_name, signer_role, completed_at, issued_at, updated_at)
           SELECT '{BENCH_CERTIFICATE}', u.school_id, u.id, c.id, 'Prénom10 Nom10', 'Yoga', 'Certificat de réussite',
                  'Ce certificat atteste que' || char(10) || '{{{{student_name}}}}' || char(10) || 'a suivi avec succès le cours « {{{{course_title}}}} »' || char(10) || 'le {{{{date}}}}.',
                  'Anne Martin', 'Formatrice', 1780000000000, 1780000000000, 1780000000000
           FROM users u JOIN courses c ON c.school_id = u.school_id AND c.slug = 'yoga' WHERE u.email = 's10@big.test';"
    );
    run_sql(state, "directory", &sql)
}

/// Directory searches over 50,000 students, and imports of 1,000 and 5,000 rows (wall time
/// from "import" to done, D1 statements per row as the import counts them).
/// The big school's figures, timed page by page (each printed against `/healthz` by `run`).
struct BigSchool {
    directory_first_page: Stats,
    directory_text: Stats,
    directory_course: Stats,
    blocks: Stats,
    report: Stats,
    range: Stats,
    player: Stats,
    overview: Stats,
    course_page: Stats,
    admin_floor: Stats,
}

fn student_management_figures(big: &str, platform: &str, clock: i64) -> Result<BigSchool> {
    let code = request_code_for(big, platform, "owner%40big.test", clock)?;
    let headers = form_headers(big, clock);
    let r = http(big, "POST", "/api/verify_code", &headers.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &format!("email=owner%40big.test&code={code}"))?;
    let cookie = r
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("__Host-atelier_session="))
        .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
        .ok_or("owner login failed")?;
    let get = |path: &str| http(big, "GET", path, &[("cookie", &cookie)], "");
    for _ in 0..20 {
        get("/admin/students?q=nom4242")?;
    }
    let text = measure(DIRECTORY_SAMPLES, || get("/admin/students?q=nom4242").map(|r| r.status == 200 && r.body.contains("s4242@big.test")))?;
    let course = measure(DIRECTORY_SAMPLES, || get("/admin/students?course=yoga&enrollment=active&page=40").map(|r| r.status == 200 && r.body.contains("data-total=\"5000\"")))?;
    // The students page as it opens: no filter, the first 50 of 50,000 by address.
    let first_page = measure(DIRECTORY_SAMPLES, || get("/admin/students").map(|r| r.status == 200 && r.body.contains("data-total=\"50000\"")))?;
    println!("samples_directory: {DIRECTORY_SAMPLES}");
    for rows in [1_000usize, 5_000] {
        let mut csv = String::from("email;first_name;last_name;courses\n");
        for i in 0..rows {
            csv.push_str(&format!("imp{rows}-{i}@big.test;Élève {i};Import;yoga\n"));
        }
        let boundary = "----atelier-bench";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let origin = format!("http://{big}");
        let upload = http(big, "POST", "/admin/imports/upload", &[("cookie", &cookie), ("origin", &origin), ("content-type", &content_type)], &body)?;
        let page = upload.headers.iter().find(|(k, _)| k == "location").map(|(_, v)| v.clone()).ok_or("upload refused")?;
        let id = page.rsplit('/').next().unwrap_or("").to_string();
        let form = format!("id={id}&update_existing=on&grant_courses=on");
        let started = Instant::now();
        http(big, "POST", "/admin/api/run_import", &[("cookie", &cookie), ("origin", &origin), ("content-type", "application/x-www-form-urlencoded"), ("accept", "text/html")], &form)?;
        let result = loop {
            let r = get(&page)?;
            if r.body.contains("data-statements=") {
                break r.body;
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err("import did not finish".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        let number = |name: &str| result.split(&format!("data-{name}=\"")).nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse::<f64>().ok()).unwrap_or(-1.0);
        println!("import_{rows}_rows_wall_ms: {wall:.0}");
        println!("import_{rows}_rows_created: {}", number("created"));
        println!("import_{rows}_rows_d1_statements: {}", number("statements"));
        println!("import_{rows}_rows_d1_statements_per_row: {:.3}", number("statements") / rows as f64);
    }
    let (blocks, course_id, lesson_id) = lesson_with_blocks_figures(big, &cookie)?;
    let range = media_figures(big, &cookie, course_id, lesson_id)?;
    let player = player_figures(big, platform, clock + 48 * 60_000)?;
    let (report, overview, course_page, floor) = course_report_figures(big, &cookie)?;
    let certificate = certificate_figures(big)?;
    println!("certificate_pdf_render_p50_ms: {:.2}", certificate.p50);
    println!("certificate_pdf_render_p99_ms: {:.2}", certificate.p99);
    Ok(BigSchool { directory_first_page: first_page, directory_text: text, directory_course: course, blocks, report, range, player, overview, course_page, admin_floor: floor })
}

/// A course's slug, as its admin page links to its public page.
fn public_slug(big: &str, cookie: &str, course: i64) -> Result<String> {
    let page = http(big, "GET", &format!("/admin/courses/{course}"), &[("cookie", cookie)], "")?;
    Ok(page.body.split("href=\"/courses/").nth(1).and_then(|s| s.split(['"', '/']).next()).ok_or("no public link on the course page")?.to_string())
}

/// The player's course: a lesson page with its whole program in the sidebar and the drawer.
const PLAYER_LESSONS: usize = 60;

/// A student's lesson page in a 60-lesson course: the player (program, states, progress,
/// previous / next) in one D1 round trip.
fn player_figures(big: &str, platform: &str, clock: i64) -> Result<Stats> {
    let code = request_code_for(big, platform, "s7%40big.test", clock)?;
    let headers = form_headers(big, clock);
    let r = http(big, "POST", "/api/verify_code", &headers.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &format!("email=s7%40big.test&code={code}"))?;
    let cookie = r.headers.iter().find(|(k, v)| k == "set-cookie" && v.starts_with("__Host-atelier_session=")).map(|(_, v)| v.split(';').next().unwrap_or("").to_string()).ok_or("student login failed")?;
    let course = http(big, "GET", "/courses/player", &[("cookie", &cookie)], "")?;
    let lesson = course.body.split("href=\"/courses/player/lessons/").nth(30).and_then(|s| s.split('"').next()).ok_or("no lessons in the player's course")?.to_string();
    let path = format!("/courses/player/lessons/{lesson}");
    let page = http(big, "GET", &path, &[("cookie", &cookie)], "")?;
    let trips = page.headers.iter().find(|(k, _)| k == "x-d1-round-trips").map(|(_, v)| v.clone()).unwrap_or_default();
    println!("player_lesson_d1_round_trips: {trips}");
    println!("player_lesson_html_bytes: {}", page.body.len());
    for _ in 0..20 {
        http(big, "GET", &path, &[("cookie", &cookie)], "")?;
    }
    measure(DIRECTORY_SAMPLES, || http(big, "GET", &path, &[("cookie", &cookie)], "").map(|r| r.status == 200 && r.body.contains("lesson-sidebar") && r.body.matches("program-item").count() >= 2 * PLAYER_LESSONS))
}

/// A certificate's PDF, drawn on each request (the stored certificate read, laid out,
/// written with pdf-writer): the whole request's time, seen by the one who downloads it.
fn certificate_figures(big: &str) -> Result<Stats> {
    let path = format!("/certificates/{BENCH_CERTIFICATE}.pdf");
    let pdf = http(big, "GET", &path, &[], "")?;
    // Sent chunked: the body's length (read as text, so only near the bytes sent).
    println!("certificate_pdf_status: {}", pdf.status);
    println!("certificate_pdf_bytes_approx: {}", pdf.body.len());
    let page = http(big, "GET", &format!("/certificates/{BENCH_CERTIFICATE}"), &[], "")?;
    println!("certificate_page_html_bytes: {}", page.body.len());
    for _ in 0..20 {
        http(big, "GET", &path, &[], "")?;
    }
    measure(DIRECTORY_SAMPLES, || http(big, "GET", &path, &[], "").map(|r| r.status == 200 && r.body.starts_with("%PDF-")))
}

/// The video of the media figures: 100 MB, sent in parts as the uploader sends them.
const UPLOAD_BYTES: usize = 100 * 1024 * 1024;

/// Media: a 100 MB video uploaded in parts (wall time, MB/s), then the first kilobyte of
/// a Range request on it as the player asks (p50; the ratio to `/healthz` is printed by run).
fn media_figures(big: &str, cookie: &str, course: i64, lesson: i64) -> Result<Stats> {
    let origin = format!("http://{big}");
    let headers = [("cookie", cookie), ("origin", origin.as_str()), ("accept", "application/json")];
    let mut video = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41".to_vec();
    video.extend((video.len()..UPLOAD_BYTES).map(|i| (i % 253) as u8));
    let field = |body: &str, name: &str| body.split(&format!("\"{name}\":")).nth(1).map(|v| v.trim_start_matches('"').split(['"', ',', '}']).next().unwrap_or("").to_string());
    let started = Instant::now();
    let r = http(big, "POST", &format!("/admin/uploads?place=video&course_id={course}&lesson_id={lesson}&name=bench.mp4&size={UPLOAD_BYTES}"), &headers, "")?;
    let id = field(&r.body, "id").ok_or(format!("upload not started: {}", r.body))?;
    let part_size: usize = field(&r.body, "part_size").and_then(|v| v.parse().ok()).ok_or("no part size")?;
    for (i, part) in video.chunks(part_size).enumerate() {
        let r = http_bytes(big, "PUT", &format!("/admin/uploads/{id}/parts/{}", i + 1), &headers, part)?;
        if r.status != 200 {
            return Err(format!("part {} refused: {}", i + 1, r.body));
        }
    }
    let r = http(big, "POST", &format!("/admin/uploads/{id}/complete"), &headers, "")?;
    if r.status != 200 {
        return Err(format!("upload not completed: {}", r.body));
    }
    let wall = started.elapsed().as_secs_f64();
    println!("upload_100mb_in_parts_wall_ms: {:.0}", wall * 1000.0);
    println!("upload_100mb_in_parts_mb_per_s: {:.1}", UPLOAD_BYTES as f64 / (1024.0 * 1024.0) / wall);
    // The lesson as its creator previews it: the video's URL, signed for this session.
    let page = http(big, "GET", &format!("/courses/{}/lessons/{lesson}", public_slug(big, cookie, course)?), &[("cookie", cookie)], "")?;
    let at = page.body.find("<video").ok_or("no player on the lesson")?;
    let src = page.body[at..].split("src=\"").nth(1).and_then(|s| s.split(['"', '#']).next()).ok_or("no video source")?.replace("&amp;", "&");
    let range = [("cookie", cookie), ("range", "bytes=0-1023")];
    for _ in 0..20 {
        http(big, "GET", &src, &range, "")?;
    }
    measure(DIRECTORY_SAMPLES, || http(big, "GET", &src, &range, "").map(|r| r.status == 206 && r.headers.iter().any(|(k, v)| k == "content-range" && v.starts_with("bytes 0-1023/"))))
}

/// The course report over every student of the big school's course (the page shows 300 rows
/// of the matrix; its CSV has them all): page p50, and the matrix CSV's wall time and size.
fn course_report_figures(big: &str, cookie: &str) -> Result<(Stats, Stats, Stats, Stats)> {
    let admin = http(big, "GET", "/admin/courses", &[("cookie", cookie)], "")?;
    // The yoga course (the school also has the player's course).
    let at = admin.body.find("\">Yoga<").ok_or("no yoga course")?;
    let course: i64 = admin.body[..at].rsplit("href=\"/admin/courses/").next().and_then(|id| id.parse().ok()).ok_or("no yoga course id")?;
    let path = format!("/admin/courses/{course}/report");
    for _ in 0..10 {
        http(big, "GET", &path, &[("cookie", cookie)], "")?;
    }
    let stats = measure(REPORT_SAMPLES, || http(big, "GET", &path, &[("cookie", cookie)], "").map(|r| r.status == 200 && r.body.contains("<svg")))?;
    let started = Instant::now();
    let csv = http(big, "GET", &format!("{path}/matrix.csv"), &[("cookie", cookie)], "")?;
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    if csv.status != 200 {
        return Err(format!("matrix.csv: {}", csv.status));
    }
    println!("course_report_students: {}", csv.body.lines().count().saturating_sub(1));
    println!("course_report_matrix_csv_wall_ms: {wall:.0}");
    println!("course_report_matrix_csv_bytes: {}", csv.body.len());
    println!("samples_course_report: {REPORT_SAMPLES}");
    // The overview: its reads ride in the viewer's batch once the isolate knows the school's
    // time zone (learnt by the first request).
    let trips_of = |r: &Reply| r.headers.iter().find(|(k, _)| k == "x-d1-round-trips").map(|(_, v)| v.clone()).unwrap_or_default();
    let first = http(big, "GET", "/admin", &[("cookie", cookie)], "")?;
    println!("admin_overview_d1_round_trips_first_request: {}", trips_of(&first));
    let overview = http(big, "GET", "/admin", &[("cookie", cookie)], "")?;
    println!("admin_overview_d1_round_trips: {}", trips_of(&overview));
    let overview = measure(REPORT_SAMPLES, || http(big, "GET", "/admin", &[("cookie", cookie)], "").map(|r| r.status == 200 && r.body.contains("data-figure")))?;
    // The floor under every admin page: through the student Worker to the admin Worker, the
    // viewer read (one D1 round trip) and a small page (its "not found").
    let floor = measure(REPORT_SAMPLES, || http(big, "GET", "/admin/no-such-page", &[("cookie", cookie)], "").map(|r| r.status == 404))?;
    println!("admin_not_found_d1_wait_ms: {}", http(big, "GET", "/admin/no-such-page", &[("cookie", cookie)], "").map(|r| d1_wait_of(&r))?);
    println!("admin_overview_d1_wait_ms: {}", http(big, "GET", "/admin", &[("cookie", cookie)], "").map(|r| d1_wait_of(&r))?);
    // The course's admin page: 5,000 students, shown as a count and the newest.
    let course_page = format!("/admin/courses/{course}");
    let page = http(big, "GET", &course_page, &[("cookie", cookie)], "")?;
    println!("course_admin_page_students: {}", page.body.split("data-students=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("?"));
    println!("course_admin_page_html_bytes: {}", page.body.len());
    let course_page = measure(REPORT_SAMPLES, || http(big, "GET", &course_page, &[("cookie", cookie)], "").map(|r| r.status == 200))?;
    Ok((stats, overview, course_page, floor))
}

/// The time a request waited on D1 (the dev header `x-d1-wait-ms`; the Workers clock moves
/// only across I/O, so this is D1's share of the request).
fn d1_wait_of(r: &Reply) -> String {
    r.headers.iter().find(|(k, _)| k == "x-d1-wait-ms").map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Report pages are heavier than the directory's: fewer samples keep the bench short.
const REPORT_SAMPLES: usize = 100;

/// A lesson with one block of each kind, read by its creator: p50 and HTML weight.
fn lesson_with_blocks_figures(big: &str, cookie: &str) -> Result<(Stats, i64, i64)> {
    let origin = format!("http://{big}");
    let post = |path: &str, body: &str| http(big, "POST", path, &[("cookie", cookie), ("origin", &origin), ("content-type", "application/x-www-form-urlencoded"), ("accept", "text/html")], body);
    let location = |r: &Reply| r.headers.iter().find(|(k, _)| k == "location").map(|(_, v)| v.clone()).unwrap_or_default();
    post("/admin/api/save_lesson_hosts", "hosts=www.canva.com")?;
    let admin = http(big, "GET", "/admin/courses", &[("cookie", cookie)], "")?;
    let course = admin.body.split("href=\"/admin/courses/").skip(1).find_map(|s| s.split('"').next().and_then(|id| id.parse::<i64>().ok())).ok_or("no course")?;
    let saved = post("/admin/api/save_lesson", &format!("course_id={course}&lesson_id=&title=Blocs&content_md=Texte%20de%20la%20le%C3%A7on.&status=published"))?;
    let lesson: i64 = location(&saved).rsplit('/').next().and_then(|s| s.split('?').next()).and_then(|s| s.parse().ok()).ok_or("lesson not created")?;
    let base = format!("course_id={course}&lesson_id={lesson}&block_id=");
    for fields in [
        "kind=text&text=Regardez%20%5B1%3A23%5D%20pour%20la%20**r%C3%A8gle**.",
        "kind=video&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ",
        "kind=button&label=Fiche&url=https%3A%2F%2Fexample.com%2Ffiche.pdf",
        "kind=embed&url=https%3A%2F%2Fwww.canva.com%2Fdesign%2Fabc%2Fview",
        "kind=math&text=%5Cfrac%7Ba%7D%7Bb%7D%20%2B%20%5Csqrt%7Bx%5E2%7D",
        "kind=spoiler&title=R%C3%A9ponse&text=**42**",
    ] {
        let r = post("/admin/api/save_block", &format!("{base}&{fields}"))?;
        if !location(&r).contains("ok=saved") {
            return Err(format!("block refused: {}", location(&r)));
        }
    }
    let path = format!("/courses/{}/lessons/{lesson}", public_slug(big, cookie, course)?);
    for _ in 0..20 {
        http(big, "GET", &path, &[("cookie", cookie)], "")?;
    }
    let stats = measure(DIRECTORY_SAMPLES, || {
        let r = http(big, "GET", &path, &[("cookie", cookie)], "")?;
        let ok = r.status == 200 && r.body.contains("<math") && r.body.contains("<details");
        if !ok {
            let main = r.body.split("<main").nth(1).unwrap_or(&r.body);
            eprintln!("lesson with blocks {path}: {} {}", r.status, main.chars().take(600).collect::<String>());
        }
        Ok(ok)
    })?;
    let page = http(big, "GET", &path, &[("cookie", cookie)], "")?;
    println!("lesson_with_all_blocks_html_bytes: {}", page.body.len());
    println!("lesson_with_all_blocks_html_gzip_bytes: {}", gzip_bytes(page.body.as_bytes())?);
    Ok((stats, course, lesson))
}

/// Enrollments in the digest benchmark, and how many of them have a lesson just opened.
const DIGEST_ENROLLMENTS: i64 = 10_000;
const DIGEST_DUE_EVERY: i64 = 100;

/// 10,000 enrollments in a course whose second-day lesson has opened; one in 100 is due.
fn digest_fixture(state: &std::path::Path) -> Result {
    let now = now_ms();
    let (start, due, later) = (now - 2 * 86_400_000, now - 3_600_000, now + 30 * 86_400_000);
    let sql = format!(
        "INSERT INTO schools (slug, name, status, created_at) VALUES ('digest', 'Digest bench', 'active', 0);
         INSERT INTO courses (school_id, slug, title, status, created_at, updated_at) SELECT id, 'c', 'Course', 'published', 0, 0 FROM schools WHERE slug = 'digest';
         INSERT INTO lessons (school_id, course_id, title, position, status, created_at, updated_at, open_rule, open_days, open_at)
           SELECT school_id, id, 'Day one', 1, 'published', 0, 0, 'days', 1, '09:00' FROM courses WHERE slug = 'c';
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {DIGEST_ENROLLMENTS})
           INSERT INTO users (school_id, email, role, created_at) SELECT s.id, 'u' || i || '@bench.test', 'student', 0 FROM n, schools s WHERE s.slug = 'digest';
         INSERT INTO enrollments (school_id, user_id, course_id, access_start, status, created_at, next_notice_at, last_notice_at)
           SELECT u.school_id, u.id, c.id, {start}, 'active', 0, CASE WHEN u.id % {DIGEST_DUE_EVERY} = 0 THEN {due} ELSE {later} END, {start}
           FROM users u JOIN courses c ON c.school_id = u.school_id AND c.slug = 'c' WHERE u.email LIKE '%@bench.test';"
    );
    run_sql(state, "digest", &sql)
}

/// Runs a fixture's SQL on the benchmark's local D1 before the server starts.
fn run_sql(state: &std::path::Path, name: &str, sql: &str) -> Result {
    let file = root().join(format!("target/bench-{name}.sql"));
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    let ok = crate::tools::run(
        std::process::Command::new(root().join("node_modules/.bin/wrangler"))
            .env("WRANGLER_SEND_METRICS", "false")
            .args(["d1", "execute", "DB", "--local", "--persist-to"])
            .arg(state)
            .arg("--file")
            .arg(&file)
            .current_dir(root())
            .stdout(std::process::Stdio::null()),
    );
    if ok { Ok(()) } else { Err(format!("{name} fixture failed")) }
}

/// One digest run over the fixture (wall time, D1 rows read, emails), then a run with
/// nothing due: the rows read follow due notices, not enrollments.
fn digest_figures(platform: &str) -> Result {
    let field = |body: &str, name: &str| -> i64 {
        body.split(&format!("\"{name}\":")).nth(1).and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next()).and_then(|v| v.parse().ok()).unwrap_or(-1)
    };
    let now = now_ms();
    let (mut emails, mut rows, mut enrollments) = (0, 0, 0);
    let started = Instant::now();
    // Slices until nothing is due, as the cron handler does.
    loop {
        let r = http(platform, "POST", &format!("/_dev/digest?now={now}"), &[], "")?;
        emails += field(&r.body, "emails");
        rows += field(&r.body, "rows_read");
        let slice = field(&r.body, "enrollments");
        enrollments += slice;
        if slice < 100 {
            break;
        }
    }
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    let idle = http(platform, "POST", &format!("/_dev/digest?now={}", now + 60_000), &[], "")?;
    println!("digest_enrollments_total: {DIGEST_ENROLLMENTS}");
    println!("digest_enrollments_due: {enrollments}");
    println!("digest_emails: {emails}");
    println!("digest_wall_ms: {wall:.1}");
    println!("digest_d1_rows_read: {rows}");
    println!("digest_d1_rows_read_per_due_enrollment: {:.1}", rows as f64 / enrollments.max(1) as f64);
    println!("digest_d1_rows_read_nothing_due: {}", field(&idle.body, "rows_read"));
    Ok(())
}

/// D1 round trips of each login step, as the worker counts them (dev header).
fn round_trips_per_login_step(school: &str, platform: &str, clock: i64) -> Result {
    let trips = |r: &Reply| r.headers.iter().find(|(k, _)| k == "x-d1-round-trips").map(|(_, v)| v.clone()).unwrap_or_else(|| "?".into());
    let owned = form_headers(school, clock);
    let headers: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let asked = http(school, "POST", "/api/request_login", &headers, "email=student%40demo.test")?;
    let ticket = asked
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("__Host-atelier_login="))
        .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
        .ok_or("no login cookie")?;
    println!("d1_round_trips_request_code: {}", trips(&asked));
    let mut with_ticket = headers.clone();
    with_ticket.push(("cookie", &ticket));
    println!("d1_round_trips_resend: {}", trips(&http(school, "POST", "/api/request_login", &with_ticket, "email=student%40demo.test&resend=1")?));
    println!("d1_round_trips_wait_status_poll: {}", trips(&http(school, "GET", "/api/login_status", &with_ticket, "")?));
    let mail = http(platform, "GET", "/_dev/mail.json?to=student%40demo.test", &[], "")?;
    let token: String = mail.body.split("/login/link/").nth(1).ok_or("no link")?.chars().take(64).collect();
    let view = http(school, "GET", &format!("/login/link/{token}"), &[("x-atelier-now", &clock.to_string())], "")?;
    println!("d1_round_trips_link_view: {}", trips(&view));
    let confirm = http(school, "POST", "/api/confirm_link", &headers, &format!("token={token}&choice=both"))?;
    println!("d1_round_trips_link_confirm: {}", trips(&confirm));
    println!("d1_round_trips_finish_on_waiting_device: {}", trips(&http(school, "POST", "/api/finish_login", &with_ticket, "")?));
    let code = request_code(school, platform, clock + 16 * 60_000)?;
    let later = form_headers(school, clock + 16 * 60_000);
    let later: Vec<(&str, &str)> = later.iter().map(|(k, v)| (*k, v.as_str())).collect();
    println!("d1_round_trips_code_verify: {}", trips(&http(school, "POST", "/api/verify_code", &later, &format!("email=student%40demo.test&code={code}"))?));
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Compile runs per mode; the median is printed.
const COMPILE_RUNS: usize = 5;

/// Median time of `new WebAssembly.Module(bytes)`, each run in a fresh headless Chromium
/// (xtask/src/compile_time.mjs): V8 compiling every function up front (eager), or each on
/// its first call (lazy).
fn compile_times(wasm: &std::path::Path) -> Result<(f64, f64)> {
    let root = root();
    let out = std::process::Command::new("node")
        .arg(root.join("xtask/src/compile_time.mjs"))
        .arg(COMPILE_RUNS.to_string())
        .arg(wasm)
        .current_dir(&root)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |name: &str| -> Result<f64> {
        let after = line.split(&format!("\"{name}\":")).nth(1).ok_or_else(|| format!("compile timing failed: {line} {}", String::from_utf8_lossy(&out.stderr)))?;
        after.split([',', '}']).next().unwrap_or_default().trim().parse::<f64>().map_err(|e| e.to_string())
    };
    Ok((field("eager_ms")?, field("lazy_ms")?))
}

fn gzip_bytes(data: &[u8]) -> Result<usize> {
    let mut child = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child.stdin.take().ok_or("no stdin")?.write_all(data).map_err(|e| e.to_string())?;
    Ok(child.wait_with_output().map_err(|e| e.to_string())?.stdout.len())
}

fn gzip_len(path: &std::path::Path) -> Result<usize> {
    let out = std::process::Command::new("gzip").args(["-9", "-c"]).arg(path).output().map_err(|e| e.to_string())?;
    Ok(out.stdout.len())
}

struct Stats {
    p50: f64,
    p99: f64,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
        Stats { p50: at(0.5), p99: at(0.99) }
    }
}

fn measure(n: usize, mut f: impl FnMut() -> Result<bool>) -> Result<Stats> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        if !f()? {
            return Err(format!("unexpected response while measuring (after {} samples)", samples.len()));
        }
        samples.push(started.elapsed());
    }
    Ok(Stats::of(samples))
}

fn form_headers(host: &str, clock: i64) -> Vec<(&'static str, String)> {
    vec![
        ("origin", format!("http://{host}")),
        ("accept", "text/html".into()),
        ("content-type", "application/x-www-form-urlencoded".into()),
        ("x-atelier-now", clock.to_string()),
    ]
}

fn request_code(school: &str, platform: &str, clock: i64) -> Result<String> {
    request_code_for(school, platform, "student%40demo.test", clock)
}

fn request_code_for(school: &str, platform: &str, email: &str, clock: i64) -> Result<String> {
    let headers = form_headers(school, clock);
    http(school, "POST", "/api/request_login", &headers.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &format!("email={email}"))?;
    let mail = http(platform, "GET", &format!("/_dev/mail.json?to={email}"), &[], "")?;
    let text = mail.body.split("\"text\":\"").nth(1).ok_or("no mail")?;
    let words: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 4).collect();
    Ok(format!("{}{}", words.first().ok_or("no code")?, words.get(1).ok_or("no code")?))
}

fn login(school: &str, platform: &str, clock: i64) -> Result<String> {
    let code = request_code(school, platform, clock)?;
    let headers = form_headers(school, clock);
    let r = http(school, "POST", "/api/verify_code", &headers.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &format!("email=student%40demo.test&code={code}"))?;
    r.headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("__Host-atelier_session="))
        .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
        .ok_or_else(|| "login failed".to_string())
}

fn first_lesson_path(school: &str, cookie: &str) -> Result<String> {
    let page = http(school, "GET", "/courses/welcome", &[("cookie", cookie)], "")?;
    let href = page.body.split("href=\"/courses/welcome/lessons/").nth(1).ok_or("no lesson link")?;
    Ok(format!("/courses/welcome/lessons/{}", href.split('"').next().unwrap_or("1")))
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// Minimal HTTP/1.1 over loopback, one connection per request (the same cost for every
/// endpoint, so ratios compare the Worker's work).
fn http(host: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Result<Reply> {
    http_bytes(host, method, path, headers, body.as_bytes())
}

/// `http` with a binary body (an upload's part).
fn http_bytes(host: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", PORT.load(std::sync::atomic::Ordering::Relaxed))).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut req = req.into_bytes();
    req.extend_from_slice(body);
    stream.write_all(&req).map_err(|e| format!("{method} {path}: {e}"))?;
    let raw = read_response(&mut stream).map_err(|e| format!("{method} {path}: {e}"))?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("bad response")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let rest = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).ok_or("bad status")?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = String::from_utf8_lossy(&if chunked { dechunk(rest) } else { rest.to_vec() }).to_string();
    Ok(Reply { status, headers, body })
}

/// Reads one response, stopping at its end (Content-Length or the last chunk) rather than
/// waiting for the server to close the connection.
fn read_response(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let body = &raw[split + 4..];
            let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
            let complete = match length {
                Some(len) => body.len() >= len,
                None if head.contains("transfer-encoding: chunked") => body.ends_with(b"0\r\n\r\n"),
                None => false,
            };
            if complete {
                return Ok(raw);
            }
        }
    }
}

fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = s.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&s[..line_end]).trim(), 16).unwrap_or(0);
        let rest = &s[line_end + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        s = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// Stripe webhooks on the demo school (whose test account the seed connected): each sample
/// a distinct, correctly signed `checkout.session.completed` for an order it does not have,
/// so each runs the whole check (school, sealed secret opened, signature, event recorded)
/// without enrolling anyone. Signed by Node's crypto, as Stripe signs.
fn webhook_figures(school: &str) -> Result<Stats> {
    const SECRET: &str = "whsec_atelier_standin_0123456789abcdef";
    let script = format!(
        "const c = require('crypto'); const t = Math.floor(Date.now() / 1000); for (let i = 0; i < {n}; i++) {{ \
         const body = JSON.stringify({{ id: 'evt_bench_' + t + '_' + i, object: 'event', type: 'checkout.session.completed', data: {{ object: {{ id: 'cs_bench_' + i, client_reference_id: 'none' + i, amount_total: 100, currency: 'eur', payment_status: 'paid' }} }} }}); \
         const sig = c.createHmac('sha256', '{SECRET}').update(t + '.' + body).digest('hex'); console.log('t=' + t + ',v1=' + sig + '\\t' + body); }}",
        n = WEBHOOK_SAMPLES + 20
    );
    let out = std::process::Command::new("node").args(["-e", &script]).output().map_err(|e| format!("node: {e}"))?;
    let lines: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.split_once('\t').map(|(a, b)| (a.to_string(), b.to_string()))).collect();
    if lines.len() < WEBHOOK_SAMPLES + 20 {
        return Err(format!("signing the bench's events failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let mut events = lines.into_iter();
    let post = |(sig, body): (String, String)| http(school, "POST", "/hooks/stripe", &[("stripe-signature", &sig), ("content-type", "application/json")], &body);
    for e in events.by_ref().take(20) {
        post(e)?;
    }
    measure(WEBHOOK_SAMPLES, || post(events.next().ok_or("out of events")?).map(|r| r.status == 200 && r.body == "unknown order"))
}

/// Webhook samples (each writes its event id).
const WEBHOOK_SAMPLES: usize = 300;
