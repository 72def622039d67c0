//! Drip through the real worker: lessons open on schedule (the test clock moves time), a
//! locked lesson's text never leaves the server, access ends.

use atelier_tests::*;

struct Course {
    _school: School,
    slug: String,
    student: String,
    host: String,
}

fn course_with(app: &Worker, lessons: &[(&str, &str, &[(&str, &str)])]) -> (Course, Vec<i64>) {
    let mut school = open_school(app);
    let course = school.create_course("Marathon", "marathon", "published");
    let ids = lessons.iter().map(|(title, text, schedule)| school.create_scheduled_lesson(course, title, text, "published", schedule)).collect();
    let student = format!("drip-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let host = app.school_host(&school.slug);
    (Course { _school: school, slug: "marathon".into(), student, host }, ids)
}

const TOMORROW_9: &[(&str, &str)] = &[("open_rule", "days"), ("open_days", "1"), ("open_time", "09:00")];

#[test]
fn a_student_enrolled_today_sees_lesson_1_open_and_lesson_2_with_its_date_until_the_clock_opens_it() {
    let app = spawn_app();
    let (c, ids) = course_with(app, &[("Jour 1", "Bienvenue", &[]), ("Jour 2", "SECRET-DAY-TWO", TOMORROW_9)]);
    let mut student = login_with_code(app, &c.host, &c.student);
    let page = student.get(&format!("/courses/{}", c.slug)).body;
    assert!(page.contains(&format!("/lessons/{}\"", ids[0])), "lesson 1 is a link");
    assert!(!page.contains(&format!("/lessons/{}\"", ids[1])), "lesson 2 is not");
    assert!(page.contains("Ouvre le") || page.contains("Opens"), "lesson 2 says when it opens");
    assert!(page.contains("09:00, heure de Paris") || page.contains("09:00, Paris time"), "in the school's time");

    // The locked text is in no response: page, server function, hydration data.
    let locked = student.get(&format!("/courses/{}/lessons/{}", c.slug, ids[1]));
    assert_eq!(locked.status, 200, "a locked lesson says why and when");
    assert!(locked.body.contains("locked-lesson") && (locked.body.contains("Ouvre le") || locked.body.contains("Opens")), "with its opening date");
    assert!(locked.body.contains(&format!("href=\"/courses/{}\"", c.slug)), "and the way back to the course");
    assert!(!locked.body.contains("SECRET-DAY-TWO"));
    let direct = student.post("/api/lesson_page", &[("slug", &c.slug), ("lesson_id", &ids[1].to_string())]);
    assert!(!direct.body.contains("SECRET-DAY-TWO"), "server function: {}", direct.body);
    assert!(!student.get(&format!("/courses/{}", c.slug)).body.contains("SECRET-DAY-TWO"));
    let done = student.post("/api/mark_complete", &[("slug", &c.slug), ("lesson_id", &ids[1].to_string())]);
    assert!(done.status >= 400, "a locked lesson cannot be completed");

    // Two days later (the test clock), it is open.
    student.now_ms = Some(now_ms() + 2 * DAY_MS);
    let open = student.get(&format!("/courses/{}/lessons/{}", c.slug, ids[1]));
    assert_eq!(open.status, 200);
    assert!(open.body.contains("SECRET-DAY-TWO"));
}

#[test]
fn a_sequential_lesson_opens_when_the_previous_one_is_completed() {
    let app = spawn_app();
    let (c, ids) = course_with(app, &[("Un", "un", &[]), ("Deux", "SECRET-DEUX", &[("open_rule", "after_previous")])]);
    let mut student = login_with_code(app, &c.host, &c.student);
    let page = student.get(&format!("/courses/{}", c.slug)).body;
    assert!(page.contains("leçon précédente") || page.contains("previous lesson"), "says why");
    let locked = student.get(&format!("/courses/{}/lessons/{}", c.slug, ids[1]));
    assert!(locked.body.contains("locked-lesson") && (locked.body.contains("leçon précédente") || locked.body.contains("previous lesson")), "says why");
    assert!(!locked.body.contains("SECRET-DEUX"));
    student.post("/api/mark_complete", &[("slug", &c.slug), ("lesson_id", &ids[0].to_string())]);
    let open = student.get(&format!("/courses/{}/lessons/{}", c.slug, ids[1]));
    assert!(open.body.contains("SECRET-DEUX"));
}

#[test]
fn progress_counts_only_released_lessons() {
    let app = spawn_app();
    let (c, ids) = course_with(app, &[("Un", "un", &[]), ("Deux", "deux", TOMORROW_9)]);
    let mut student = login_with_code(app, &c.host, &c.student);
    student.post("/api/mark_complete", &[("slug", &c.slug), ("lesson_id", &ids[0].to_string())]);
    let page = student.get(&format!("/courses/{}", c.slug)).body;
    assert!(page.contains("value=\"100\""), "1 of 1 released lesson done");
    assert!(student.get("/").body.contains("1/1"), "the dashboard counts released lessons too");
    // The next day, the second lesson is released: 1 of 2.
    student.now_ms = Some(now_ms() + 2 * DAY_MS);
    assert!(student.get("/").body.contains("1/2"));
}

#[test]
fn when_access_ends_the_course_moves_to_completed_expired_and_locks() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Court", "court", "published");
    school.create_lesson(course, "Seule", "SECRET-SEULE", "published");
    let student = format!("fin-{}@example.com", school.slug);
    let end = chrono_date(now_ms() + 3 * DAY_MS);
    let r = school.owner.post("/admin/api/add_student", &[("course_id", &course.to_string()), ("email", &student), ("access_end", &end)]);
    assert!(r.location().contains("ok="), "{}", r.location());
    let host = app.school_host(&school.slug);
    let mut c = login_with_code(app, &host, &student);
    assert!(c.get("/courses/court").body.contains("/lessons/"), "open before the end");
    c.now_ms = Some(now_ms() + 5 * DAY_MS);
    let home = c.get("/").body;
    assert!(home.contains("Terminés / expirés") || home.contains("Completed / expired"), "listed under completed / expired");
    let page = c.get("/courses/court").body;
    assert!(page.contains("accès a pris fin") || page.contains("access ended"), "says when it ended and whom to ask");
    assert!(!page.contains("SECRET-SEULE"));
    let lessons = c.get("/courses/court").body;
    assert!(!lessons.contains("/courses/court/lessons/"), "no lesson links after the end");
}

#[test]
fn an_incomplete_rule_is_refused_with_a_message_and_nothing_saved() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("C", "c", "published");
    let r = school.owner.post(
        "/admin/api/save_lesson",
        &[("course_id", &course.to_string()), ("lesson_id", ""), ("title", "Sans jours"), ("content_md", "x"), ("status", "published"), ("open_rule", "days"), ("open_days", ""), ("open_time", "09:00")],
    );
    assert!(r.location().contains("error=drip_open_invalid"), "{}", r.location());
    assert!(!school.owner.get(&format!("/admin/courses/{course}")).body.contains("Sans jours"));
}

/// `YYYY-MM-DD` of a unix-ms instant (UTC), as a date field sends it.
pub(crate) fn chrono_date(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// The student's id on the admin's student list.
fn student_id(school: &mut School) -> String {
    let page = school.owner.get("/admin/students").body;
    page.split("href=\"/admin/students/").skip(1).find_map(|t| t.split('"').next().filter(|id| id.parse::<i64>().is_ok())).expect("a student").to_string()
}

fn enrollment_id(school: &mut School, student: &str) -> String {
    let page = school.owner.get(&format!("/admin/students/{student}")).body;
    page.split("name=\"enrollment_id\" value=\"").nth(1).and_then(|t| t.split('"').next()).expect("an enrollment").to_string()
}

#[test]
fn unlock_one_release_all_freeze_and_extend_each_change_what_the_student_sees() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Outils", "outils", "published");
    let week = &[("open_rule", "days"), ("open_days", "7"), ("open_time", "09:00")][..];
    let l1 = school.create_scheduled_lesson(course, "Un", "UN", "published", &[("open_rule", "days"), ("open_days", "1"), ("open_time", "09:00")]);
    let l2 = school.create_scheduled_lesson(course, "Deux", "DEUX", "published", week);
    let student = format!("outils-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let host = app.school_host(&school.slug);
    let mut c = login_with_code(app, &host, &student);
    let sid = student_id(&mut school);
    let eid = enrollment_id(&mut school, &sid);
    let adjust = |school: &mut School, form: &[(&str, &str)]| {
        let mut all = vec![("id", sid.as_str()), ("enrollment_id", eid.as_str())];
        all.extend_from_slice(form);
        let r = school.owner.post("/admin/api/adjust_enrollment", &all);
        assert!(r.location().contains("ok=saved"), "{form:?}: {}", r.location());
    };
    let readable = |c: &mut Client, id: i64| {
        let r = c.get(&format!("/courses/outils/lessons/{id}"));
        r.status == 200 && !r.body.contains("locked-lesson")
    };

    // Unlock one lesson.
    assert!(!readable(&mut c, l2));
    adjust(&mut school, &[("action", "unlock"), ("lesson_id", &l2.to_string())]);
    assert!(readable(&mut c, l2), "unlocked by hand");
    assert!(!readable(&mut c, l1), "the others keep their schedule");

    // Release everything, then back to the schedule.
    adjust(&mut school, &[("action", "release_all")]);
    assert!(readable(&mut c, l1));
    adjust(&mut school, &[("action", "relock_all")]);
    assert!(!readable(&mut c, l1));

    // Freeze: the schedule moves 3 days later for this student.
    c.now_ms = Some(now_ms() + 2 * DAY_MS);
    assert!(readable(&mut c, l1), "day 1 lesson open on day 2");
    adjust(&mut school, &[("action", "shift"), ("days", "3")]);
    assert!(!readable(&mut c, l1), "frozen: day 1 is now day 4");

    // Shorten, then extend access.
    let yesterday = date_of(now_ms() - DAY_MS);
    c.now_ms = None;
    adjust(&mut school, &[("action", "set_end"), ("access_end", &yesterday)]);
    assert!(!readable(&mut c, l2), "access ended");
    assert!(c.get("/").body.contains("Terminés / expirés") || c.get("/").body.contains("Completed / expired"));
    adjust(&mut school, &[("action", "set_end"), ("access_end", &date_of(now_ms() + 30 * DAY_MS))]);
    assert!(readable(&mut c, l2), "extended again (the unlock still holds)");

    // Only the school's owner can do this.
    let mut other = login_with_code(app, &host, &student);
    assert_eq!(other.post("/admin/api/adjust_enrollment", &[("id", &sid), ("enrollment_id", &eid), ("action", "release_all")]).status, 403);
}

#[test]
fn a_marathon_late_joiner_sees_the_lessons_already_open() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Marathon", "marathon", "published");
    let day = |n: &'static str| vec![("open_rule", "days"), ("open_days", n), ("open_time", "09:00")];
    let l0 = school.create_scheduled_lesson(course, "J0", "J-ZERO", "published", &day("0"));
    let l3 = school.create_scheduled_lesson(course, "J3", "J-TROIS", "published", &day("3"));
    let l30 = school.create_scheduled_lesson(course, "J30", "J-TRENTE", "published", &day("30"));
    // The cohort started 5 days ago.
    let start = date_of(now_ms() - 5 * DAY_MS) + "T08:00";
    let r = school.owner.post("/admin/api/save_course_access", &[("id", &course.to_string()), ("access_mode", "cohort"), ("cohort_start", &start), ("access_days", "")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let student = format!("tard-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    assert!(c.get(&format!("/courses/marathon/lessons/{l0}")).body.contains("J-ZERO"));
    assert!(c.get(&format!("/courses/marathon/lessons/{l3}")).body.contains("J-TROIS"), "day 3 of the cohort is past");
    assert!(c.get(&format!("/courses/marathon/lessons/{l30}")).body.contains("locked-lesson"), "day 30 is not");
    let bad = school.owner.post("/admin/api/save_course_access", &[("id", &course.to_string()), ("access_mode", "cohort"), ("cohort_start", ""), ("access_days", "")]);
    assert!(bad.location().contains("error=cohort_start_invalid"), "{}", bad.location());
}

fn date_of(ms: i64) -> String {
    chrono_date(ms)
}

#[test]
fn the_digest_run_twice_sends_exactly_one_email_per_student_with_exactly_what_opened() {
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let course = school.create_course("Marathon", "marathon", "published");
    school.create_lesson(course, "Accueil", "a", "published");
    school.create_scheduled_lesson(course, "Deuxième étape", "b", "published", TOMORROW_9);
    school.create_scheduled_lesson(course, "Dixième étape", "c", "published", &[("open_rule", "days"), ("open_days", "10"), ("open_time", "09:00")]);
    let (anna, ben) = (format!("anna-{}@example.com", school.slug), format!("ben-{}@example.com", school.slug));
    school.add_student(course, &anna, false);
    school.add_student(course, &ben, false);
    let host = app.school_host(&school.slug);
    // Ben switches these emails off.
    let mut b = login_with_code(&app, &host, &ben);
    assert!(b.post("/api/set_digest", &[("on", "0")]).location().contains("ok=saved"));

    let digest = |at: i64| {
        let r = app.client(&app.platform_host()).post(&format!("/_dev/digest?now={at}"), &[]);
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    };
    let digests = |to: &str| app.mails(to).into_iter().filter(|m| m.subject.contains("nouvelles leçons") || m.subject.contains("New lessons")).collect::<Vec<_>>();
    let start = now_ms();
    digest(start + 3_600_000);
    assert!(digests(&anna).is_empty(), "nothing opened yet");

    let later = start + 2 * DAY_MS;
    digest(later);
    digest(later);
    digest(later + 60_000);
    let sent = digests(&anna);
    assert_eq!(sent.len(), 1, "exactly one digest");
    assert!(sent[0].text.contains("Deuxième étape"), "{}", sent[0].text);
    assert!(!sent[0].text.contains("Dixième étape") && !sent[0].text.contains("Accueil"), "only what opened");
    assert!(digests(&ben).is_empty(), "Ben switched them off");

    // Its link is a personal login link, scanner-safe like every link.
    let path = sent[0].link_path();
    let mut scanner = app.client(&host);
    scanner.get(&path);
    let mut phone = app.client(&host);
    phone.now_ms = Some(later + 3_600_000);
    let r = phone.post("/api/confirm_link", &[("token", path.trim_start_matches("/login/link/"))]);
    assert!(phone.has_session());
    assert!(r.location().starts_with("/courses/marathon/lessons/"), "the link leads to the new lesson: {}", r.location());
    assert!(phone.get(&r.location()).body.contains("Deuxième étape"));
    assert!(phone.get("/courses/marathon").body.contains("Deuxième étape"));
    app.stop();
}

#[test]
fn the_creator_sees_the_schedule_for_a_start_date_and_previews_as_a_student_on_a_date() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Programme", "programme", "published");
    school.create_lesson(course, "Accueil", "a", "published");
    school.create_scheduled_lesson(course, "Troisième jour", "b", "published", &[("open_rule", "days"), ("open_days", "3"), ("open_time", "09:00")]);
    let page = school.owner.get(&format!("/admin/courses/{course}/schedule?start=2026-03-02&at=2026-03-03T10:00")).body;
    assert!(page.contains("jeu. 5 mars à 09:00") || page.contains("Thu 5 Mar at 09:00"), "day 3 of a start on Mon 2 March");
    assert!(page.contains("Ouvre le jeu. 5 mars") || page.contains("Opens Thu 5 Mar"), "previewed on the 3rd: still locked");
    let later = school.owner.get(&format!("/admin/courses/{course}/schedule?start=2026-03-02&at=2026-03-06T10:00")).body;
    assert_eq!(later.matches("class=\"open\"").count(), 2, "previewed on the 6th: both open");
    // A real student, enrolled today: the same engine as their own pages.
    let student = format!("prog-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let id = school.owner.get(&format!("/admin/courses/{course}/schedule")).body.split("<option value=\"").nth(2).and_then(|t| t.split('"').next()).expect("a student option").to_string();
    let as_student = school.owner.get(&format!("/admin/courses/{course}/schedule?student={id}")).body;
    assert_eq!(as_student.matches("class=\"open\"").count(), 1, "today, only the first lesson");
    // Students cannot see it.
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    assert_eq!(c.get(&format!("/admin/courses/{course}/schedule")).status, 403);
}

#[test]
fn a_rule_change_that_moves_access_now_says_how_many_students_and_waits_for_confirmation() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Impact", "impact", "published");
    let lesson = school.create_lesson(course, "Ouverte", "SECRET-IMPACT", "published");
    let student = format!("impact-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &student);
    let readable = |c: &mut Client| c.get(&format!("/courses/impact/lessons/{lesson}")).body.contains("SECRET-IMPACT");
    assert!(readable(&mut c));

    let save = |school: &mut School, extra: &[(&str, &str)]| {
        let (course, lesson) = (course.to_string(), lesson.to_string());
        let mut form = vec![("course_id", course.as_str()), ("lesson_id", lesson.as_str()), ("title", "Ouverte"), ("content_md", "SECRET-IMPACT"), ("status", "published")];
        form.extend_from_slice(extra);
        school.owner.post("/admin/api/save_lesson", &form).location()
    };
    // Moving the opening to day 5 would take the lesson away from the enrolled student now.
    let to = save(&mut school, &[("open_rule", "days"), ("open_days", "5"), ("open_time", "09:00")]);
    assert!(to.contains("impact=1") && to.contains("gain=0") && to.contains("lose=1"), "{to}");
    assert!(readable(&mut c), "not applied before confirmation");
    let page = school.owner.get(&to).body;
    assert!(page.contains("retirerait à 1") || page.contains("take it away from 1"), "the creator is told");
    let confirm = page.split("action=\"/admin/api/confirm_schedule\"").nth(1).expect("a confirm form").split("</form>").next().unwrap().to_string();
    let field = |name: &str| confirm.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|v| v.split('"').next()).unwrap_or("").to_string();
    let names = ["course_id", "lesson_id", "open_rule", "open_days", "open_at", "close_rule", "close_days", "close_at"];
    let values: Vec<String> = names.iter().map(|n| field(n)).collect();
    let form: Vec<(&str, &str)> = names.iter().copied().zip(values.iter().map(String::as_str)).collect();
    assert!(school.owner.post("/admin/api/confirm_schedule", &form).location().contains("ok=saved"));
    assert!(!readable(&mut c), "applied after confirmation");

    // A change that moves nobody's access now is saved at once.
    let to = save(&mut school, &[("open_rule", "days"), ("open_days", "5"), ("open_time", "09:00"), ("close_rule", "days"), ("close_days", "60"), ("close_time", "09:00")]);
    assert!(to.contains("ok=saved"), "{to}");
}

#[test]
fn a_lesson_closing_within_48_hours_says_so_then_closes() {
    let app = spawn_app();
    let (c, ids) = course_with(app, &[("Flash", "SECRET-FLASH", &[("close_rule", "days"), ("close_days", "1"), ("close_time", "09:00")])]);
    let mut student = login_with_code(app, &c.host, &c.student);
    let page = student.get(&format!("/courses/{}", c.slug)).body;
    assert!(page.contains("Se ferme dans") || page.contains("Closes in"), "closing soon is shown");
    student.now_ms = Some(now_ms() + 3 * DAY_MS);
    let page = student.get(&format!("/courses/{}", c.slug)).body;
    assert!(page.contains("Fermée depuis") || page.contains("Closed since"), "then closed, with since when");
    let closed = student.get(&format!("/courses/{}/lessons/{}", c.slug, ids[0]));
    assert!(closed.body.contains("locked-lesson") && (closed.body.contains("Fermée depuis") || closed.body.contains("Closed since")), "closed, and since when");
}

#[test]
fn the_hourly_cron_trigger_sends_the_digest_and_the_five_minute_one_does_not() {
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let course = school.create_course("Cron", "cron", "published");
    school.create_lesson(course, "Début", "a", "published");
    school.create_scheduled_lesson(course, "Lendemain", "b", "published", TOMORROW_9);
    // Enrolled two days ago (the test clock on the creator's request): the second lesson
    // opened yesterday.
    let student = format!("cron-{}@example.com", school.slug);
    school.owner.now_ms = Some(now_ms() - 2 * DAY_MS);
    school.add_student(course, &student, false);
    let digests = |app: &Worker| app.mails(&student).into_iter().filter(|m| m.subject.contains("nouvelles leçons") || m.subject.contains("New lessons")).count();
    let mut platform = app.client(&app.platform_host());
    assert_eq!(platform.get("/__scheduled?cron=*%2F5+*+*+*+*").status, 200);
    assert_eq!(digests(&app), 0, "the delivery trigger sends no digest");
    assert_eq!(platform.get("/__scheduled?cron=0+*+*+*+*").status, 200);
    assert_eq!(digests(&app), 1, "the hourly trigger does: {:?}", app.mails(&student).iter().map(|m| m.subject.clone()).collect::<Vec<_>>());
    app.stop();
}
