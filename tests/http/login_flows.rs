//! Login that never strands a student: scanners, other browsers and devices, resends,
//! limits, sessions, creator tools. Black-box, against the real worker.

use atelier_tests::*;

const IPHONE_SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const INSTAGRAM: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 321.0.2.18.108 (iPhone14,5; iOS 17_4; fr_FR; fr; scale=3.00; 1170x2532; 577210397)";
const SAFE_LINKS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

struct Setup {
    school: School,
    student: String,
    host: String,
}

fn school_with_student(app: &Worker) -> Setup {
    let mut school = open_school(app);
    let course = school.create_course("Cours", "cours", "published");
    school.first_lesson = school.create_lesson(course, "Leçon 1", "Texte", "published");
    let student = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let host = app.school_host(&school.slug);
    Setup { school, student, host }
}

fn with_agent(mut c: Client, user_agent: &str) -> Client {
    c.headers.push(("User-Agent".into(), user_agent.into()));
    c
}

fn token_of(path: &str) -> String {
    path.trim_start_matches("/login/link/").to_string()
}

#[test]
fn scanner_get_and_head_then_the_students_tap_logs_in() {
    let app = spawn_app();
    let s = school_with_student(app);
    app.client(&s.host).post("/api/request_login", &[("email", &s.student)]);
    let path = app.latest_mail(&s.student).link_path();

    let mut scanner = with_agent(app.client(&s.host), SAFE_LINKS);
    assert_eq!(scanner.head(&path).status, 200);
    let page = scanner.get(&path);
    assert!(page.body.contains("e•••@example.com"), "the scanner sees a confirm page");
    assert!(!scanner.has_session());
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));

    let mut phone = with_agent(app.client(&s.host), IPHONE_SAFARI);
    phone.get(&path);
    let r = phone.post("/api/confirm_link", &[("token", &token_of(&path)), ("choice", "here"), ("csrf", &phone.csrf())]);
    assert_eq!(r.location(), "/");
    assert!(phone.has_session());
    assert!(phone.get("/").body.contains(&s.student));
}

#[test]
fn a_used_link_says_so_and_offers_a_fresh_login_in_one_tap() {
    let app = spawn_app();
    let s = school_with_student(app);
    app.client(&s.host).post("/api/request_login", &[("email", &s.student)]);
    let path = app.latest_mail(&s.student).link_path();
    let mut first = app.client(&s.host);
    first.post("/api/confirm_link", &[("token", &token_of(&path))]);
    assert!(first.has_session());
    let again = first.get(&path).body;
    assert!(again.contains("Vous êtes connecté") || again.contains("You are logged in"), "the person who used it sees they are logged in");

    let mut other = app.client(&s.host);
    let page = other.get(&path);
    assert!(page.body.contains("/api/fresh_login"), "one-tap fresh login offered");
    let sent_before = app.mails(&s.student).len();
    let r = other.post("/api/fresh_login", &[("token", &token_of(&path))]);
    assert!(r.location().starts_with("/login/code?email="), "{}", r.location());
    assert_eq!(app.mails(&s.student).len(), sent_before + 1, "a fresh email went out");
    let code = app.latest_mail(&s.student).code();
    other.post("/api/verify_code", &[("email", &s.student), ("code", &code)]);
    assert!(other.has_session());
}

#[test]
fn the_code_works_in_another_browser() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut in_app_browser = with_agent(app.client(&s.host), INSTAGRAM);
    in_app_browser.post("/api/request_login", &[("email", &s.student)]);
    let code = app.latest_mail(&s.student).code();
    let mut safari = with_agent(app.client(&s.host), IPHONE_SAFARI);
    let r = safari.post("/api/verify_code", &[("email", &s.student), ("code", &code)]);
    assert_eq!(r.location(), "/");
    assert!(safari.has_session());
}

#[test]
fn the_first_code_still_works_after_two_resends() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    c.post("/api/request_login", &[("email", &s.student)]);
    let first = app.latest_mail(&s.student);
    for _ in 0..2 {
        let r = c.post("/api/request_login", &[("email", &s.student), ("resend", "1")]);
        assert!(r.location().contains("ok=code_resent"), "{}", r.location());
    }
    let mails = app.mails(&s.student);
    assert_eq!(mails.len(), 3, "three emails");
    assert!(mails.iter().all(|m| m.code() == first.code() && m.link_path() == first.link_path()), "same code and link each time");
    let page = c.get(&format!("/login/code?email={}", s.student.replace('@', "%40")));
    assert!(page.body.contains("renvoyé à") || page.body.contains("sent again at"), "the resend is visible");
    let r = c.post("/api/verify_code", &[("email", &s.student), ("code", &first.code())]);
    assert_eq!(r.location(), "/");
    assert!(c.has_session());
}

#[test]
fn a_resend_never_extends_a_code_and_after_expiry_a_new_one_is_issued() {
    let app = spawn_app();
    let s = school_with_student(app);
    let start = now_ms();
    let mut c = app.client(&s.host);
    c.now_ms = Some(start);
    c.post("/api/request_login", &[("email", &s.student)]);
    let first = app.latest_mail(&s.student).code();
    c.now_ms = Some(start + 9 * 60_000);
    c.post("/api/request_login", &[("email", &s.student), ("resend", "1")]);
    assert_eq!(app.latest_mail(&s.student).code(), first, "same code within its life");
    c.now_ms = Some(start + 10 * 60_000 + 1_000);
    let r = c.post("/api/verify_code", &[("email", &s.student), ("code", &first)]);
    assert!(r.location().contains("error=code_expired"), "not extended by the resend: {}", r.location());
    c.post("/api/request_login", &[("email", &s.student), ("resend", "1")]);
    let second = app.latest_mail(&s.student).code();
    assert_ne!(second, first, "a new code after expiry");
    c.post("/api/verify_code", &[("email", &s.student), ("code", &second)]);
    assert!(c.has_session());
}

#[test]
fn an_expired_code_shows_a_message_and_a_one_tap_resend() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    c.post("/api/request_login", &[("email", &s.student)]);
    let code = app.latest_mail(&s.student).code();
    c.now_ms = Some(now_ms() + 11 * 60_000);
    let r = c.post("/api/verify_code", &[("email", &s.student), ("code", &code)]);
    assert!(r.location().contains("error=code_expired"), "{}", r.location());
    let page = c.get(&r.location());
    assert!(page.body.contains("role=\"alert\""), "a message is shown");
    assert!(page.body.contains("name=\"resend\""), "with a resend button");
    let r = c.post("/api/request_login", &[("email", &s.student), ("resend", "1")]);
    assert!(r.location().starts_with("/login/code"));
    let fresh = app.latest_mail(&s.student).code();
    c.post("/api/verify_code", &[("email", &s.student), ("code", &fresh)]);
    assert!(c.has_session());
}

#[test]
fn five_wrong_codes_lock_with_a_message() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    c.post("/api/request_login", &[("email", &s.student)]);
    let code = app.latest_mail(&s.student).code();
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    let mut last = String::new();
    for _ in 0..5 {
        last = c.post("/api/verify_code", &[("email", &s.student), ("code", wrong)]).location();
    }
    assert!(last.contains("error=code_locked"), "{last}");
    let r = c.post("/api/verify_code", &[("email", &s.student), ("code", &code)]);
    assert!(r.location().contains("error=code_locked"), "locked even for the right code");
    assert!(c.get(&r.location()).body.contains("role=\"alert\""));
    assert!(!c.has_session());
}

#[test]
fn twenty_wrong_codes_an_hour_block_the_account_with_a_retry_time() {
    let app = spawn_app();
    let s = school_with_student(app);
    let wrong = |code: &str| if code == "00000000" { "11111111".to_string() } else { "00000000".to_string() };
    let mut last_code = String::new();
    // Four login requests, five wrong codes each: 20.
    for _ in 0..4 {
        let mut c = app.client(&s.host);
        c.post("/api/request_login", &[("email", &s.student)]);
        last_code = app.latest_mail(&s.student).code();
        for _ in 0..5 {
            c.post("/api/verify_code", &[("email", &s.student), ("code", &wrong(&last_code))]);
        }
    }
    let mut c = app.client(&s.host);
    // A fifth request is still allowed by the email limit (5 per 15 minutes).
    c.post("/api/request_login", &[("email", &s.student)]);
    let fresh = app.latest_mail(&s.student).code();
    assert_ne!(fresh, last_code);
    let r = c.post("/api/verify_code", &[("email", &s.student), ("code", &fresh)]);
    assert!(r.location().contains("error=rate_wrong_codes"), "{}", r.location());
    assert!(r.location().contains("retry="), "says when");
    let page = c.get(&r.location());
    assert!(page.body.contains("min)"), "retry time shown: {}", &page.body[..page.body.len().min(300)]);
    assert!(!c.has_session());
}

#[test]
fn existing_and_unknown_emails_get_byte_identical_answers() {
    let app = spawn_app();
    let s = school_with_student(app);
    let unknown = format!("nobody-{}@example.com", s.school.slug);
    let answer = |email: &str| {
        let mut c = app.client(&s.host);
        c.get("/login");
        let r = c.post("/api/request_login", &[("email", email)]);
        let cookies: Vec<String> = r.set_cookies().iter().map(|c| c.split('=').next().unwrap_or("").to_string() + &c[c.find(';').unwrap_or(0)..]).collect();
        let page = c.get(&r.location());
        (r.status, r.location().replace(&email.replace('@', "%40"), "EMAIL"), r.body.clone(), cookies, page.status, page.body.replace(email, "EMAIL").replace(&email.replace('@', "%40"), "EMAIL"), c)
    };
    let (s1, l1, b1, c1, ps1, pb1, _) = answer(&s.student);
    let (s2, l2, b2, c2, ps2, pb2, _) = answer(&unknown);
    assert_eq!((s1, &l1, &b1, &c1), (s2, &l2, &b2, &c2), "request answers differ");
    assert_eq!(ps1, ps2);
    // Pages differ only by per-request tokens (form token, script nonce) and the send time.
    let strip = |body: &str| {
        let blank = |text: &str, marker: &str, end: char| {
            text.split(marker).enumerate().map(|(i, part)| if i == 0 { part.to_string() } else { part.split_once(end).map(|(_, rest)| rest.to_string()).unwrap_or_default() }).collect::<Vec<_>>().join(marker)
        };
        let body = blank(body, "name=\"csrf\" value=\"", '"');
        let body = blank(&body, "nonce=\"", '"');
        let body = blank(&body, "crossorigin=\"", '"');
        blank(&body, "class=\"muted sent\">", '<')
    };
    assert_eq!(strip(&pb1), strip(&pb2), "waiting pages differ");
    assert!(app.mails(&unknown).is_empty(), "no email to an unknown address by default");
}

#[test]
fn a_school_can_tell_unknown_emails_they_have_no_account() {
    let app = spawn_app();
    let mut s = school_with_student(app);
    let r = s.school.owner.post("/admin/api/save_settings", &[("name", "École"), ("default_locale", "fr"), ("unknown_email_policy", "notify")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let unknown = format!("stranger-{}@example.com", s.school.slug);
    app.client(&s.host).post("/api/request_login", &[("email", &unknown)]);
    let mail = app.latest_mail(&unknown);
    assert!(mail.text.contains("pas de compte") || mail.text.contains("no account"), "{}", mail.text);
    assert!(!mail.text.contains("/login/link/"), "no login link for an unknown address");
}

#[test]
fn the_session_id_differs_before_and_after_login() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = login_with_code(app, &s.host, &s.student);
    let before = c.session_id().expect("a session");
    let old_cookie = c.cookies["__Host-atelier_session"].clone();
    c.post("/api/request_login", &[("email", &s.student)]);
    let code = app.latest_mail(&s.student).code();
    c.post("/api/verify_code", &[("email", &s.student), ("code", &code)]);
    let after = c.session_id().expect("a session");
    assert_ne!(before, after, "a new session on every login");
    assert!(c.get("/").body.contains(&s.student), "the new session works");
    // The session the browser had before logging in again is over (its full, valid cookie).
    let mut old = app.client(&s.host);
    old.cookies.insert("__Host-atelier_session".into(), old_cookie);
    assert!(!old.get("/").body.contains(&s.student));
}

#[test]
fn posts_without_origin_need_the_form_token() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    c.get("/login");
    let token = c.csrf();
    assert_eq!(token.len(), 32, "a form token cookie is set");
    let refused = c.post_without_origin("/api/request_login", &[("email", &s.student)]);
    assert_eq!(refused.status, 403, "no Origin and no form token");
    let wrong = c.post_without_origin("/api/request_login", &[("email", &s.student), ("csrf", "0123456789abcdef0123456789abcdef")]);
    assert_eq!(wrong.status, 403, "a token that is not this browser's");
    let ok = c.post_without_origin("/api/request_login", &[("email", &s.student), ("csrf", &token)]);
    assert!(ok.location().starts_with("/login/code"), "{} {}", ok.status, ok.location());
    let mut foreign = app.client(&s.host);
    foreign.origin = Some("https://evil.example".into());
    assert_eq!(foreign.post("/api/request_login", &[("email", &s.student)]).status, 403, "foreign Origin refused");
}

#[test]
fn the_local_database_file_holds_no_raw_code_token_or_session_secret() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    c.post("/api/request_login", &[("email", &s.student)]);
    let mail = app.latest_mail(&s.student);
    let (code, token) = (mail.code(), token_of(&mail.link_path()));
    let mut other = app.client(&s.host);
    other.post("/api/request_login", &[("email", &s.student)]);
    let used = app.latest_mail(&s.student).code();
    other.post("/api/verify_code", &[("email", &s.student), ("code", &used)]);
    let secret = other.cookies["__Host-atelier_session"].split('.').nth(1).expect("secret").to_string();
    let login_secret = c.cookies["__Host-atelier_login"].split('.').nth(1).expect("login cookie secret").to_string();
    // Wait for D1's write-ahead log to reach the files we read.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let bytes = app.database_bytes();
    assert!(bytes.len() > 10_000, "read the database files");
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains(&s.student), "the files do hold this test's rows");
    for (what, secret) in [("code", code.as_str()), ("spaced code", &format!("{} {}", &code[..4], &code[4..])), ("link token", token.as_str()), ("session secret", secret.as_str()), ("login cookie secret", login_secret.as_str())] {
        assert!(!contains(secret), "raw {what} found in the database file");
    }
}

#[test]
fn login_and_form_token_cookies_have_the_required_attributes() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = app.client(&s.host);
    let r = c.post("/api/request_login", &[("email", &s.student)]);
    for name in ["__Host-atelier_login=", "__Host-atelier_csrf="] {
        let cookie = r.set_cookies().into_iter().find(|c| c.starts_with(name)).unwrap_or_else(|| panic!("{name} set"));
        for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attr), "{attr} missing in {cookie}");
        }
        assert!(!cookie.contains("Domain"));
    }
}

#[test]
fn throttling_by_email_and_by_ip_survives_a_worker_restart() {
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let course = school.create_course("C", "c", "published");
    let student = format!("t-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let host = app.school_host(&school.slug);
    for _ in 0..5 {
        let r = app.client(&host).post("/api/request_login", &[("email", &student)]);
        assert!(r.location().starts_with("/login/code"), "{}", r.location());
    }
    let r = app.client(&host).post("/api/request_login", &[("email", &student)]);
    assert!(r.location().contains("error=rate_email") && r.location().contains("retry="), "{}", r.location());
    // 30 requests from one network, for different emails.
    let mut one_network = app.client(&host);
    for i in 0..30 {
        let r = one_network.post("/api/request_login", &[("email", &format!("n{i}-{}@example.com", school.slug))]);
        assert!(r.location().starts_with("/login/code"), "request {i}: {}", r.location());
    }
    let ip = one_network.ip.clone();

    let app = restart_worker(app, "dev");
    let r = app.client(&host).post("/api/request_login", &[("email", &student)]);
    assert!(r.location().contains("error=rate_email"), "email limit kept across restart: {}", r.location());
    let mut same_network = app.client(&host);
    same_network.ip = ip;
    let r = same_network.post("/api/request_login", &[("email", &format!("new-{}@example.com", school.slug))]);
    assert!(r.location().contains("error=rate_ip"), "IP limit kept across restart: {}", r.location());
    assert!(same_network.get(&r.location()).body.contains("min)"), "says when to retry");
    // After the window, both are free again.
    let mut later = app.client(&host);
    later.now_ms = Some(now_ms() + 16 * 60_000);
    assert!(later.post("/api/request_login", &[("email", &student)]).location().starts_with("/login/code"));
    app.stop();
}

#[test]
fn log_out_everywhere_ends_the_other_sessions() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut phone = login_with_code(app, &s.host, &s.student);
    let mut laptop = login_with_code(app, &s.host, &s.student);
    let account = laptop.get("/account");
    assert!(account.body.contains("/api/logout_everywhere"));
    assert_eq!(account.body.matches("/api/end_session").count(), 1, "the other session is listed with an end button");
    let r = laptop.post("/api/logout_everywhere", &[]);
    assert!(r.location().starts_with("/login"));
    assert!(!phone.get("/").body.contains(&s.student), "the phone is logged out");
    assert!(!laptop.get("/").body.contains(&s.student), "and this browser too");
}

#[test]
fn a_creator_can_end_all_sessions_of_a_student() {
    let app = spawn_app();
    let mut s = school_with_student(app);
    let mut student = login_with_code(app, &s.host, &s.student);
    assert!(student.get("/").body.contains(&s.student));
    let id = s.school.student_id(&s.student).to_string();
    let page = s.school.owner.get(&format!("/admin/students/{id}"));
    assert!(page.body.contains(&s.student));
    let r = s.school.owner.post("/admin/api/end_student_sessions", &[("id", &id)]);
    assert!(r.location().contains("ok=sessions_ended"), "{}", r.location());
    assert!(!student.get("/").body.contains(&s.student), "logged out on the next request");
    // A student cannot do it.
    let mut other = login_with_code(app, &s.host, &s.student);
    assert_eq!(other.post("/admin/api/end_student_sessions", &[("id", &id)]).status, 403);
}

#[test]
fn the_access_reminder_link_works_after_a_scanner_fetch_and_for_seven_days() {
    let app = spawn_app();
    let mut s = school_with_student(app);
    let id = s.school.student_id(&s.student).to_string();
    let r = s.school.owner.post("/admin/api/send_access_reminder", &[("id", &id)]);
    assert!(r.location().contains("ok=reminder_sent"), "{}", r.location());
    let mail = app.latest_mail(&s.student);
    let path = mail.link_path();
    let mut scanner = with_agent(app.client(&s.host), SAFE_LINKS);
    scanner.head(&path);
    scanner.get(&path);
    let mut student = with_agent(app.client(&s.host), IPHONE_SAFARI);
    student.now_ms = Some(now_ms() + 6 * DAY_MS);
    let page = student.get(&path);
    assert!(page.body.contains("/api/confirm_link"), "still valid after 6 days");
    student.post("/api/confirm_link", &[("token", &token_of(&path))]);
    assert!(student.has_session());
    // The timeline shows the send, the scanner's views (flagged) and the confirmation.
    let timeline = s.school.owner.get(&format!("/admin/students/{id}")).body;
    for what in ["reminder_sent", "link_view", "link_confirmed"] {
        assert!(timeline.contains(&format!("class=\"{what}\"")), "{what} in the timeline");
    }
    assert!(timeline.contains("badge scanner"), "the scanner's view is flagged");
}

#[test]
fn confirming_elsewhere_logs_in_the_waiting_browser_only_when_chosen() {
    let app = spawn_app();
    let s = school_with_student(app);
    // The laptop asks and waits; the phone opens the link.
    let mut laptop = with_agent(app.client(&s.host), SAFE_LINKS);
    laptop.post("/api/request_login", &[("email", &s.student)]);
    let path = app.latest_mail(&s.student).link_path();
    let mut phone = with_agent(app.client(&s.host), IPHONE_SAFARI);
    let page = phone.get(&path);
    assert!(page.body.contains("value=\"both\""), "the phone is offered to log the laptop in too");
    assert!(page.body.contains("Windows · Chrome"), "and told which device asked");
    let waiting = laptop.get("/api/login_status");
    assert!(waiting.body.contains("Waiting"), "{}", waiting.body);
    phone.post("/api/confirm_link", &[("token", &token_of(&path)), ("choice", "both")]);
    assert!(phone.has_session());
    assert!(laptop.get("/api/login_status").body.contains("Approved"));
    // Only the browser holding the request's own cookie can finish.
    let mut stranger = app.client(&s.host);
    let r = stranger.post("/api/finish_login", &[]);
    assert!(r.location().contains("error=wait_no_request"), "{}", r.location());
    let login_cookie = laptop.cookies.get("__Host-atelier_login").cloned().expect("the laptop holds its request's cookie");
    let r = laptop.post("/api/finish_login", &[]);
    assert_eq!(r.location(), "/");
    assert!(laptop.has_session());
    assert!(laptop.get("/").body.contains(&s.student));
    // Once: the same cookie cannot finish a second time.
    let mut copy = app.client(&s.host);
    copy.cookies.insert("__Host-atelier_login".into(), login_cookie);
    let r = copy.post("/api/finish_login", &[]);
    assert!(r.location().contains("error=wait_not_confirmed"), "{}", r.location());
    assert!(!copy.has_session());
}

#[test]
fn an_attackers_waiting_tab_is_not_logged_in_when_the_victim_confirms_with_the_default() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut attacker = app.client(&s.host);
    attacker.post("/api/request_login", &[("email", &s.student)]);
    let path = app.latest_mail(&s.student).link_path();
    let mut victim = app.client(&s.host);
    victim.get(&path);
    // The default button: the first submit button, "choice=here".
    let r = victim.post("/api/confirm_link", &[("token", &token_of(&path)), ("choice", "here")]);
    assert!(victim.has_session(), "{} {} {:?} {}", r.status, r.location(), r.set_cookies(), r.body.chars().take(300).collect::<String>());
    let status = attacker.get("/api/login_status");
    assert!(status.body.contains("Closed"), "{} {:?} {}", status.status, status.headers, status.body);
    let r = attacker.post("/api/finish_login", &[]);
    assert!(r.location().contains("error=wait_not_confirmed"), "{}", r.location());
    assert!(!attacker.has_session());
}

#[test]
fn in_app_browsers_lead_with_the_code_and_show_open_in_browser_steps() {
    let app = spawn_app();
    let s = school_with_student(app);
    let mut c = with_agent(app.client(&s.host), INSTAGRAM);
    let page = c.get("/login").body;
    assert!(page.contains("Instagram"), "names the app");
    let code_form = page.find("/api/verify_code").expect("a code form");
    let request_form = page.find("/api/request_login").expect("a request form");
    assert!(code_form < request_form, "code entry comes first");
    c.post("/api/request_login", &[("email", &s.student)]);
    let link = c.get(&app.latest_mail(&s.student).link_path()).body;
    assert!(link.contains("CopyLink"), "the link page offers to copy the link");
    let plain = app.client(&s.host).get("/login").body;
    assert!(!plain.contains("/api/verify_code"), "a normal browser starts with the email");
}
