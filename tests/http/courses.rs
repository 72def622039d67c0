use atelier_tests::*;

#[test]
fn student_reads_a_lesson_marks_it_complete_and_sees_progress() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Guitare", "guitare", "published");
    let l1 = school.create_lesson(course, "Accords", "Premier **accord**", "published");
    let l2 = school.create_lesson(course, "Rythme", "Deuxième leçon", "published");
    let student = format!("eleve-{}@example.com", school.slug);
    let r = school.add_student(course, &student, true);
    assert!(r.location().contains("ok=invitation_sent"), "{}", r.location());
    let invite = app.latest_mail(&student);
    assert!(invite.subject.contains("Guitare"), "{}", invite.subject);

    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let page = c.get(&format!("/courses/guitare/lessons/{l1}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Premier <strong>accord</strong>"));
    assert!(page.body.contains(&format!("/courses/guitare/lessons/{l2}")), "next link");
    let r = c.post("/api/mark_complete", &[("slug", "guitare"), ("lesson_id", &l1.to_string())]);
    assert_eq!(r.location(), format!("/courses/guitare/lessons/{l2}"));
    let home = c.get("/");
    assert!(home.body.contains("1/2"), "progress counts published lessons");
}

#[test]
fn drafts_never_leak_to_students() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Publié", "publie", "published");
    school.create_lesson(course, "Visible", "visible", "published");
    let draft_lesson = school.create_lesson(course, "Brouillon", "DRAFT-LESSON-SECRET", "draft");
    let draft_course = school.create_course("Cours brouillon", "brouillon", "draft");
    let hidden = school.create_lesson(draft_course, "Caché", "DRAFT-COURSE-SECRET", "published");
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    school.add_student(draft_course, &student, false);

    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    for path in ["/".to_string(), "/courses/publie".into(), format!("/courses/publie/lessons/{draft_lesson}"), "/courses/brouillon".into(), format!("/courses/brouillon/lessons/{hidden}")] {
        let r = c.get(&path);
        for secret in ["DRAFT-LESSON-SECRET", "DRAFT-COURSE-SECRET", "Cours brouillon"] {
            assert!(!r.body.contains(secret), "{secret} leaked on {path}");
        }
    }
    assert_eq!(c.get(&format!("/courses/publie/lessons/{draft_lesson}")).status, 404);
    assert_eq!(c.get("/courses/brouillon").status, 404);
    let r = c.post("/api/lesson_page", &[("slug", "brouillon"), ("lesson_id", &hidden.to_string())]);
    assert!(!r.body.contains("DRAFT-COURSE-SECRET"), "server function refuses too");
}

#[test]
fn a_student_not_enrolled_gets_not_available() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Privé", "prive", "published");
    let lesson = school.create_lesson(course, "L", "ENROLLED-ONLY", "published");
    let other = school.create_course("Autre", "autre", "published");
    let student = format!("x-{}@example.com", school.slug);
    school.add_student(other, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let r = c.get(&format!("/courses/prive/lessons/{lesson}"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("ENROLLED-ONLY"));
    let anonymous = app.client(&app.school_host(&school.slug)).get(&format!("/courses/prive/lessons/{lesson}"));
    assert!(!anonymous.body.contains("ENROLLED-ONLY"));
}

#[test]
fn markdown_xss_corpus_is_rendered_inert() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("XSS", "xss", "published");
    let corpus = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "![x](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ];
    let lesson = school.create_lesson(course, "Hostile", &corpus.join("\n\n"), "published");
    let student = format!("x-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let page = c.get(&format!("/courses/xss/lessons/{lesson}"));
    assert_eq!(page.status, 200);
    let content = page.body.split("class=\"content\">").nth(1).and_then(|s| s.split("</div>").next()).expect("lesson content").to_lowercase();
    // Only real tags matter: escaped text such as `&lt;script&gt;` is inert.
    let tags: Vec<&str> = content.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")).collect();
    for tag in &tags {
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
        assert!(["p", "a", "img"].contains(&name), "unexpected <{tag}>");
        for forbidden in ["javascript:", "data:", " on", "src=\"x\""] {
            assert!(!tag.contains(forbidden), "{forbidden} in <{tag}>");
        }
    }
    assert!(content.contains("&lt;script&gt;"), "raw HTML shown as text");
}

#[test]
fn creator_reorders_and_deletes_lessons_and_soft_deletes_a_course() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Ordre", "ordre", "published");
    let a = school.create_lesson(course, "AAA-first", "a", "published");
    let _b = school.create_lesson(course, "BBB-second", "b", "published");
    school.owner.post("/admin/api/change_program", &[("course_id", &course.to_string()), ("lesson_id", &a.to_string()), ("action", "lesson_down")]);
    let page = school.owner.get(&format!("/admin/courses/{course}")).body;
    assert!(page.find("BBB-second").unwrap() < page.find("AAA-first").unwrap(), "moved down");
    let r = school.owner.post("/admin/api/delete_lesson", &[("course_id", &course.to_string()), ("lesson_id", &a.to_string())]);
    assert!(r.location().contains("error=delete_confirm_required"), "not without the confirmation: {}", r.location());
    school.owner.post("/admin/api/delete_lesson", &[("course_id", &course.to_string()), ("lesson_id", &a.to_string()), ("confirm", "on")]);
    assert!(!school.owner.get(&format!("/admin/courses/{course}")).body.contains("AAA-first"));
    let r = school.owner.post("/admin/api/delete_course", &[("id", &course.to_string()), ("confirm", "wrong")]);
    assert!(r.location().contains("error=confirm_mismatch"));
    let r = school.owner.post("/admin/api/delete_course", &[("id", &course.to_string()), ("confirm", "ordre")]);
    assert!(r.location().starts_with("/admin/courses?ok=deleted"));
    // Off the course list; only in the trash (restorable for 30 days).
    let admin = school.owner.get("/admin/courses").body;
    assert!(!admin.contains(&format!("href=\"/admin/courses/{course}\"")), "not among the courses");
    assert!(admin.split("id=\"trash\"").nth(1).is_some_and(|t| t.contains("Ordre")), "in the trash");
    assert_eq!(app.client(&app.school_host(&school.slug)).get("/courses/ordre").status, 404);
}

#[test]
fn course_form_errors_are_specific_and_keep_input() {
    let app = spawn_app();
    let mut school = open_school(app);
    school.create_course("Un", "un", "draft");
    let r = school.owner.post("/admin/api/save_course", &[("id", ""), ("title", "Deux"), ("slug", "un"), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert!(r.location().starts_with("/admin/courses/new?error=course_slug_taken"), "{}", r.location());
    assert!(r.location().contains("title=Deux"));
    let r = school.owner.post("/admin/api/save_course", &[("id", ""), ("title", ""), ("slug", ""), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert!(r.location().contains("error=title_required"));
    let r = school.owner.post("/admin/api/save_course", &[("id", ""), ("title", "T"), ("slug", "Bad Slug"), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert!(r.location().contains("error=slug_invalid_chars"));
    let r = school.owner.post("/admin/api/save_course", &[("id", ""), ("title", "T"), ("slug", ""), ("description", ""), ("cover_url", "javascript:alert(1)"), ("status", "draft")]);
    assert!(r.location().contains("error=cover_invalid"));
}
