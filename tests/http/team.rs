//! Team roles through the real worker: the owner invites an assistant and a curator; each
//! role is allowed exactly its part on every server function, not only hidden in the UI.

use atelier_tests::*;

fn member(app: &Worker, school: &mut School, who: &str, role: &str) -> Client {
    school.team_member(app, who, role).1
}

#[test]
fn an_assistant_manages_students_but_not_courses_settings_or_the_team() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let student = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut assistant = member(app, &mut school, "assistant", "assistant");

    // The students' side: directory, a student's page, import, bulk, the explainer, invite, export.
    assert!(assistant.get("/admin").body.contains("href=\"/admin/students\""));
    assert!(assistant.get("/admin/students").body.contains(&student));
    let id = school.student_id(&student);
    assert_eq!(assistant.get(&format!("/admin/students/{id}")).status, 200);
    let r = assistant.post_file("/admin/imports/upload", "file", "a.csv", format!("email,courses\nnew-{}@example.com,yoga\n", school.slug).as_bytes());
    assert!(r.location().starts_with("/admin/imports/") && !r.location().contains("error"), "{}", r.location());
    assert_eq!(assistant.get(&format!("/admin/explain?email={}&course=yoga", student.replace('@', "%40"))).status, 200);
    assert_eq!(assistant.get("/admin/students/export.csv").status, 200);
    let r = assistant.post("/admin/api/send_access_reminder", &[("id", &id.to_string())]);
    assert!(r.location().contains("ok=reminder_sent"), "{}", r.location());

    // Not courses, settings or the team: refused by the server functions themselves.
    let c = course.to_string();
    for (path, form) in [
        ("/admin/api/save_course", vec![("id", c.as_str()), ("title", "Piraté"), ("slug", "yoga"), ("description", ""), ("cover_url", ""), ("status", "published")]),
        ("/admin/api/save_lesson", vec![("course_id", c.as_str()), ("lesson_id", ""), ("title", "x"), ("content_md", "x"), ("status", "draft")]),
        ("/admin/api/delete_course", vec![("id", c.as_str()), ("confirm", "yoga")]),
        ("/admin/api/save_settings", vec![("name", "Pirate"), ("default_locale", "fr"), ("unknown_email_policy", "silent")]),
        ("/admin/api/save_embed_settings", vec![("brand_color", "#000000"), ("embed_sites", "")]),
        ("/admin/api/invite_member", vec![("email", "x@example.com"), ("role", "assistant")]),
        ("/admin/api/copy_course", vec![("id", c.as_str())]),
    ] {
        assert_eq!(assistant.post(path, &form).status, 403, "{path}");
    }
    assert_eq!(assistant.get(&format!("/admin/courses/{course}")).status, 403);
    assert!(!school.owner.get(&format!("/admin/courses/{course}")).body.contains("Piraté"));
}

#[test]
fn a_curator_cannot_manage_students_or_courses_and_a_removed_member_loses_access_at_once() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let mut curator = member(app, &mut school, "curator", "curator");
    assert_eq!(curator.get("/admin/students").status, 403);
    assert_eq!(curator.post("/admin/api/save_course", &[("id", &course.to_string()), ("title", "x"), ("slug", "yoga"), ("description", ""), ("cover_url", ""), ("status", "draft")]).status, 403);
    assert_eq!(curator.post_file("/admin/imports/upload", "file", "a.csv", b"email\nz@example.com\n").status, 403);

    let mut assistant = member(app, &mut school, "aide", "assistant");
    let team = school.owner.get("/admin/team").body;
    assert!(team.contains("data-role=\"assistant\"") && team.contains("data-role=\"curator\"") && team.contains("data-role=\"owner\""));
    let id = team.split("data-role=\"assistant\"").nth(1).and_then(|s| s.split("name=\"id\" value=\"").nth(1)).and_then(|s| s.split('"').next()).unwrap().to_string();
    school.owner.post("/admin/api/remove_member", &[("id", &id)]);
    assert_eq!(assistant.get("/admin/students").status, 403, "removed: at once");
    // The owner cannot be turned into a team member.
    let r = school.owner.post("/admin/api/invite_member", &[("email", &school.owner_email.clone()), ("role", "assistant")]);
    assert!(r.location().contains("error=team_is_owner"), "{}", r.location());
}
