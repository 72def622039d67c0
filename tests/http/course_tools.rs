//! Course tools through the real worker: author and banner on the course page, copying a
//! course with or without its students, copying a lesson into another course, and restoring
//! deleted courses and lessons within 30 days.

use atelier_tests::*;

#[test]
fn a_course_is_copied_with_its_lessons_and_blocks_and_its_students_only_when_asked() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let lesson = school.create_lesson(course, "Respirer", "Inspirez lentement.", "published");
    school.create_lesson(course, "Bouger", "Levez les bras.", "published");
    let (c, l) = (course.to_string(), lesson.to_string());
    school.owner.post("/admin/api/save_block", &[("course_id", &c), ("lesson_id", &l), ("block_id", ""), ("kind", "spoiler"), ("title", "Astuce"), ("text", "SECRET-BLOCK")]);
    school.make_trial(course, lesson);
    let student = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &student, false);

    let r = school.owner.post("/admin/api/copy_course", &[("id", &c)]);
    let copy = r.location();
    assert!(copy.contains("ok=course_copied"), "{copy}");
    let page = school.owner.get(&copy).body;
    assert!(page.contains("Yoga (copie)") && page.contains("value=\"yoga-copie\""), "a draft named after the original");
    assert!(page.contains("Respirer") && page.contains("Bouger"), "lessons copied");
    assert!(!page.contains(&student), "without students unless asked");
    let copy_id: i64 = copy.trim_start_matches("/admin/courses/").split('?').next().unwrap().parse().unwrap();
    let copied_lesson = page.split(&format!("/admin/courses/{copy_id}/lessons/")).nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    let editor = school.owner.get(&format!("/admin/courses/{copy_id}/lessons/{copied_lesson}")).body;
    assert!(editor.contains("SECRET-BLOCK"), "blocks copied");
    assert_eq!(school.embed_id(copy_id, copied_lesson.parse().unwrap()), None, "the trial embed is not copied");

    let r = school.owner.post("/admin/api/copy_course", &[("id", &c), ("with_students", "on")]);
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("value=\"yoga-copie-2\"") && page.contains(&student), "students copied when asked");

    // Another school's owner cannot copy it.
    let mut other = open_school(app);
    assert_eq!(other.owner.post("/admin/api/copy_course", &[("id", &c)]).status, 404);
}

#[test]
fn a_lesson_is_copied_into_another_course_as_a_draft() {
    let app = spawn_app();
    let mut school = open_school(app);
    let yoga = school.create_course("Yoga", "yoga", "published");
    let pilates = school.create_course("Pilates", "pilates", "published");
    let lesson = school.create_lesson(yoga, "Respirer", "TEXTE-COPIE", "published");
    let r = school.owner.post("/admin/api/copy_lesson", &[("course_id", &yoga.to_string()), ("lesson_id", &lesson.to_string()), ("target_course_id", &pilates.to_string())]);
    let to = r.location();
    assert!(to.starts_with(&format!("/admin/courses/{pilates}/lessons/")) && to.contains("ok=lesson_copied"), "{to}");
    let editor = school.owner.get(&to).body;
    assert!(editor.contains("TEXTE-COPIE"));
    assert!(editor.contains("<option value=\"draft\" selected"), "a draft");
}

#[test]
fn author_and_banner_show_on_the_course_page_and_the_banner_is_sanitized() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let r = school.owner.post("/admin/api/save_course_presentation", &[("id", &course.to_string()), ("author_name", "Camille Roy"), ("author_bio", "Professeure depuis 10 ans."), ("banner_md", "**Inscriptions ouvertes** <script>alert(1)</script>")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let mut visitor = app.client(&app.school_host(&school.slug));
    let page = visitor.get("/courses/yoga").body;
    assert!(page.contains("Camille Roy") && page.contains("Professeure depuis 10 ans."));
    assert!(page.contains("<strong>Inscriptions ouvertes</strong>") && !page.contains("<script>alert(1)"));
}

#[test]
fn deleted_courses_and_lessons_are_restorable_for_30_days() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let lesson = school.create_lesson(course, "Respirer", "x", "published");
    let c = course.to_string();
    school.owner.post("/admin/api/delete_lesson", &[("course_id", &c), ("lesson_id", &lesson.to_string()), ("confirm", "on")]);
    school.owner.post("/admin/api/delete_course", &[("id", &c), ("confirm", "yoga")]);
    let admin = school.owner.get("/admin/courses").body;
    assert!(admin.contains("data-deleted=\"course\""), "the trash lists the course");
    let r = school.owner.post("/admin/api/restore", &[("kind", "course"), ("id", &c)]);
    assert!(r.location().contains("ok=restored"), "{}", r.location());
    let r = school.owner.post("/admin/api/restore", &[("kind", "lesson"), ("id", &lesson.to_string())]);
    assert!(r.location().contains("ok=restored"), "{}", r.location());
    assert!(school.owner.get(&format!("/admin/courses/{course}")).body.contains("Respirer"), "back with its lesson");

    // After 30 days it is gone for good.
    school.owner.post("/admin/api/delete_course", &[("id", &c), ("confirm", "yoga")]);
    // The owner logs in again 31 days later (their session has ended by then).
    let mut later = app.client(&app.school_host(&school.slug));
    later.now_ms = Some(now_ms() + 31 * DAY_MS);
    later.post("/api/request_login", &[("email", &school.owner_email)]);
    let code = app.latest_mail(&school.owner_email).code();
    later.post("/api/verify_code", &[("email", &school.owner_email), ("code", &code)]);
    assert!(later.has_session());
    let r = later.post("/admin/api/restore", &[("kind", "course"), ("id", &c)]);
    assert!(r.location().contains("error=restore_expired"), "{}", r.location());
}
