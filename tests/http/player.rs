//! The student's course (issue 17): every email's link lands on its lesson in two steps
//! (the scanner-safe link page, then "continue"), a logged-out lesson URL comes back after
//! login, the player's lesson list with each lesson's state and previous / next that skip
//! locked lessons, "continue where you left off", and the dashboard's sections.

use atelier_tests::*;

const DAY: i64 = 24 * 3600 * 1000;

fn lesson_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

/// Step 1: GET the link page (it only shows a button); step 2: POST "continue". The 303's
/// destination, and the client now logged in.
fn open_link(app: &Worker, host: &str, link: &str, now: Option<i64>) -> (String, Client) {
    let mut c = app.client(host);
    c.now_ms = now;
    let page = c.get(link);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!c.has_session(), "opening the link logs nobody in (mail scanners open links)");
    let token = link.trim_start_matches("/login/link/").to_string();
    let r = c.post("/api/confirm_link", &[("token", &token)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.has_session());
    (r.location(), c)
}

/// A course: two lessons open from the start (the second with an assignment the team
/// reviews), a third opening on day 10.
struct Parcours {
    course: i64,
    l1: i64,
    l2: i64,
    l3: i64,
}

fn parcours(school: &mut School, slug: &str) -> Parcours {
    let course = school.create_course("Parcours", slug, "published");
    let l1 = school.create_lesson(course, "Premiers pas", "CONTENU-UN", "published");
    let l2 = school.create_lesson(course, "Deuxième pas", "CONTENU-DEUX", "published");
    let l3 = school.create_scheduled_lesson(course, "Dixième jour", "CONTENU-TROIS", "published", &[("open_rule", "days"), ("open_days", "10"), ("open_time", "09:00")]);
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &course.to_string()), ("lesson_id", &l2.to_string()), ("kind", "assignment"), ("prompt", "Racontez."), ("answer_kind", "text"), ("review_required", "on")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    Parcours { course, l1, l2, l3 }
}

#[test]
fn each_email_kind_lands_on_its_lesson_in_two_steps() {
    let app = spawn_app();
    let mut school = open_school(app);
    let p = parcours(&mut school, "parcours");
    let host = app.school_host(&school.slug);
    let email = format!("marche-{}@example.com", school.slug);

    // Invitation → the course's first open lesson.
    school.add_student(p.course, &email, true);
    let invitation = app.latest_mail(&email);
    let (to, mut student) = open_link(app, &host, &invitation.link_path(), None);
    assert_eq!(to, lesson_path("parcours", p.l1));
    let r = student.get(&to);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("CONTENU-UN"));
    // The same invitation's code, typed in another browser, leads there too.
    let id = school.student_id(&email).to_string();
    school.owner.post("/admin/api/resend_invitation", &[("id", &id)]);
    let mut other = app.client(&host);
    let r = other.post("/api/verify_code", &[("email", &email), ("code", &app.latest_mail(&email).code())]);
    assert_eq!((r.status, r.location()), (303, lesson_path("parcours", p.l1)));

    // Reminder → where the student left off (they opened lesson 2 last).
    assert!(student.get(&lesson_path("parcours", p.l2)).body.contains("CONTENU-DEUX"));
    assert!(student.get("/courses/parcours").body.contains("data-continue=\"1\""), "the course page offers to continue");
    let r = school.owner.post("/admin/api/send_access_reminder", &[("id", &id)]);
    assert!(r.location().contains("ok=reminder_sent"), "{}", r.location());
    let (to, _) = open_link(app, &host, &app.latest_mail(&email).link_path(), None);
    assert_eq!(to, lesson_path("parcours", p.l2));

    // A review → the answer, with the reviewer's comment.
    let r = student.post("/api/submit_assignment", &[("slug", "parcours"), ("lesson_id", &p.l2.to_string()), ("text", "Mon récit.")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    let submission = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {}", p.l2))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/review_submission", &[("id", &submission), ("decision", "return"), ("comment", "Développez la fin."), ("back", "/admin/reviews")]);
    assert!(r.location().contains("ok=review_returned"), "{}", r.location());
    let review = app.latest_mail(&email);
    assert!(review.text.contains("Développez la fin."));
    let (to, mut reader) = open_link(app, &host, &review.link_path(), None);
    assert_eq!(to, format!("{}#task", lesson_path("parcours", p.l2)));
    let page = reader.get(&to).body;
    assert!(page.contains("CONTENU-DEUX") && page.contains("Développez la fin."), "the lesson with the comment");

    // An expired link's recovery lands on the same destination.
    let (to, _) = {
        let mut late = app.client(&host);
        late.now_ms = Some(now_ms() + 8 * DAY);
        let link = review.link_path();
        let token = link.trim_start_matches("/login/link/").to_string();
        assert!(late.get(&link).status == 200);
        let r = late.post("/api/fresh_login", &[("token", &token)]);
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(r.location().starts_with("/login/code?email=") && r.location().contains("next=%2Fcourses%2Fparcours%2Flessons"), "{}", r.location());
        let fresh = app.latest_mail(&email);
        open_link(app, &host, &fresh.link_path(), Some(now_ms() + 8 * DAY))
    };
    assert_eq!(to, format!("{}#task", lesson_path("parcours", p.l2)));
}

#[test]
fn a_logged_out_lesson_url_comes_back_after_login_and_continue_resolves_at_login() {
    let app = spawn_app();
    let mut school = open_school(app);
    let p = parcours(&mut school, "retour");
    let host = app.school_host(&school.slug);
    let email = format!("retour-{}@example.com", school.slug);
    school.add_student(p.course, &email, false);
    let mut c = app.client(&host);
    let path = lesson_path("retour", p.l2);
    let r = c.get(&path);
    assert_eq!(r.location(), format!("/login?next={}", path.replace('/', "%2F")));
    let r = c.post("/api/request_login", &[("email", &email), ("next", &path)]);
    assert!(r.location().contains("next="), "{}", r.location());
    let r = c.post("/api/verify_code", &[("email", &email), ("code", &app.latest_mail(&email).code()), ("next", &path)]);
    assert_eq!((r.status, r.location()), (303, path.clone()));
    assert!(c.get(&path).body.contains("CONTENU-DEUX"));
    // "/courses/{slug}/continue" leads to the lesson left off (here: lesson 2).
    let r = c.get("/courses/retour/continue");
    assert_eq!(r.location(), path);
    // A visitor asking for it is asked to log in first.
    assert!(app.client(&host).get("/courses/retour/continue").location().starts_with("/login?next="));
}

#[test]
fn the_player_lists_every_lesson_with_its_state_and_previous_next_skip_what_is_locked() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Lecteur", "lecteur", "published");
    let done = school.create_lesson(course, "Faite", "FAITE", "published");
    let open = school.create_lesson(course, "Ouverte", "OUVERTE", "published");
    let dated = school.create_scheduled_lesson(course, "Datée", "DATEE", "published", &[("open_rule", "days"), ("open_days", "10"), ("open_time", "09:00")]);
    let checkpoint = school.create_lesson(course, "Point d’étape", "ETAPE", "published");
    let after_checkpoint = school.create_lesson(course, "Après l’étape", "APRES", "published");
    let sequential = school.create_scheduled_lesson(course, "À la suite", "SUITE", "published", &[("open_rule", "after_previous")]);
    for (lesson, module) in [(done, "Bases"), (open, "Bases"), (dated, "Bases"), (checkpoint, "Suite"), (after_checkpoint, "Suite"), (sequential, "Suite")] {
        school.owner.post("/admin/api/save_lesson_program", &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("module", module), ("duration_minutes", "")]);
    }
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &course.to_string()), ("lesson_id", &checkpoint.to_string()), ("kind", "assignment"), ("prompt", "Validez."), ("answer_kind", "text"), ("review_required", "on"), ("checkpoint", "on")],
    );
    assert_eq!(r.status, 303);
    let email = format!("lecteur-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    assert!(student.post("/api/mark_complete", &[("slug", "lecteur"), ("lesson_id", &done.to_string())]).location().contains("lessons"));

    let page = student.get(&lesson_path("lecteur", open)).body;
    let item = |id: i64| -> String {
        let at = page.find(&format!("data-lesson=\"{id}\"")).unwrap_or_else(|| panic!("lesson {id} in the list"));
        let start = page[..at].rfind("<li").unwrap();
        page[start..at + page[at..].find("</li>").unwrap()].to_string()
    };
    // Both lists (the phone's drawer and the desktop's sidebar) show every lesson.
    assert!(page.contains("<details class=\"lesson-drawer\"") && page.contains("class=\"lesson-sidebar\""));
    assert!(item(done).contains("program-item done") && item(done).contains("href="));
    assert!(item(open).contains("program-item open") && item(open).contains("aria-current=\"page\""));
    assert!(item(dated).contains("program-item locked") && !item(dated).contains("href=") && item(dated).contains("Ouvre le"), "{}", item(dated));
    assert!(item(checkpoint).contains("program-item open"));
    assert!(item(after_checkpoint).contains("program-item locked") && item(after_checkpoint).contains("validée"), "{}", item(after_checkpoint));
    assert!(item(sequential).contains("program-item locked") && !item(sequential).contains("href="));
    assert!(page.contains("Bases") && page.contains("Suite"), "module headings");
    assert!(page.contains("<progress max=\"100\" value=\"33\""), "1 of 3 released lessons done (done, open, the checkpoint)");
    // Next skips the dated lesson; the page says when it opens.
    let nav = &page[page.find("class=\"prevnext\"").unwrap()..];
    // The href of the link marked `rel`, whatever the attributes' order.
    let link = |rel: &str| -> Option<String> {
        let at = nav.find(&format!("rel=\"{rel}\""))?;
        let tag = &nav[nav[..at].rfind("<a")?..at + nav[at..].find('>')?];
        Some(tag.split("href=\"").nth(1)?.split('"').next()?.to_string())
    };
    assert_eq!(link("prev"), Some(lesson_path("lecteur", done)));
    assert_eq!(link("next"), Some(lesson_path("lecteur", checkpoint)), "the dated lesson is skipped");
    assert!(nav.contains("next-locked") && nav.contains("Datée"));
    // A locked lesson's page has the way around too, never its content.
    let locked = student.get(&lesson_path("lecteur", dated)).body;
    assert!(!locked.contains("DATEE") && locked.contains("rel=\"prev\""));

    // Outside the student's offer: locked in the list with the reason.
    let c = course.to_string();
    school.owner.post("/admin/api/save_offer", &[("course_id", c.as_str()), ("offer_id", ""), ("name", "Bases seulement"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on"), ("refund_ends_access", "on")]);
    let offer = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course}"))[0]["id"].as_i64().unwrap().to_string();
    school.owner.post("/admin/api/save_offer_level", &[("course_id", c.as_str()), ("offer_id", &offer), ("includes", "chosen"), ("reviews", "all"), ("module[]", "Bases")]);
    let id = school.student_id(&email).to_string();
    let enrollment = app.sql_rows(&format!("SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &id), ("enrollment_id", &enrollment), ("action", "set_offer"), ("offer_id", &offer)]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let page = student.get(&lesson_path("lecteur", open)).body;
    let at = page.find(&format!("data-lesson=\"{checkpoint}\"")).unwrap();
    let li = &page[at..at + page[at..].find("</li>").unwrap()];
    assert!(li.contains("Bases seulement") || li.contains("offre"), "outside the offer: {li}");
    assert!(!li.contains("href="));
}

#[test]
fn the_dashboard_shows_courses_in_progress_finished_and_starting_later() {
    let app = spawn_app();
    let mut school = open_school(app);
    let going = school.create_course("Le tour", "en-cours", "published");
    let g1 = school.create_lesson(going, "Un", "x", "published");
    let g2 = school.create_lesson(going, "Deux", "x", "published");
    let finished = school.create_course("Fini", "fini", "published");
    let f1 = school.create_lesson(finished, "Seule leçon", "x", "published");
    let later = school.create_course("Plus tard", "plus-tard", "published");
    school.create_lesson(later, "Un", "x", "published");
    let email = format!("tableau-{}@example.com", school.slug);
    for c in [going, finished] {
        school.add_student(c, &email, false);
    }
    let start = super::drip::chrono_date(now_ms() + 5 * DAY);
    let r = school.owner.post(
        "/admin/api/invite_student",
        &[("email", &email), ("first_name", "Léa"), ("last_name", "Roy"), ("locale", "fr"), ("courses[plus-tard]", "on"), ("access_start", &start), ("access_end", "")],
    );
    assert!(r.location().contains("ok="), "{}", r.location());
    let _ = later;
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    student.post("/api/mark_complete", &[("slug", "en-cours"), ("lesson_id", &g1.to_string())]);
    student.post("/api/mark_complete", &[("slug", "fini"), ("lesson_id", &f1.to_string())]);
    let home = student.get("/").body;
    let section = |title: &str| home.split(title).nth(1).map(|s| s.split("<h2").next().unwrap_or("").to_string()).unwrap_or_default();
    let going_now = section("En cours");
    assert!(going_now.contains("href=\"/courses/en-cours\"") && going_now.contains("50 % terminé"), "{going_now}");
    assert!(going_now.contains(&format!("href=\"{}\"", lesson_path("en-cours", g2))), "the next lesson: {going_now}");
    assert!(section("Terminés").contains("href=\"/courses/fini\""), "a finished course moves to completed");
    let upcoming = section("À venir");
    assert!(upcoming.contains("href=\"/courses/plus-tard\"") && upcoming.contains("Votre accès commence le"), "{upcoming}");
}

#[test]
fn the_digest_link_lands_on_the_lesson_that_opened() {
    // Its own worker: the digest runs over every school at the moved clock.
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let p = parcours(&mut school, "digest-parcours");
    let host = app.school_host(&school.slug);
    let email = format!("digest-{}@example.com", school.slug);
    school.add_student(p.course, &email, false);
    let later = now_ms() + 10 * DAY + 12 * 3600 * 1000;
    let r = app.client(&app.platform_host()).post(&format!("/_dev/digest?now={later}"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let digest = app.latest_mail(&email);
    assert!(digest.text.contains("Dixième jour"), "{}", digest.text);
    let (to, mut student) = open_link(&app, &host, &digest.link_path(), Some(later));
    assert_eq!(to, lesson_path("digest-parcours", p.l3));
    assert!(student.get(&to).body.contains("CONTENU-TROIS"));
    app.stop();
}

/// The bell's count in a page's header (0 when it shows none).
fn bell(page: &str) -> i64 {
    page.split("data-unread=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn notifications_are_each_persons_own_and_the_bell_drops_when_read() {
    let app = spawn_app();
    let mut school = open_school(app);
    let p = parcours(&mut school, "cloche");
    let host = app.school_host(&school.slug);
    let (ana, bob) = (format!("ana-{}@example.com", school.slug), format!("bob-{}@example.com", school.slug));
    school.add_student(p.course, &ana, false);
    school.add_student(p.course, &bob, false);
    let mut a = login_with_code(app, &host, &ana);
    let mut b = login_with_code(app, &host, &bob);
    assert_eq!(bell(&a.get("/").body), 0);

    // Ana's answer: the owner's bell (no curator on the course) says so.
    a.post("/api/submit_assignment", &[("slug", "cloche"), ("lesson_id", &p.l2.to_string()), ("text", "Réponse d’Ana.")]);
    let admin = school.owner.get("/admin").body;
    assert_eq!(bell(&admin), 1, "an answer waits for review");
    // Reviewed: Ana's bell, not Bob's.
    let submission = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {}", p.l2))[0]["id"].as_i64().unwrap().to_string();
    school.owner.post("/admin/api/review_submission", &[("id", &submission), ("decision", "approve"), ("comment", "Bravo."), ("back", "/admin/reviews")]);
    assert_eq!(bell(&a.get("/").body), 1);
    assert_eq!(bell(&b.get("/").body), 0, "notifications are per student");
    let list = a.get("/notifications").body;
    assert!(list.contains("Votre réponse à « Deuxième pas » est validée") && list.contains("Bravo.") && list.contains("notification unread"), "{list}");
    // Opening it marks it read and leads to the answer.
    let id = app.sql_rows(&format!("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = '{ana}'"))[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(b.post("/api/open_notification", &[("id", &id)]).location(), "/notifications", "someone else's: nothing happens");
    assert_eq!(bell(&a.get("/").body), 1);
    let r = a.post("/api/open_notification", &[("id", &id)]);
    assert_eq!((r.status, r.location()), (303, format!("{}#task", lesson_path("cloche", p.l2))));
    assert_eq!(bell(&a.get("/").body), 0, "the bell drops when read");

    // A message from the school to everyone of the course: under both bells; "mark all read".
    let query = format!(
        "selection=ids&ids={}&ids={}&action=email&course=cloche&subject=Atelier%20du%20samedi&body=Bonjour%20%7B%7Bfirst_name%7D%7D%2C%20atelier%20samedi.%20%7B%7Blogin_link%7D%7D",
        school.student_id(&ana),
        school.student_id(&bob)
    );
    let r = school.owner.post("/admin/api/bulk_run", &[("query", &query)]);
    assert!(r.location().starts_with("/admin/students/bulk/"), "{}", r.location());
    assert_eq!((bell(&a.get("/").body), bell(&b.get("/").body)), (1, 1));
    let list = b.get("/notifications").body;
    assert!(list.contains("Atelier du samedi") && list.contains("atelier samedi.") && !list.contains("/login/link/"), "the message without its login link: {list}");
    assert!(app.latest_mail(&bob).subject.contains("Atelier du samedi"), "and by email");
    let r = b.post("/api/read_all_notifications", &[]);
    assert_eq!(r.location(), "/notifications?ok=notifications_read");
    assert_eq!(bell(&b.get("/").body), 0);
    // Another school's notifications never show here.
    let other = open_school(app);
    assert_eq!(bell(&app.client(&app.school_host(&other.slug)).get("/").body), 0);
}

#[test]
fn a_student_sets_their_name_language_and_which_emails_they_want() {
    let app = spawn_app();
    let mut school = open_school(app);
    let p = parcours(&mut school, "reglages");
    let host = app.school_host(&school.slug);
    let email = format!("reglages-{}@example.com", school.slug);
    school.add_student(p.course, &email, false);
    let mut s = login_with_code(app, &host, &email);
    s.headers.push(("Accept-Language".into(), "fr-FR,fr;q=0.9".into()));
    let page = s.get("/account").body;
    assert!(page.contains("name=\"mail[review]\"") && page.contains("name=\"mail[digest]\""));
    // English, no review emails, digest kept.
    let r = s.post("/api/save_profile", &[("first_name", "Léa"), ("last_name", "Martin"), ("locale", "en"), ("mail[digest]", "on"), ("mail[certificate]", "on"), ("mail[message]", "on")]);
    assert_eq!(r.location(), "/account?ok=saved");
    let row = &app.sql_rows(&format!("SELECT first_name, last_name, locale, mail_off, digest_opt_out FROM users WHERE email = '{email}'"))[0];
    assert_eq!((row["first_name"].as_str(), row["locale"].as_str(), row["mail_off"].as_str(), row["digest_opt_out"].as_i64()), (Some("Léa"), Some("en"), Some("review"), Some(0)));
    assert!(s.get("/account").body.contains("Emails I want"), "the interface speaks English, before the browser's French");
    // A review now: under the bell, no email.
    let before = app.sql_count(&format!("SELECT COUNT(*) AS n FROM outbox WHERE to_addr = '{email}'"));
    s.post("/api/submit_assignment", &[("slug", "reglages"), ("lesson_id", &p.l2.to_string()), ("text", "Fait.")]);
    let submission = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {}", p.l2))[0]["id"].as_i64().unwrap().to_string();
    school.owner.post("/admin/api/review_submission", &[("id", &submission), ("decision", "approve"), ("comment", ""), ("back", "/admin/reviews")]);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM outbox WHERE to_addr = '{email}'")), before, "no review email");
    assert!(s.get("/notifications").body.contains("Your answer to “Deuxième pas” was approved"), "in English, under the bell");
    // A name that is not one is refused with its reason.
    let r = s.post("/api/save_profile", &[("first_name", &"x".repeat(300)), ("last_name", ""), ("locale", "")]);
    assert!(r.location().contains("error="), "{}", r.location());
    // Back to the school's language.
    s.post("/api/save_profile", &[("first_name", "Léa"), ("last_name", "Martin"), ("locale", "")]);
    assert!(s.get("/account").body.contains("Les e-mails que je reçois"));
}

#[test]
fn the_owner_previews_a_lesson_of_a_course_with_students() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let lesson = school.create_lesson(course, "Blocs", "Texte.", "published");
    school.add_student(course, &format!("y-{}@example.com", school.slug), false);
    let r = school.owner.get(&lesson_path("yoga", lesson));
    assert_eq!(r.status, 200, "{}", r.body.split("<main").nth(1).unwrap_or(""));
}
