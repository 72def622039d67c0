//! The hardening issue's classes, each through the real worker: raw-text XSS, roles on
//! one-click fixes and pages, malformed input (never a 5xx), unread bodies, the framework's
//! Referer redirect, headers on every response, answer links, `safe_next`.

use atelier_tests::*;
use std::io::{Read, Write};
use std::time::Duration;

/// Every server function's URL path, read from the source (so a new one is covered at once):
/// `/api/{endpoint}`, or `{prefix}/{endpoint}` when the function names its prefix.
fn endpoints() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("app/src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for part in text.split("#[server(").skip(1) {
                let args = part.split(")]").next().unwrap_or_default();
                let value = |key: &str| args.split(&format!("{key} = \"")).nth(1).and_then(|v| v.split('"').next()).map(str::to_string);
                if let Some(endpoint) = value("endpoint") {
                    out.push(format!("{}/{endpoint}", value("prefix").unwrap_or_else(|| "/api".into())));
                }
            }
        }
    }
    let mut out = vec![];
    walk(&root().join("app/src"), &mut out);
    out.sort();
    assert!(out.len() > 40, "server functions found: {out:?}");
    out
}

/// One raw HTTP/1.1 exchange (bytes as given), then the status line's code.
fn raw(port: u16, request: &[u8]) -> u16 {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    // A stalled server never answers: the read gives up (and the test fails) after a minute.
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(request).expect("write");
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn user_text_in_textareas_and_titles_stays_text() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let student = format!("x-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let id = school.student_id(&student);
    let payload = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>";
    // Stored: a student's note written by an assistant (read by the owner), the school's
    // name (in every page's <title>).
    let (_, mut assistant) = school.team_member(app, "assistant", "assistant");
    let r = assistant.post("/admin/api/save_student_profile", &[("id", &id.to_string()), ("first_name", "A"), ("last_name", "B"), ("locale", "fr"), ("note", payload)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let name = "</title><script>alert(3)</script>";
    let r = school.owner.post("/admin/api/save_settings", &[("name", name), ("default_locale", "fr"), ("unknown_email_policy", "silent")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "the note is escaped inside its textarea");
    assert!(!page.contains("<script>alert(1)") && !page.contains("<img src=x"), "no markup from the note");
    for path in ["/", "/login", "/courses/c"] {
        let body = app.client(&app.school_host(&school.slug)).get(path).body;
        assert!(body.contains("&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>"), "{path}: the school name is escaped in <title>");
        assert!(!body.contains("<script>alert(3)"), "{path}");
    }
    // Reflected: values a page echoes after an error.
    for path in [
        "/admin/settings?error=hosts_invalid&hosts=%3C%2Ftextarea%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E",
        "/admin/settings?embed_sites=%3C%2Ftextarea%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E",
        "/admin/settings?error=time_zone_invalid&time_zone=%22%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E",
    ] {
        let body = school.owner.get(path).body;
        assert!(!body.contains("<script>alert(4)"), "{path}");
    }
}

#[test]
fn one_click_fixes_and_pages_ask_the_permission_of_what_they_do() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Draft course", "draft-course", "draft");
    let (_, mut assistant) = school.team_member(app, "assistant", "assistant");
    let (_, mut curator) = school.team_member(app, "curator", "curator");
    // The explainer's "publish" is a course action: an assistant is refused, nothing changes.
    let r = assistant.post("/admin/api/publish_from_explainer", &[("course_id", &course.to_string()), ("back", "/admin/explain")]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM courses WHERE id = {course} AND status = 'draft'")), 1);
    // ...and the explainer shows it the fix as the owner's to do.
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let page = assistant.get(&format!("/admin/explain?email={student}&course=draft-course")).body;
    assert!(!page.contains("/admin/api/publish_from_explainer"), "no publish button for an assistant");
    assert!(school.owner.get(&format!("/admin/explain?email={student}&course=draft-course")).body.contains("/admin/api/publish_from_explainer"));
    let mut student_client = login_with_code(app, &app.school_host(&school.slug), &student);
    for (who, client) in [("curator", &mut curator), ("student", &mut student_client), ("assistant", &mut assistant)] {
        for (path, form) in [
            ("/admin/courses/new".to_string(), "/admin/api/save_course"),
            (format!("/admin/courses/{course}/lessons/new"), "/admin/api/save_lesson"),
            ("/admin/team".to_string(), "/admin/api/invite_member"),
            ("/admin/settings".to_string(), "/admin/api/save_settings"),
        ] {
            let r = client.get(&path);
            assert_eq!(r.status, 403, "{who} {path}");
            assert!(!r.body.contains(form), "{who} {path}: no form");
        }
    }
    assert_eq!(school.owner.get("/admin/courses/new").status, 200);
}

#[test]
fn malformed_input_is_a_4xx_with_a_reason_at_every_endpoint() {
    let app = spawn_app();
    let mut school = open_school(app);
    let bodies: Vec<(&str, String)> = vec![
        ("application/x-www-form-urlencoded", "id=abc&course_id=abc&lesson_id=abc".into()),
        ("application/x-www-form-urlencoded", "id=9223372036854775808&course_id=9223372036854775808&lesson_id=99999999999999999999".into()),
        ("application/x-www-form-urlencoded", String::new()),
        ("application/x-www-form-urlencoded", "id=1&id=2&course_id=1&course_id=2".into()),
        ("application/x-www-form-urlencoded", "id=%FF%FE&name=%C3%28".into()),
        ("application/json", "{\"id\":1}".into()),
        ("text/plain", "hello".into()),
        ("application/x-www-form-urlencoded", format!("note={}", "x".repeat(2 * 1024 * 1024))),
    ];
    let mut failures = vec![];
    for endpoint in endpoints() {
        for (content_type, body) in &bodies {
            let r = school.owner.post_raw(&endpoint, content_type, body);
            if r.status >= 500 {
                failures.push(format!("{endpoint} [{content_type}, {} bytes]: {} {}", body.len(), r.status, r.body.chars().take(120).collect::<String>()));
            }
        }
    }
    assert!(failures.is_empty(), "5xx answers:\n{}", failures.join("\n"));
    // The reasons.
    assert_eq!(school.owner.post_raw("/admin/api/save_course", "application/json", "{}").status, 415);
    assert_eq!(school.owner.post_raw("/admin/api/save_course", "application/x-www-form-urlencoded", "title=%FF").status, 400);
    let big = school.owner.post_raw("/admin/api/save_course", "application/x-www-form-urlencoded", &format!("title={}", "x".repeat(3 * 1024 * 1024)));
    assert_eq!(big.status, 413);
    let missing = school.owner.post_raw("/admin/api/save_course", "application/x-www-form-urlencoded", "title=x");
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(missing.body.contains("missing field"), "the page names the problem: {}", missing.body);
    // 10 MB without login, from the platform site.
    let mut anonymous = app.client(&app.platform_host());
    assert_eq!(anonymous.post_raw("/api/create_school", "application/x-www-form-urlencoded", &"a".repeat(10 * 1024 * 1024)).status, 413);
    // A Cookie header with DEL (0x7F): 400, not 500.
    let host = app.school_host(&school.slug);
    let status = raw(app.port, format!("GET / HTTP/1.1\r\nHost: {host}\r\nCookie: a=b\x7fc\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(status, 400);
}

#[test]
fn a_refused_body_never_stalls_the_next_request() {
    let app = spawn_app();
    let mut school = open_school(app);
    let host = app.school_host(&school.slug);
    // 300 KB with no Origin and no form token: refused (403), body drained; then the same
    // keep-alive connection answers at once.
    let body = format!("x={}", "a".repeat(300 * 1024));
    let mut s = std::net::TcpStream::connect(("127.0.0.1", app.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let request = format!("POST /admin/api/save_course HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(request.as_bytes()).unwrap();
    let mut first = vec![0u8; 4096];
    let n = s.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 403"), "{}", String::from_utf8_lossy(&first[..n]));
    // The same connection's next request is answered (a stall was over 120 s).
    s.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut rest = String::new();
    let _ = s.read_to_string(&mut rest);
    assert!(rest.contains("HTTP/1.1 200") || String::from_utf8_lossy(&first[..n]).contains("HTTP/1.1 200"), "answered on the same connection: {rest}");
    // A 6 MB upload refused as too large, then the next request through the same client.
    let r = school.owner.post_file("/admin/imports/upload", "file", "big.csv", &vec![b'a'; 6 * 1024 * 1024]);
    assert!(r.location().contains("csv_too_large") || r.status == 413, "{} {}", r.status, r.location());
    assert_eq!(school.owner.get("/admin").status, 200, "the next request through the same client is answered");
}

#[test]
fn server_functions_never_redirect_to_the_referer() {
    let app = spawn_app();
    let school = open_school(app);
    let mut c = app.client(&app.school_host(&school.slug));
    c.headers.push(("Referer".into(), "https://evil.example/phish".into()));
    for path in ["/api/login_status", "/api/nope"] {
        let r = c.get(path);
        assert!(!r.location().contains("evil"), "{path}: {}", r.location());
        assert!(r.status < 500, "{path}: {}", r.status);
    }
    let r = c.post("/admin/api/save_course", &[("id", ""), ("title", "x")]);
    assert!(!r.location().contains("evil") && r.status == 400, "{} {}", r.status, r.location());
    assert!(r.body.contains("href=\"/\""), "the way back is ours, not the Referer");
}

#[test]
fn every_response_has_the_security_headers() {
    let app = spawn_app();
    let mut school = open_school(app);
    let mut c = app.client(&app.school_host(&school.slug));
    for path in ["/style.css", "/favicon.ico", "/healthz", "/pkg/atelier.js", "/", "/api/nope"] {
        let r = c.get(path);
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert!(r.header("referrer-policy").is_some(), "{path}");
        assert!(r.header("content-security-policy").unwrap_or("").contains("frame-ancestors"), "{path}");
    }
    // A trial embed's 304 keeps its framing rule.
    let course = school.create_course("C", "c", "published");
    let lesson = school.create_lesson(course, "L", "Hello", "published");
    let embed = school.make_trial(course, lesson);
    let first = c.get(&format!("/embed/{embed}"));
    let etag = first.header("etag").expect("etag").to_string();
    c.headers.push(("If-None-Match".into(), etag));
    let again = c.get(&format!("/embed/{embed}"));
    assert_eq!(again.status, 304);
    assert_eq!(again.header("content-security-policy"), first.header("content-security-policy"));
}

#[test]
fn answer_links_must_be_absolute_web_links_without_credentials() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let lesson = school.create_lesson(course, "L", "Do it", "published");
    let r = school.owner.post("/admin/api/save_task", &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("kind", "assignment"), ("prompt", "Send a link"), ("answer_kind", "link"), ("review_required", "on")]);
    assert_eq!(r.status, 303, "{}", r.location());
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    for bad in ["//evil.example/x", "https://docs.google.com@evil.example/x", "javascript:alert(1)", "/relative"] {
        let r = c.post("/api/submit_assignment", &[("slug", "c"), ("lesson_id", &lesson.to_string()), ("text", ""), ("link", bad)]);
        assert!(r.location().contains("error=answer_link_invalid"), "{bad}: {}", r.location());
    }
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions WHERE lesson_id = {lesson}")), 0);
    let r = c.post("/api/submit_assignment", &[("slug", "c"), ("lesson_id", &lesson.to_string()), ("text", ""), ("link", "https://docs.example.com/d/1")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    assert!(school.owner.get("/admin/reviews").body.contains("(docs.example.com)"), "the reviewer sees the real host");
}

#[test]
fn every_login_path_keeps_next_on_the_site() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let host = app.school_host(&school.slug);
    let bad = ["//x.example", "https://x.example", "/\\x.example", "/%5Cx.example", "/%255Cx.example", "/%09/x.example", "%2F%2Fx.example", "javascript:alert(1)", "/\t/x.example"];
    for (i, next) in bad.into_iter().enumerate() {
        // One student per trick: each asks for two emails, and five an address is the limit.
        let student = format!("n{i}-{}@example.com", school.slug);
        school.add_student(course, &student, false);
        // The login page and the waiting page never carry it.
        let mut c = app.client(&host);
        for page in ["/login", "/login/code"] {
            let body = c.get(&format!("{page}?email={student}&next={}", urlencode(next))).body;
            for value in body.split("name=\"next\" value=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or("")) {
                // Empty, or a path that stays here even decoded once more.
                let again = value.replace("%5C", "\\").replace("%5c", "\\").replace("%2F", "/").replace("%2f", "/").replace("%09", "\t");
                let safe = |v: &str| v.starts_with('/') && !v.starts_with("//") && !v.contains('\\') && !v.contains('\t');
                assert!(value.is_empty() || (safe(value) && safe(&again)), "{page} next={next:?}: the form carries {value:?}");
            }
        }
        // Code: the redirect after login.
        c.post("/api/request_login", &[("email", &student), ("next", next)]);
        let code = app.latest_mail(&student).code();
        let r = c.post("/api/verify_code", &[("email", &student), ("code", &code), ("next", next)]);
        assert!(c.has_session(), "{next:?}");
        assert!(r.location().starts_with('/') && !r.location().starts_with("//") && !r.location().contains('\\'), "{next:?} -> {}", r.location());
        // Link: confirm on the scanner-safe page.
        let mut other = app.client(&host);
        other.post("/api/request_login", &[("email", &student), ("next", next)]);
        let link = app.latest_mail(&student).link_path();
        other.get(&link);
        let token = link.trim_start_matches("/login/link/").to_string();
        let r = other.post("/api/confirm_link", &[("token", &token), ("choice", "here")]);
        assert!(r.location().starts_with('/') && !r.location().starts_with("//") && !r.location().contains("x.example"), "{next:?} -> {}", r.location());
    }
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[test]
fn an_unknown_path_gets_a_page_that_says_so() {
    let app = spawn_app();
    let school = open_school(app);
    let mut c = app.client(&app.school_host(&school.slug));
    for path in ["/nope", "/%255Cevil.example", "/courses/a/b/c/d"] {
        let r = c.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("Page introuvable") || r.body.contains("Page not found"), "{path}: {}", r.body);
        assert!(r.body.contains("href=\"/\""), "a way home");
    }
}
