//! Emails the creator edits (issue 18, item 6) through the real worker: for each of the six
//! kinds, an unknown field refused before saving (what was typed kept), the preview with the
//! newest student's data, a test sent to the creator, saving and the reset; then what
//! students really receive: the school's text with every field filled, in their language,
//! the default where the school wrote none.

use atelier_tests::*;

const KINDS: [(&str, &str); 6] = [
    ("invitation", "{{course_title}} {{login_link}}"),
    ("reminder", "{{login_link}}"),
    ("digest", "{{lessons}} {{login_link}}"),
    ("review", "{{lesson_title}} {{result}} {{lesson_link}}"),
    ("receipt", "{{amount}} {{course_title}} {{login_link}}"),
    ("certificate", "{{course_title}} {{certificate_link}}"),
];

fn save(school: &mut School, kind: &str, locale: &str, subject: &str, body: &str, action: &str) -> Response {
    school.owner.post("/admin/api/save_email", &[("kind", kind), ("locale", locale), ("subject", subject), ("body", body), ("action", action)])
}

fn saved(app: &Worker, school: &School, kind: &str) -> i64 {
    app.sql_count(&format!("SELECT COUNT(*) AS n FROM email_templates t JOIN schools s ON s.id = t.school_id WHERE s.slug = '{}' AND t.kind = '{kind}'", school.slug))
}

fn named_student(school: &mut School, course: i64, email: &str, first: &str, last: &str, locale: &str) -> String {
    school.add_student(course, email, false);
    let id = school.student_id(email).to_string();
    let r = school.owner.post("/admin/api/save_student_profile", &[("id", &id), ("first_name", first), ("last_name", last), ("locale", locale), ("note", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    id
}

#[test]
fn each_kind_refuses_unknown_fields_previews_with_a_real_student_sends_a_test_and_resets() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    school.create_lesson(course, "Les pinceaux", "Un.", "published");
    let lea = format!("lea-{}@example.com", school.slug);
    named_student(&mut school, course, &lea, "Léa", "Martin", "fr");

    let list = school.owner.get("/admin/settings/emails").body;
    for (kind, _) in KINDS {
        assert!(list.contains(&format!("/admin/settings/emails/{kind}?lang=fr")), "{kind} listed");
    }
    assert_eq!(list.matches("Texte par défaut").count(), 12, "six kinds, two languages, none edited");
    assert!(school.owner.get("/admin/settings").body.contains("/admin/settings/emails"), "reached from the settings");

    for (kind, fields) in KINDS {
        let page = format!("/admin/settings/emails/{kind}?lang=fr");
        let editor = school.owner.get(&page).body;
        assert!(editor.contains("<iframe") && editor.contains("Léa"), "{kind}: the default previewed with the newest student");

        // An unknown field: refused with its name, nothing saved, what was typed kept.
        let body = format!("Bonjour {{{{prenom}}}}, {fields}");
        let r = save(&mut school, kind, "fr", "Salut {{first_name}}", &body, "save");
        assert!(r.location().contains("error=email_unknown_fields"), "{kind}: {}", r.location());
        let refused = school.owner.get(&r.location()).body;
        assert!(refused.contains("Cet e-mail ne connaît pas ces champs : {{prenom}}"), "{kind}: the field named");
        assert!(refused.contains("Bonjour {{prenom}}"), "{kind}: the text kept");
        assert_eq!(saved(app, &school, kind), 0, "{kind}: nothing saved");
        // A field of another kind is unknown here too.
        if kind != "certificate" {
            assert!(save(&mut school, kind, "fr", "x", "{{certificate_link}}", "save").location().contains("error=email_unknown_fields"), "{kind}");
        }
        assert!(save(&mut school, kind, "fr", " ", "x", "save").location().contains("error=email_subject_required"));

        // The preview of the typed text, with the newest student's data; not saved.
        let subject = format!("Pour {{{{first_name}}}} ({kind})");
        let body = format!("Chère {{{{first_name}}}} {{{{last_name}}}},\n\n{fields}\n\nÀ bientôt");
        let r = save(&mut school, kind, "fr", &subject, &body, "preview");
        assert!(r.location().contains("preview=1"), "{kind}: {}", r.location());
        let preview = school.owner.get(&r.location()).body;
        assert!(preview.contains(&format!("Pour Léa ({kind})")), "{kind}: the subject filled");
        assert!(preview.contains("Chère Léa Martin,"), "{kind}: the text filled (in the preview's document)");
        assert!(!preview.contains("{{first_name}}</p>") && !preview.contains("@@first_name@@"), "{kind}: no field left");
        assert_eq!(saved(app, &school, kind), 0, "{kind}: a preview saves nothing");

        // A test to the creator, with the same data.
        let before = app.mails(&school.owner_email).len();
        let r = save(&mut school, kind, "fr", &subject, &body, "test");
        assert!(r.location().contains("ok=email_test_sent"), "{kind}: {}", r.location());
        assert_eq!(app.mails(&school.owner_email).len(), before + 1, "{kind}: one test");
        let test = app.latest_mail(&school.owner_email);
        assert_eq!(test.subject, format!("[Test] Pour Léa ({kind})"));
        assert!(test.text.starts_with("Chère Léa Martin,") && !test.text.contains("{{") && !test.text.contains("/login/link/"), "{kind}: {}", test.text);

        // Saved, shown as the school's text; then reset to the default.
        assert!(save(&mut school, kind, "fr", &subject, &body, "save").location().contains("ok=saved"));
        assert_eq!(saved(app, &school, kind), 1);
        assert!(school.owner.get(&page).body.contains("Votre texte"));
        let r = save(&mut school, kind, "fr", "", "", "reset");
        assert!(r.location().contains("ok=email_reset_done"), "{kind}: {}", r.location());
        assert_eq!(saved(app, &school, kind), 0, "{kind}: reset");
        assert!(school.owner.get(&page).body.contains("Texte par défaut"));
    }

    // Only the school's owner edits them; another school sees nothing of this one's.
    assert!(save(&mut school, "invitation", "fr", "À nous {{first_name}}", "{{login_link}}", "save").location().contains("ok=saved"));
    let mut other = open_school(app);
    assert_eq!(other.owner.get("/admin/settings/emails").body.matches("Texte par défaut").count(), 12, "another school's are its own");
    assert!(!other.owner.get("/admin/settings/emails/invitation?lang=fr").body.contains("À nous"));
    let mut student = login_with_code(app, &app.school_host(&school.slug), &lea);
    assert_eq!(student.post("/admin/api/save_email", &[("kind", "invitation"), ("locale", "fr"), ("subject", "x"), ("body", "y"), ("action", "save")]).status, 403);
    assert_eq!(saved(app, &school, "invitation"), 1, "the student changed nothing");
}

#[test]
fn students_receive_the_schools_text_with_every_field_filled_in_their_language() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let lesson = school.create_lesson(course, "Les pinceaux", "Un.", "published");
    let invitation = "Chère {{first_name}} {{last_name}},\n\n{{school_name}} vous attend pour « {{course_title}} ».\n\nEntrez :\n{{login_link}}\n\nCode : {{login_code}}";
    assert!(save(&mut school, "invitation", "fr", "{{first_name}}, votre place à {{course_title}}", invitation, "save").location().contains("ok=saved"));
    assert!(save(&mut school, "reminder", "fr", "Revenez, {{first_name}}", "Votre lien :\n{{login_link}}", "save").location().contains("ok=saved"));
    assert!(save(&mut school, "certificate", "fr", "Bravo {{first_name}} !", "Votre certificat « {{course_title}} » :\n{{certificate_link}}", "save").location().contains("ok=saved"));

    // The invitation: every field filled, the link the button, the code usable.
    let lea = format!("lea-{}@example.com", school.slug);
    let id = named_student(&mut school, course, &lea, "Léa", "Martin", "fr");
    let r = school.owner.post("/admin/api/send_invitation", &[("course_id", &course.to_string()), ("user_id", &id)]);
    assert!(r.location().contains("ok="), "{}", r.location());
    let mail = app.latest_mail(&lea);
    assert_eq!(mail.subject, "Léa, votre place à Aquarelle");
    assert!(mail.text.starts_with("Chère Léa Martin,") && mail.text.contains("« Aquarelle »"), "{}", mail.text);
    assert!(!mail.text.contains("{{") && !mail.text.contains("@@"), "{}", mail.text);
    assert!(mail.html.contains("Chère Léa Martin,") && mail.html.contains("href=\"http"), "the button");
    // The link and the code of a real invitation work.
    let mut phone = app.client(&app.school_host(&school.slug));
    assert!(phone.get(&mail.link_path()).body.contains("form"), "the link opens");
    let code = mail.code();
    let r = phone.post("/api/verify_code", &[("email", &lea), ("code", &code), ("next", "/")]);
    assert!(r.status == 303 && phone.has_session(), "the code logs in: {}", r.location());

    // An English student gets the English default (the school wrote French only); a student
    // without a name is greeted without a gap.
    let ann = format!("ann-{}@example.com", school.slug);
    let ann_id = named_student(&mut school, course, &ann, "Ann", "", "en");
    school.owner.post("/admin/api/send_invitation", &[("course_id", &course.to_string()), ("user_id", &ann_id)]);
    let mail = app.latest_mail(&ann);
    assert!(mail.subject.starts_with("Welcome to") && mail.text.starts_with("Hello Ann,"), "{} / {}", mail.subject, mail.text);
    let nameless = format!("x-{}@example.com", school.slug);
    school.add_student(course, &nameless, true);
    let mail = app.latest_mail(&nameless);
    assert!(mail.text.starts_with("Chère,\n"), "no gap where the names would be: {}", mail.text);
    assert!(!mail.text.contains("@@"), "{}", mail.text);

    // The access reminder.
    let r = school.owner.post("/admin/api/send_access_reminder", &[("id", &id)]);
    assert!(r.location().contains("ok=reminder_sent"), "{}", r.location());
    let mail = app.latest_mail(&lea);
    assert_eq!(mail.subject, "Revenez, Léa");
    assert!(mail.link_path().starts_with("/login/link/"), "{}", mail.text);

    // The certificate, once the course is finished.
    let mut student = login_with_code(app, &app.school_host(&school.slug), &lea);
    let r = student.post("/api/mark_complete", &[("slug", "aquarelle"), ("lesson_id", &lesson.to_string())]);
    assert_eq!(r.status, 303);
    let mail = app.latest_mail(&lea);
    assert_eq!(mail.subject, "Bravo Léa !");
    assert!(mail.text.contains("Votre certificat « Aquarelle »") && mail.text.contains("/certificates/"), "{}", mail.text);

    // The assignment reviewed: the result, the comment and the lesson's link filled.
    let task_lesson = school.create_lesson(course, "Premier lavis", "Peignez un ciel.", "published");
    let (c, l) = (course.to_string(), task_lesson.to_string());
    let r = school.owner.post("/admin/api/save_task", &[("course_id", c.as_str()), ("lesson_id", l.as_str()), ("kind", "assignment"), ("prompt", "Une photo."), ("answer_kind", "text"), ("review_required", "on")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    assert!(save(&mut school, "review", "fr", "{{lesson_title}} : corrigé", "{{result}}\n\n{{comment}}\n\n{{lesson_link}}", "save").location().contains("ok=saved"));
    let r = student.post("/api/submit_assignment", &[("slug", "aquarelle"), ("lesson_id", &l), ("text", "Mon ciel")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    let submission = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {task_lesson}"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/review_submission", &[("id", &submission), ("decision", "approve"), ("comment", "Superbe ciel")]);
    assert!(r.location().contains("ok=review_approved"), "{}", r.location());
    let mail = app.latest_mail(&lea);
    assert_eq!(mail.subject, "Premier lavis : corrigé");
    assert!(mail.text.contains("Superbe ciel") && mail.link_path().starts_with("/login/link/") && !mail.text.contains("{{"), "{}", mail.text);

    // Reset: the default comes back for the next invitation.
    save(&mut school, "invitation", "fr", "", "", "reset");
    school.owner.post("/admin/api/send_invitation", &[("course_id", &course.to_string()), ("user_id", &id)]);
    let mail = app.latest_mail(&lea);
    assert!(mail.subject.starts_with("Bienvenue à") && mail.text.starts_with("Bonjour Léa,"), "{} / {}", mail.subject, mail.text);
    assert!(!mail.text.contains("ignore"), "a welcome, not a login code: {}", mail.text);
}

#[test]
fn the_new_lessons_email_is_the_schools_and_keeps_its_way_out() {
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let course = school.create_course("Marathon", "marathon", "published");
    school.create_lesson(course, "Accueil", "a", "published");
    school.create_scheduled_lesson(course, "Deuxième étape", "b", "published", &[("open_rule", "days"), ("open_days", "1"), ("open_time", "09:00")]);
    let anna = format!("anna-{}@example.com", school.slug);
    named_student(&mut school, course, &anna, "Anna", "K", "fr");
    assert!(save(&mut school, "digest", "fr", "Du nouveau, {{first_name}}", "Voici :\n{{lessons}}\n\n{{login_link}}", "save").location().contains("ok=saved"));
    let r = app.client(&app.platform_host()).post(&format!("/_dev/digest?now={}", now_ms() + 2 * DAY_MS), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let mail = app.latest_mail(&anna);
    assert_eq!(mail.subject, "Du nouveau, Anna");
    assert!(mail.text.contains("Voici :") && mail.text.contains("- Deuxième étape"), "{}", mail.text);
    assert!(mail.link_path().starts_with("/login/link/"));
    assert!(mail.text.trim_end().ends_with("ne plus recevoir ces e-mails") || mail.text.contains("Mon compte"), "the way out stays: {}", mail.text);
    app.stop();
}
