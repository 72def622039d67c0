use atelier_tests::*;

#[test]
fn students_cannot_use_admin_server_functions() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let r = c.post("/admin/api/save_course", &[("id", ""), ("title", "Pirate"), ("slug", "pirate"), ("description", ""), ("cover_url", ""), ("status", "published")]);
    assert!(r.status < 500);
    assert!(!school.owner.get("/admin/courses").body.contains("Pirate"), "no course created by a student");
    assert_ne!(c.get("/admin").status, 500);
}

#[test]
fn a_foreign_origin_post_is_refused() {
    let app = spawn_app();
    let school = open_school(app);
    let mut owner = school.owner;
    owner.origin = Some("http://evil.example".into());
    let r = owner.post("/admin/api/save_course", &[("id", ""), ("title", "CSRF"), ("slug", "csrf"), ("description", ""), ("cover_url", ""), ("status", "published")]);
    assert_eq!(r.status, 403);
    owner.origin = Some(format!("http://{}", app.school_host("other-school")));
    assert_eq!(owner.post("/api/logout", &[]).status, 403, "another school is another origin");
    owner.origin = None;
    assert!(!owner.get("/admin/courses").body.contains("CSRF"));
}

#[test]
fn pages_cannot_be_framed_and_send_security_headers() {
    let app = spawn_app();
    let school = open_school(app);
    let mut owner = school.owner;
    for path in ["/", "/admin", "/login"] {
        let r = owner.get(path);
        assert!(r.header("content-security-policy").unwrap_or("").contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
}

#[test]
fn dev_routes_are_404_outside_dev() {
    let production = start_worker("production");
    let mut c = production.client(&production.platform_host());
    for path in ["/_dev/mail", "/_dev/mail.json"] {
        assert_eq!(c.get(path).status, 404, "{path}");
    }
    assert_eq!(c.post("/_dev/seed", &[]).status, 404);
    assert_eq!(c.post("/_dev/deliver", &[]).status, 404);
    // The test clock is ignored too: it only exists in dev.
    assert_eq!(c.get("/healthz").status, 200);
}

#[test]
fn dev_mailbox_lists_mail_as_json_and_html() {
    let app = spawn_app();
    let school = open_school(app);
    let mails = app.mails(&school.owner_email);
    assert!(!mails.is_empty());
    assert!(!mails[0].html.is_empty() && !mails[0].text.is_empty());
    let page = app.client(&app.platform_host()).get("/_dev/mail");
    assert!(page.body.contains(&school.owner_email));
}

#[test]
fn the_database_holds_no_raw_code_token_or_session_secret() {
    let app = spawn_app();
    let school = open_school(app);
    let mail = app.latest_mail(&school.owner_email);
    let (code, token) = (mail.code(), mail.link_path().trim_start_matches("/login/link/").to_string());
    let secret = school.owner.cookies["__Host-atelier_session"].split('.').nth(1).expect("secret").to_string();
    let stored = app.sql(&format!(
        "SELECT l.*, s.* FROM login_requests l LEFT JOIN sessions s ON s.school_id = l.school_id JOIN schools sc ON sc.id = l.school_id WHERE sc.slug = '{}'",
        school.slug
    ));
    assert!(stored.contains("code_hash"), "query returned rows: {stored}");
    assert!(!stored.contains(&code), "raw code stored");
    assert!(!stored.contains(&token), "raw link token stored");
    assert!(!stored.contains(&secret), "raw session secret stored");
}

#[test]
fn a_null_origin_post_needs_a_same_origin_fetch_site() {
    let app = spawn_app();
    let school = open_school(app);
    let mut owner = school.owner;
    owner.origin = Some("null".into());
    let r = owner.post("/admin/api/save_course", &[("id", ""), ("title", "Null"), ("slug", "null-origin"), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert_eq!(r.status, 403, "Origin: null without Sec-Fetch-Site is refused");
}

#[test]
fn admin_pages_send_anonymous_visitors_to_login_and_refuse_students() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let mut anonymous = app.client(&app.school_host(&school.slug));
    let r = anonymous.get("/admin");
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), "/login?next=%2Fadmin");
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let r = c.get(&format!("/admin/courses/{course}"));
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("add_student"), "no admin form for a student");
}
