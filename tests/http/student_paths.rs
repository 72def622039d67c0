//! Dead ends a student met, closed: "mark as complete" before a locked lesson, a locked
//! lesson's page, a visitor on a lesson URL, work that completes its lesson, ended access on
//! the course page, the school's time zone.

use atelier_tests::*;

fn enrolled(app: &Worker, school: &mut School, course: i64, who: &str) -> (String, Client) {
    let email = format!("{who}-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let c = login_with_code(app, &app.school_host(&school.slug), &email);
    (email, c)
}

#[test]
fn mark_as_complete_goes_on_only_to_an_open_lesson_and_a_locked_one_says_when() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Marche", "marche", "published");
    let one = school.create_lesson(course, "Un", "UN", "published");
    let two = school.create_scheduled_lesson(course, "Deux", "SECRET-DEUX", "published", &[("open_rule", "days"), ("open_days", "3"), ("open_time", "09:00")]);
    let three = school.create_scheduled_lesson(course, "Trois", "TROIS", "published", &[("open_rule", "after_previous")]);
    let (_, mut c) = enrolled(app, &mut school, course, "ana");
    let r = c.post("/api/mark_complete", &[("slug", "marche"), ("lesson_id", &one.to_string())]);
    assert_eq!(r.location(), format!("/courses/marche?ok=lesson_completed&next={two}#lesson-{two}"), "back to the course, not to a 404");
    let course_page = c.get(&r.location()).body;
    assert!(course_page.contains("next-lesson") && course_page.contains("Deux") && (course_page.contains("Ouvre le") || course_page.contains("Opens")), "the course says when the next one opens");
    let locked = c.get(&format!("/courses/marche/lessons/{two}"));
    assert_eq!(locked.status, 200);
    assert!(locked.body.contains("09:00") && !locked.body.contains("SECRET-DEUX") && !locked.body.contains("/api/mark_complete"));
    // Three days later lesson 2 is open; completing it opens lesson 3 (after the previous):
    // "mark as complete" goes straight there.
    c.now_ms = Some(now_ms() + 4 * DAY_MS);
    let r = c.post("/api/mark_complete", &[("slug", "marche"), ("lesson_id", &two.to_string())]);
    assert_eq!(r.location(), format!("/courses/marche/lessons/{three}"));
    assert!(c.get(&r.location()).body.contains("TROIS"));
}

#[test]
fn a_visitor_on_a_lesson_url_logs_in_and_comes_back_to_it() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Retour", "retour", "published");
    let lesson = school.create_lesson(course, "Leçon", "CONTENU", "published");
    let email = format!("back-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut visitor = app.client(&app.school_host(&school.slug));
    let path = format!("/courses/retour/lessons/{lesson}");
    let r = visitor.get(&path);
    assert_eq!(r.location(), format!("/login?next=%2Fcourses%2Fretour%2Flessons%2F{lesson}"));
    assert!(!r.body.contains("CONTENU"));
    visitor.post("/api/request_login", &[("email", &email), ("next", &path)]);
    let code = app.latest_mail(&email).code();
    let r = visitor.post("/api/verify_code", &[("email", &email), ("code", &code), ("next", &path)]);
    assert_eq!(r.location(), path);
    assert!(visitor.get(&path).body.contains("CONTENU"));
}

#[test]
fn an_approved_answer_or_a_passed_quiz_completes_its_lesson() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Travaux", "travaux", "published");
    let essay = school.create_lesson(course, "Essai", "Écrivez.", "published");
    let quiz = school.create_lesson(course, "Quiz", "Répondez.", "published");
    let (c_id, e_id, q_id) = (course.to_string(), essay.to_string(), quiz.to_string());
    school.owner.post("/admin/api/save_task", &[("course_id", &c_id), ("lesson_id", &e_id), ("kind", "assignment"), ("prompt", "Un texte"), ("answer_kind", "text"), ("review_required", "on")]);
    school.owner.post("/admin/api/save_task", &[("course_id", &c_id), ("lesson_id", &q_id), ("kind", "quiz"), ("questions", "Q: 1+1 ?\n* 2\n- 3"), ("pass_percent", "100")]);
    let (email, mut c) = enrolled(app, &mut school, course, "bo");
    let completions = |lesson: i64| app.sql_count(&format!("SELECT COUNT(*) AS n FROM completions c JOIN users u ON u.id = c.user_id WHERE u.email = '{email}' AND c.lesson_id = {lesson}"));
    c.post("/api/submit_assignment", &[("slug", "travaux"), ("lesson_id", &e_id), ("text", "Mon essai"), ("link", "")]);
    assert_eq!(completions(essay), 0, "pending is not done");
    let id = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {essay}"))[0]["id"].as_i64().unwrap();
    let r = school.owner.post("/admin/api/review_submission", &[("id", &id.to_string()), ("decision", "approve"), ("comment", ""), ("back", "/admin/reviews")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(completions(essay), 1, "approved: done");
    c.post("/api/submit_quiz", &[("slug", "travaux"), ("lesson_id", &q_id), ("answers[q0]", "1")]);
    assert_eq!(completions(quiz), 0, "failed: not done");
    c.post("/api/submit_quiz", &[("slug", "travaux"), ("lesson_id", &q_id), ("answers[q0]", "0")]);
    assert_eq!(completions(quiz), 1, "passed: done");
    assert!(c.get("/courses/travaux").body.contains("<progress max=\"100\" value=\"100\""));
}

#[test]
fn a_student_whose_access_ended_is_told_so_not_asked_to_log_in() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Fini", "fini", "published");
    school.create_lesson(course, "L", "SECRET", "published");
    let (email, mut c) = enrolled(app, &mut school, course, "cy");
    let student = school.student_id(&email);
    let r = school.owner.post("/admin/api/bulk_run", &[("query", &format!("selection=ids&ids={student}&action=revoke&course=fini"))]);
    assert!(r.location().starts_with("/admin/students/bulk/"), "{}", r.location());
    assert!(school.owner.get(&r.location()).body.contains("data-ok=\"true\""), "revoked");
    let page = c.get("/courses/fini").body;
    assert!(page.contains("mis fin à votre accès") || page.contains("access to this course was ended"), "says access ended");
    assert!(!page.contains("Déjà inscrit à ce cours") && !page.contains("Already a student"), "not asked to log in");
    assert!(!page.contains("SECRET"));
}

#[test]
fn the_school_time_zone_is_chosen_confirmed_and_used_for_every_time() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Fuseau", "fuseau", "published");
    school.create_scheduled_lesson(course, "Demain", "x", "published", &[("open_rule", "days"), ("open_days", "1"), ("open_time", "09:00")]);
    let (_, mut c) = enrolled(app, &mut school, course, "tz");
    assert!(c.get("/courses/fuseau").body.contains("heure de Paris"), "Paris by default");
    let settings = school.owner.get("/admin/settings").body;
    assert!(settings.contains("<datalist id=\"zones\">") && settings.contains("value=\"America/Montreal\""), "a searchable list of IANA zones");
    let r = school.owner.post("/admin/api/save_time_zone", &[("time_zone", "Mars/Olympus")]);
    assert!(r.location().contains("error=time_zone_invalid"), "{}", r.location());
    // First the confirmation, saying what moves; nothing changed yet.
    let r = school.owner.post("/admin/api/save_time_zone", &[("time_zone", "America/Montreal")]);
    assert!(r.location().starts_with("/admin/settings?confirm_zone=America%2FMontreal"), "{}", r.location());
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("09:00") && page.contains("America/Montreal") && page.contains("name=\"confirm\""), "what moves");
    assert!(c.get("/courses/fuseau").body.contains("heure de Paris"));
    let r = school.owner.post("/admin/api/save_time_zone", &[("time_zone", "America/Montreal"), ("confirm", "yes")]);
    assert!(r.location().contains("ok=time_zone_saved"), "{}", r.location());
    let page = c.get("/courses/fuseau").body;
    assert!(page.contains("09:00, heure de Montreal"), "drip times read in the new zone");
    // A school created from a browser in Tokyo starts in Tokyo.
    let slug = unique_slug("tz");
    let mut platform = app.client(&app.platform_host());
    platform.post("/api/create_school", &[("name", "Tokyo"), ("slug", &slug), ("email", &format!("o-{slug}@example.com")), ("time_zone", "Asia/Tokyo")]);
    assert_eq!(app.sql_rows(&format!("SELECT time_zone FROM schools WHERE slug = '{slug}'"))[0]["time_zone"], "Asia/Tokyo");
}

#[test]
fn csv_imports_name_the_line_of_an_unclosed_quote_extra_values_and_control_characters() {
    let app = spawn_app();
    let mut school = open_school(app);
    school.create_course("C", "c", "published");
    let r = school.owner.post_file("/admin/imports/upload", "file", "q.csv", b"email;note\na@x.fr;ok\nb@x.fr;\"oops\nc@x.fr;fin\n");
    assert!(r.location().contains("error=csv_unclosed_quote") && r.location().contains("line=3"), "{}", r.location());
    let r = school.owner.post_file("/admin/imports/upload", "file", "w.csv", b"email,first_name,last_name\na@x.fr,A,B,extra,more\nb@x.fr,C\x00D,E\nc@x.fr,F,G,,\n");
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("5 valeurs") || page.contains("5 values"), "extra values named: {}", r.location());
    assert!(page.contains("caractère de contrôle") || page.contains("control character"));
    assert!(page.contains("1 ligne prête") || page.contains("1 row ready"), "plural-aware counts; trailing empty cells are fine");
    // Tab-separated, old-Mac CR-only lines.
    let r = school.owner.post_file("/admin/imports/upload", "file", "t.tsv", b"email\tfirst_name\rt1@x.fr\tT\r\rt2@x.fr\tU\r");
    let page = school.owner.get(&r.location()).body;
    assert!(r.location().starts_with("/admin/imports/") && !r.location().contains("error"), "{}", r.location());
    assert!(page.contains("2 lignes prêtes") || page.contains("2 rows ready"), "tab detected");
    // Run it: the import records when it really finished, not when it started.
    let id = r.location().rsplit('/').next().unwrap_or("").to_string();
    school.owner.post("/admin/api/run_import", &[("id", &id), ("update_existing", "on"), ("grant_courses", "on")]);
    for _ in 0..600 {
        if school.owner.get(&r.location()).body.contains("data-created=") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let times = &app.sql_rows(&format!("SELECT started_at, finished_at FROM imports WHERE id = '{id}'"))[0];
    assert!(times["finished_at"].as_i64() > times["started_at"].as_i64(), "{times}");
    // Nothing importable: no button that would do nothing.
    let r = school.owner.post_file("/admin/imports/upload", "file", "bad.csv", b"email\nnot-an-email\n");
    let page = school.owner.get(&r.location()).body;
    assert!(!page.contains("/admin/api/run_import") && (page.contains("Aucune ligne") || page.contains("No row")), "no empty import button");
}

#[test]
fn pages_have_their_own_titles_a_skip_link_and_speak_the_students_language() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Titres", "titres", "published");
    let (email, mut c) = enrolled(app, &mut school, course, "lang");
    let title = |body: &str| body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("").to_string();
    let (home, login, course_page) = (c.get("/").body, app.client(&app.school_host(&school.slug)).get("/login").body, c.get("/courses/titres").body);
    assert!(title(&course_page).starts_with("Titres · "), "{}", title(&course_page));
    assert_ne!(title(&home), title(&login));
    assert!(home.contains("<a href=\"#main\" class=\"skip-link\">") && home.contains("<main id=\"main\""), "a skip link to the content");
    // The student's profile says English; their browser says French: the profile wins.
    let id = school.student_id(&email);
    school.owner.post("/admin/api/save_student_profile", &[("id", &id.to_string()), ("first_name", ""), ("last_name", ""), ("locale", "en"), ("note", "")]);
    c.headers.push(("Accept-Language".into(), "fr-FR,fr;q=0.9".into()));
    assert!(c.get("/").body.contains("<html lang=\"en\""), "the profile's language");
    // Switching language while logged in changes the profile.
    c.post("/api/set_language", &[("lang", "fr"), ("back", "/")]);
    assert_eq!(app.sql_rows(&format!("SELECT locale FROM users WHERE id = {id}"))[0]["locale"], "fr");
    // "Also log in on that device": the home page shows the confirmation.
    assert!(c.get("/?ok=also_logged_in_there").body.contains("class=\"notice ok\""));
    // The history reads as words, not JSON.
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    let history = page.split("class=\"audit\"").nth(1).unwrap_or("");
    assert!(!history.contains("{&quot;") && !history.contains("{\""), "no raw JSON in the history");
}
