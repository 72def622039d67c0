use atelier_tests::*;

#[test]
fn each_invalid_slug_gets_its_own_message() {
    // Arrange
    let app = spawn_app();
    let mut platform = app.client(&app.platform_host());
    let taken = open_school(app).slug;
    let cases = [
        ("ab", "slug_too_short"),
        ("a-very-long-school-name-that-is-too-long", "slug_too_long"),
        ("Yoga", "slug_invalid_chars"),
        ("yoga_studio", "slug_invalid_chars"),
        ("école", "slug_invalid_chars"),
        ("-yoga", "slug_hyphen_edge"),
        ("yoga-", "slug_hyphen_edge"),
        ("www", "slug_reserved"),
        ("admin", "slug_reserved"),
        ("api", "slug_reserved"),
        ("_dev", "slug_invalid_chars"),
        (taken.as_str(), "slug_taken"),
    ];
    for (slug, expected) in cases {
        // Act
        let r = platform.post("/api/create_school", &[("name", "Yoga"), ("slug", slug), ("email", "a@example.com")]);
        // Assert: back to the form, with the reason and what was typed
        assert_eq!(r.status, 303, "{slug}");
        assert!(r.location().starts_with(&format!("/?error={expected}&")), "{slug}: {}", r.location());
        assert!(r.location().contains("email=a%40example.com"), "input kept: {}", r.location());
        let page = platform.get(&r.location());
        assert_eq!(page.status, 200);
        assert!(page.body.contains("class=\"notice error\""), "{slug}: message shown");
    }
}

#[test]
fn invalid_school_name_and_email_are_refused_with_messages() {
    let app = spawn_app();
    let mut platform = app.client(&app.platform_host());
    let r = platform.post("/api/create_school", &[("name", "   "), ("slug", &unique_slug("n")), ("email", "a@example.com")]);
    assert!(r.location().starts_with("/?error=name_required"), "{}", r.location());
    let r = platform.post("/api/create_school", &[("name", "Yoga"), ("slug", &unique_slug("n")), ("email", "not-an-email")]);
    assert!(r.location().starts_with("/?error=email_missing_at"), "{}", r.location());
}

#[test]
fn opening_a_school_confirms_by_code_and_lands_in_admin() {
    let app = spawn_app();
    let mut school = open_school(app);
    let admin = school.owner.get("/admin");
    assert_eq!(admin.status, 200);
    assert!(admin.body.contains("/admin/courses/new"), "admin page shown");
    let mail = app.latest_mail(&school.owner_email);
    assert!(mail.subject.contains("École de test"), "{}", mail.subject);
}

#[test]
fn an_unknown_subdomain_shows_a_friendly_not_found_page() {
    let app = spawn_app();
    let mut c = app.client(&app.school_host("nobody-here"));
    let r = c.get("/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("<html") && (r.body.contains("n’existe pas") || r.body.contains("does not exist")), "{}", r.body);
}

#[test]
fn malformed_forms_never_cause_a_500() {
    let app = spawn_app();
    let mut platform = app.client(&app.platform_host());
    let r = platform.post("/api/create_school", &[("name", "only a name")]);
    assert!(r.status < 500, "{}", r.status);
    let r = platform.post_raw("/api/create_school", "application/x-www-form-urlencoded", "%%%&&&=");
    assert!(r.status < 500, "{}", r.status);
    let school = open_school(app);
    let mut owner = school.owner;
    let r = owner.post("/admin/api/save_lesson", &[("course_id", "not-a-number"), ("lesson_id", ""), ("title", "x"), ("content_md", ""), ("status", "draft")]);
    assert!(r.status < 500, "{} {}", r.status, r.body);
    let r = owner.post("/admin/api/add_student", &[("course_id", "1"), ("email", "bad"), ("access_end", "2026-02-31")]);
    assert!(r.status < 500 && r.location().contains("error="), "{} {}", r.status, r.location());
}
