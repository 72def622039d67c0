//! Writing lessons (issue 18, item 4) through the real worker: a course's modules created,
//! renamed (offers that include the module follow), moved and removed when empty; lessons
//! moved a step, into a module or before another lesson, the student's program following;
//! the lesson preview rendered by the server as a saved lesson is; the schedule as a sentence.

use atelier_tests::*;

fn change(school: &mut School, course: i64, form: &[(&str, &str)]) -> Response {
    let c = course.to_string();
    let mut all = vec![("course_id", c.as_str())];
    all.extend_from_slice(form);
    school.owner.post("/admin/api/change_program", &all)
}

/// The lessons' titles in the order the course page shows them, and each module heading.
fn outline(app: &Worker, course: i64) -> Vec<(String, String)> {
    app.sql_rows(&format!("SELECT title, module FROM lessons WHERE course_id = {course} AND deleted_at IS NULL ORDER BY position, id"))
        .iter()
        .map(|r| (r["title"].as_str().unwrap().to_string(), r["module"].as_str().unwrap().to_string()))
        .collect()
}

fn modules(app: &Worker, course: i64) -> Vec<String> {
    app.sql_rows(&format!("SELECT title FROM course_modules WHERE course_id = {course} ORDER BY position")).iter().map(|r| r["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn modules_are_created_renamed_moved_and_lessons_move_between_them() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let a = school.create_lesson(course, "Accueil", "a", "published");
    let b = school.create_lesson(course, "Les pinceaux", "b", "published");
    let c = school.create_lesson(course, "Le papier", "c", "published");
    let (a, b, c) = (a.to_string(), b.to_string(), c.to_string());

    // Two modules; a title taken or empty is refused with its reason.
    assert!(change(&mut school, course, &[("action", "create_module"), ("title", "Le matériel")]).location().contains("ok=program_saved"));
    assert!(change(&mut school, course, &[("action", "create_module"), ("title", "  Premières   couleurs ")]).location().contains("ok=program_saved"));
    let r = change(&mut school, course, &[("action", "create_module"), ("title", "Le matériel")]);
    assert!(r.location().contains("error=module_title_taken"), "{}", r.location());
    assert!(school.owner.get(&r.location()).body.contains("Ce cours a déjà un module de ce titre."));
    assert!(change(&mut school, course, &[("action", "create_module"), ("title", " ")]).location().contains("error=module_title_required"));
    assert_eq!(modules(app, course), vec!["Le matériel", "Premières couleurs"]);
    let page = school.owner.get(&format!("/admin/courses/{course}")).body;
    assert!(page.contains("Aucune leçon pour l’instant : déplacez-en une ici."), "an empty module says so");

    // Lessons into modules (the list's form), then a step up across a module's edge.
    assert!(change(&mut school, course, &[("action", "lesson_into"), ("lesson_id", &b), ("to", "Le matériel")]).location().contains("ok=program_saved"));
    change(&mut school, course, &[("action", "lesson_into"), ("lesson_id", &c), ("to", "Le matériel")]);
    assert_eq!(outline(app, course), vec![("Accueil".into(), "".into()), ("Les pinceaux".into(), "Le matériel".into()), ("Le papier".into(), "Le matériel".into())]);
    // The list's "Move to…" left as it was: nothing moves, and the creator is told to choose.
    assert!(change(&mut school, course, &[("action", "lesson_into"), ("lesson_id", &c)]).location().contains("error=program_choose_module"));
    assert_eq!(outline(app, course)[2], ("Le papier".into(), "Le matériel".into()));
    change(&mut school, course, &[("action", "lesson_down"), ("lesson_id", &c)]);
    assert_eq!(outline(app, course)[2], ("Le papier".into(), "Premières couleurs".into()), "down past the module's end: into the next one");
    // Dropped before another lesson (drag and drop): into that lesson's module.
    change(&mut school, course, &[("action", "lesson_before"), ("lesson_id", &a), ("to", &b)]);
    assert_eq!(outline(app, course), vec![("Accueil".into(), "Le matériel".into()), ("Les pinceaux".into(), "Le matériel".into()), ("Le papier".into(), "Premières couleurs".into())]);

    // A module moved up takes its lessons with it; the student's program follows.
    change(&mut school, course, &[("action", "module_up"), ("module", "Premières couleurs")]);
    assert_eq!(modules(app, course), vec!["Premières couleurs", "Le matériel"]);
    assert_eq!(outline(app, course).iter().map(|l| l.0.as_str()).collect::<Vec<_>>(), vec!["Le papier", "Accueil", "Les pinceaux"]);
    school.owner.post("/admin/api/save_course_presentation", &[("id", &course.to_string()), ("author_name", ""), ("author_bio", ""), ("banner_md", ""), ("program_layout", "modules")]);
    let program = app.client(&app.school_host(&school.slug)).get("/courses/aquarelle").body;
    let at = |s: &str| program.find(s).unwrap_or_else(|| panic!("{s} on the course page"));
    assert!(at("Premières couleurs") < at("Le papier") && at("Le papier") < at("Le matériel") && at("Le matériel") < at("Accueil"), "the public program in the new order");

    // Renamed: lessons and offers that include the module follow.
    let offer_form = [("course_id", course.to_string()), ("offer_id", String::new()), ("name", "Matériel".into()), ("summary", String::new()), ("price", "0".into()), ("access_kind", "forever".into()), ("access_days", String::new()), ("access_until", String::new()), ("seats", String::new()), ("open", "on".into())];
    let form: Vec<(&str, &str)> = offer_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    school.owner.post("/admin/api/save_offer", &form);
    let offer = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course}"))[0]["id"].as_i64().unwrap();
    let (c, o) = (course.to_string(), offer.to_string());
    let r = school.owner.post("/admin/api/save_offer_level", &[("course_id", c.as_str()), ("offer_id", o.as_str()), ("includes", "chosen"), ("reviews", "none"), ("module[]", "Le matériel")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.sql_rows(&format!("SELECT module FROM offer_items WHERE offer_id = {offer} AND kind = 'module'"))[0]["module"], "Le matériel");
    assert!(change(&mut school, course, &[("action", "rename_module"), ("module", "Le matériel"), ("title", "Premières couleurs")]).location().contains("error=module_title_taken"));
    assert!(change(&mut school, course, &[("action", "rename_module"), ("module", "Le matériel"), ("title", "Le bon matériel")]).location().contains("ok=program_saved"));
    assert_eq!(modules(app, course), vec!["Premières couleurs", "Le bon matériel"]);
    assert!(outline(app, course).iter().filter(|l| l.1 == "Le bon matériel").count() == 2);
    assert_eq!(app.sql_rows(&format!("SELECT module FROM offer_items WHERE offer_id = {offer} AND kind = 'module'"))[0]["module"], "Le bon matériel", "the offer follows");

    // Only an empty module is removed.
    assert!(change(&mut school, course, &[("action", "remove_module"), ("module", "Le bon matériel")]).location().contains("error=module_not_empty"));
    change(&mut school, course, &[("action", "create_module"), ("title", "Bonus")]);
    assert!(change(&mut school, course, &[("action", "remove_module"), ("module", "Bonus")]).location().contains("ok=program_saved"));
    assert_eq!(modules(app, course), vec!["Premières couleurs", "Le bon matériel"]);

    // The lesson page's module field goes through the same outline: a new title is a module.
    let r = school.owner.post("/admin/api/save_lesson_program", &[("course_id", &course.to_string()), ("lesson_id", &a), ("module", "Annexes"), ("duration_minutes", "")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    assert_eq!(modules(app, course), vec!["Premières couleurs", "Le bon matériel", "Annexes"]);
    assert_eq!(outline(app, course).last().unwrap(), &("Accueil".to_string(), "Annexes".to_string()));

    // A new lesson goes to the end of the course: into its last module.
    let d = school.create_lesson(course, "Le vernis", "d", "published");
    assert_eq!(outline(app, course).last().unwrap(), &("Le vernis".to_string(), "Annexes".to_string()), "lesson {d}: last, in the last module");

    // Another school's course, a student, a bad action: nothing.
    let mut other = open_school(app);
    let r = other.owner.post("/admin/api/change_program", &[("course_id", &course.to_string()), ("action", "create_module"), ("title", "Intrus")]);
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(change(&mut school, course, &[("action", "explode")]).status, 400);
    assert_eq!(modules(app, course).len(), 3);
}

/// The schedule's `<details ...>` tag (attributes in any order).
fn rule_tag(page: &str) -> String {
    let at = page.find("drip-rule").expect("the schedule");
    let start = page[..at].rfind('<').unwrap();
    let end = at + page[at..].find('>').unwrap();
    page[start..=end].to_string()
}

#[test]
fn the_lesson_preview_renders_what_a_save_would_and_the_schedule_reads_as_a_sentence() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let lesson = school.create_scheduled_lesson(course, "Les pinceaux", "a", "published", &[("open_rule", "days"), ("open_days", "3"), ("open_time", "09:00"), ("close_rule", "access_end")]);

    // Not saved: the page of its own (no JavaScript) and the fragment (the live preview).
    let md = "## Le matériel\n\n**Trois** pinceaux <script>alert(1)</script> [site](javascript:alert(1))";
    let r = school.owner.post("/admin/preview/lesson", &[("title", "Les <pinceaux>"), ("content_md", md)]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<h2>Le matériel</h2>") && r.body.contains("<strong>Trois</strong>"), "{}", r.body);
    assert!(r.body.contains("&lt;script&gt;") && !r.body.contains("<script>alert") && !r.body.contains("javascript:"), "made safe as a saved lesson is");
    assert!(r.body.contains("Aperçu : ce texte n’est pas encore enregistré") && r.body.contains("Les &lt;pinceaux&gt;"));
    let fragment = school.owner.post("/admin/preview/lesson?fragment=1", &[("content_md", md)]);
    assert!(fragment.body.starts_with("<h2>Le matériel</h2>") && !fragment.body.contains("<html"), "{}", fragment.body);
    assert_eq!(app.sql_rows(&format!("SELECT content_md FROM lessons WHERE id = {lesson}"))[0]["content_md"], "a", "a preview saves nothing");
    // Only the team: a student or a stranger gets nothing.
    let email = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    assert_eq!(student.post("/admin/preview/lesson", &[("content_md", "x")]).status, 403);

    // The editor: a toolbar island, the preview button, the schedule as one sentence.
    let page = school.owner.get(&format!("/admin/courses/{course}/lessons/{lesson}")).body;
    assert!(page.contains("formaction=\"/admin/preview/lesson\"") && page.contains("formtarget=\"_blank\""));
    assert!(page.contains("md-toolbar"), "the toolbar (shown once the island runs)");
    assert!(page.contains("S’ouvre 3 jours après le début de l’élève, à 09:00 ; se ferme à la fin de son accès."), "the sentence");
    assert!(!rule_tag(&page).contains(" open"), "its fields closed until asked: {}", rule_tag(&page));
    // After a refused schedule, the fields are open.
    let r = school.owner.post("/admin/api/save_lesson", &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("title", "Les pinceaux"), ("content_md", "a"), ("status", "published"), ("open_rule", "days"), ("open_days", ""), ("open_time", ""), ("open_date", ""), ("close_rule", "never"), ("close_days", ""), ("close_time", ""), ("close_date", "")]);
    assert!(r.location().contains("error=drip_open_invalid"), "{}", r.location());
    let refused = school.owner.get(&r.location()).body;
    assert!(rule_tag(&refused).contains(" open"), "{}", rule_tag(&refused));
}
