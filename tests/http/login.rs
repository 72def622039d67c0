use atelier_tests::*;

fn school_with_student(app: &Worker) -> (School, String) {
    let mut school = open_school(app);
    let course = school.create_course("Cours", "cours", "published");
    school.first_lesson = school.create_lesson(course, "Leçon 1", "Texte de la leçon", "published");
    let student = format!("student-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    (school, student)
}

#[test]
fn login_by_code_creates_a_session_that_persists() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let host = app.school_host(&school.slug);
    let mut c = app.client(&host);
    let r = c.post("/api/request_login", &[("email", &student)]);
    assert!(r.location().starts_with("/login/code?email="), "{}", r.location());
    let mail = app.latest_mail(&student);
    let r = c.post("/api/verify_code", &[("email", &student), ("code", &mail.code())]);
    assert_eq!(r.location(), "/");
    assert!(c.has_session());
    for _ in 0..3 {
        let home = c.get("/");
        assert!(home.body.contains(&student), "logged in on every request");
    }
}

#[test]
fn session_cookie_has_the_required_attributes() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let mut c = app.client(&app.school_host(&school.slug));
    c.post("/api/request_login", &[("email", &student)]);
    let code = app.latest_mail(&student).code();
    let r = c.post("/api/verify_code", &[("email", &student), ("code", &code)]);
    let cookie = r.set_cookies().into_iter().find(|c| c.starts_with("__Host-atelier_session=")).expect("session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "host-only cookie");
}

#[test]
fn login_link_get_and_head_never_log_in_only_the_post_does() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let host = app.school_host(&school.slug);
    app.client(&host).post("/api/request_login", &[("email", &student)]);
    let path = app.latest_mail(&student).link_path();

    let mut scanner = app.client(&host);
    let head = scanner.head(&path);
    let page = scanner.get(&path);
    assert_eq!(head.status, 200);
    assert!(!scanner.has_session(), "GET/HEAD must not create a session");
    assert!(page.body.contains("s•••@example.com"), "masked email shown");
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));

    let mut phone = app.client(&host);
    let token = path.trim_start_matches("/login/link/");
    let r = phone.post("/api/confirm_link", &[("token", token)]);
    assert_eq!(r.location(), "/");
    assert!(phone.has_session());

    // Single use.
    let mut other = app.client(&host);
    let again = other.post("/api/confirm_link", &[("token", token)]);
    assert!(again.location().contains("error=link_used"), "{}", again.location());
    assert!(!other.has_session());
    assert!(other.get(&path).body.contains("/login"), "used link offers a fresh login");
}

#[test]
fn five_wrong_codes_lock_the_request() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let mut c = app.client(&app.school_host(&school.slug));
    c.post("/api/request_login", &[("email", &student)]);
    let code = app.latest_mail(&student).code();
    let wrong = if code == "11111111" { "22222222" } else { "11111111" };
    for attempt in 1..=5 {
        let r = c.post("/api/verify_code", &[("email", &student), ("code", wrong)]);
        let expected = if attempt < 5 { "code_wrong" } else { "code_locked" };
        assert!(r.location().contains(&format!("error={expected}")), "attempt {attempt}: {}", r.location());
    }
    let r = c.post("/api/verify_code", &[("email", &student), ("code", &code)]);
    assert!(r.location().contains("error=code_locked"), "the right code no longer works: {}", r.location());
    assert!(!c.has_session());
}

#[test]
fn an_expired_code_is_refused_with_a_message() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let mut c = app.client(&app.school_host(&school.slug));
    c.post("/api/request_login", &[("email", &student)]);
    let mail = app.latest_mail(&student);
    c.now_ms = Some(mail.created_at + 10 * 60_000 + 1);
    let r = c.post("/api/verify_code", &[("email", &student), ("code", &mail.code())]);
    assert!(r.location().contains("error=code_expired"), "{}", r.location());
    assert!(!c.has_session());
    let page = c.get(&r.location());
    assert!(page.body.contains("notice error"));
}

#[test]
fn malformed_codes_get_a_format_message() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let mut c = app.client(&app.school_host(&school.slug));
    let r = c.post("/api/verify_code", &[("email", &student), ("code", "12ab")]);
    assert!(r.location().contains("error=code_format"), "{}", r.location());
}

#[test]
fn logout_ends_the_session_server_side() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let host = app.school_host(&school.slug);
    let mut c = login_with_code(app, &host, &student);
    assert!(c.get(&format!("/courses/cours/lessons/{}", school.first_lesson)).body.contains("Texte de la leçon"));
    let stolen = c.cookies.clone();
    c.post("/api/logout", &[]);
    assert!(!c.has_session());
    let mut replay = app.client(&host);
    replay.cookies = stolen;
    let home = replay.get("/");
    assert!(!home.body.contains(&student), "a logged-out session cookie is dead");
    let lesson = replay.get(&format!("/courses/cours/lessons/{}", school.first_lesson));
    assert!(lesson.location().starts_with("/login?next="), "course pages read in the viewer's batch honour the logout too");
    assert!(!lesson.body.contains("Texte de la leçon"));
}

#[test]
fn unknown_and_known_emails_get_the_same_answer() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let host = app.school_host(&school.slug);
    let known = app.client(&host).post("/api/request_login", &[("email", &student)]);
    let unknown = app.client(&host).post("/api/request_login", &[("email", "nobody@example.com")]);
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.location().replace(&student.replace('@', "%40"), "X"), unknown.location().replace("nobody%40example.com", "X"));
    assert!(app.mails("nobody@example.com").is_empty(), "no email to unknown addresses");
}

#[test]
fn a_session_of_school_a_is_worthless_on_school_b() {
    let app = spawn_app();
    let (school_a, student) = school_with_student(app);
    let mut school_b = open_school(app);
    let course_b = school_b.create_course("Secret B", "secret-b", "published");
    let lesson_b = school_b.create_lesson(course_b, "Leçon B", "CONTENU-SECRET-B", "published");
    let a = login_with_code(app, &app.school_host(&school_a.slug), &student);
    let mut on_b = app.client(&app.school_host(&school_b.slug));
    on_b.cookies = a.cookies.clone();
    let r = on_b.get(&format!("/courses/secret-b/lessons/{lesson_b}"));
    assert!(r.location().starts_with("/login?next="), "school A's session is no one on school B: {}", r.location());
    assert!(!r.body.contains("CONTENU-SECRET-B"));
    assert!(!r.body.contains(&student), "not logged in on B");
}

#[test]
fn the_same_email_is_a_separate_account_in_two_schools() {
    let app = spawn_app();
    let (mut school_a, student) = school_with_student(app);
    let mut school_b = open_school(app);
    let course_b = school_b.create_course("B", "b", "published");
    school_b.add_student(course_b, &student, false);
    // Two user rows, one per school, each with its own session.
    let accounts = app.sql_rows(&format!("SELECT u.id, sc.slug FROM users u JOIN schools sc ON sc.id = u.school_id WHERE u.email = '{student}' ORDER BY u.id"));
    let slugs: Vec<&str> = accounts.iter().filter_map(|r| r["slug"].as_str()).collect();
    assert_eq!(slugs, vec![school_a.slug.as_str(), school_b.slug.as_str()], "one account per school");
    let a = login_with_code(app, &app.school_host(&school_a.slug), &student);
    let mut b = login_with_code(app, &app.school_host(&school_b.slug), &student);
    let session_user = |id: &str| app.sql_rows(&format!("SELECT user_id FROM sessions WHERE id = '{id}'"))[0]["user_id"].as_i64();
    let (a_user, b_user) = (session_user(&a.session_id().unwrap()), session_user(&b.session_id().unwrap()));
    assert_eq!((a_user, b_user), (accounts[0]["id"].as_i64(), accounts[1]["id"].as_i64()), "each session is its school's account");
    // A's session cookie means nothing on B: B's course list is not A's.
    let mut stolen = app.client(&app.school_host(&school_b.slug));
    stolen.cookies = a.cookies.clone();
    assert!(!stolen.get("/").body.contains(&student), "school A's session does not log in on school B");
    assert!(b.get("/").body.contains(&student));
    let _ = &mut school_a;
}

#[test]
fn sessions_slide_for_30_days_and_end_after_90() {
    let app = spawn_app();
    let (school, student) = school_with_student(app);
    let host = app.school_host(&school.slug);
    let t0 = now_ms();
    let mut c = login_with_code(app, &host, &student);
    let logged_in = |c: &mut Client| c.get("/").body.contains(&student);
    // Used every 25 days: still logged in, and each use renews the cookie.
    for day in [25, 50, 75] {
        c.now_ms = Some(t0 + day * DAY_MS);
        let r = c.get("/");
        assert!(r.body.contains(&student), "day {day}");
        assert!(r.set_cookies().iter().any(|k| k.starts_with("__Host-atelier_session=") && k.contains("Max-Age=")), "renewed on day {day}");
    }
    // The absolute limit: 91 days after login, even if used recently.
    c.now_ms = Some(t0 + 91 * DAY_MS);
    assert!(!logged_in(&mut c), "absolute 90-day limit");

    // Unused for 31 days: gone.
    let mut idle = login_with_code(app, &host, &student);
    idle.now_ms = Some(now_ms() + 31 * DAY_MS);
    assert!(!logged_in(&mut idle), "30-day sliding expiry");
}

#[test]
fn pages_follow_the_browser_language_and_the_switch() {
    let app = spawn_app();
    let school = open_school(app);
    let mut c = app.client(&app.school_host(&school.slug));
    c.headers.push(("Accept-Language".into(), "en-GB,en;q=0.9".into()));
    let page = c.get("/login");
    assert!(page.body.contains("lang=\"en\"") && page.body.contains("Send me a code"), "English from the browser");
    let r = c.post("/api/set_language", &[("lang", "fr"), ("back", "/login")]);
    assert_eq!(r.location(), "/login");
    let page = c.get("/login");
    assert!(page.body.contains("lang=\"fr\"") && page.body.contains("Recevoir un code"), "the switch wins");
    let r = c.post("/api/set_language", &[("lang", "en"), ("back", "https://evil.example/")]);
    assert_eq!(r.location(), "/", "the switch never redirects off-site");
}
