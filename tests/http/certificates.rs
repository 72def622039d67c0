//! Completion and certificates (issue 17, item 4) through the real worker: finishing the
//! last lesson issues exactly one certificate (twice, or from two requests at once), the
//! completion page, the public verification page and its PDF, approvals that finish a
//! course, the creator's template (unknown fields refused), reissue one / all with notice,
//! certificates turned off, and the certificate on the student's page and in reports.

use atelier_tests::*;

fn lesson_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

fn student(app: &Worker, school: &mut School, course: i64, who: &str) -> (String, Client) {
    let email = format!("{who}-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let id = school.student_id(&email).to_string();
    // A name for the certificate (as the creator's import or the student would give it).
    let r = school.owner.post("/admin/api/save_student_profile", &[("id", &id), ("first_name", "Jeanne"), ("last_name", &format!("Doe-{who}")), ("locale", ""), ("note", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let client = login_with_code(app, &app.school_host(&school.slug), &email);
    (email, client)
}

fn complete(c: &mut Client, slug: &str, lesson: i64) -> Response {
    c.post("/api/mark_complete", &[("slug", slug), ("lesson_id", &lesson.to_string())])
}

fn certificate_id(app: &Worker, email: &str) -> String {
    let rows = app.sql_rows(&format!("SELECT c.id FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = '{email}'"));
    assert_eq!(rows.len(), 1, "one certificate for {email}: {rows:?}");
    rows[0]["id"].as_str().unwrap().to_string()
}

fn count(app: &Worker, email: &str, what: &str) -> i64 {
    match what {
        "certificates" => app.sql_count(&format!("SELECT COUNT(*) AS n FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = '{email}'")),
        "notifications" => app.sql_count(&format!("SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = '{email}' AND n.kind = 'certificate'")),
        "emails" => app.sql_count(&format!("SELECT COUNT(*) AS n FROM outbox WHERE to_addr = '{email}' AND kind = 'certificate'")),
        _ => unreachable!(),
    }
}

#[test]
fn finishing_the_last_lesson_issues_exactly_one_certificate() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle 101", "aquarelle", "published");
    let l1 = school.create_lesson(course, "Les pinceaux", "Un.", "published");
    let l2 = school.create_lesson(course, "Le lavis", "Deux.", "published");
    let (email, mut jeanne) = student(app, &mut school, course, "jeanne");

    // Halfway: no certificate, the next lesson.
    let r = complete(&mut jeanne, "aquarelle", l1);
    assert_eq!((r.status, r.location()), (303, lesson_path("aquarelle", l2)));
    assert_eq!(count(app, &email, "certificates"), 0);
    assert_eq!(jeanne.get("/courses/aquarelle/completed").location(), "/courses/aquarelle", "not finished: back to the course");

    // The last lesson: congratulations, and one certificate, told once.
    let r = complete(&mut jeanne, "aquarelle", l2);
    assert_eq!((r.status, r.location()), (303, "/courses/aquarelle/completed".to_string()));
    let page = jeanne.get("/courses/aquarelle/completed");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Félicitations, Jeanne") && page.body.contains("Vous avez terminé « Aquarelle 101 »"), "{}", page.body);
    let id = certificate_id(app, &email);
    assert_eq!(id.len(), 32, "128 random bits");
    assert!(page.body.contains(&format!("href=\"/certificates/{id}.pdf\"")) && page.body.contains("<svg"));
    assert!(page.body.contains("Jeanne Doe-jeanne"), "the name is on the sheet");
    assert_eq!((count(app, &email, "notifications"), count(app, &email, "emails")), (1, 1));
    let mail = app.latest_mail(&email);
    assert!(mail.subject.contains("Aquarelle 101") && mail.text.contains(&format!("/certificates/{id}")), "{mail:?}");
    // The lesson and the course page say it is finished and lead to it.
    assert!(jeanne.get(&lesson_path("aquarelle", l1)).body.contains("href=\"/courses/aquarelle/completed\""));
    assert!(jeanne.get("/courses/aquarelle").body.contains("href=\"/courses/aquarelle/completed\""));
    // The dashboard lists it as completed, with its certificate.
    let home = jeanne.get("/").body;
    let completed = home.split("cards expired").nth(1).unwrap_or("");
    assert!(completed.contains("Aquarelle 101") && completed.contains(&format!("href=\"/certificates/{id}\"")), "{home}");

    // Completing again (or opening the page again) issues nothing more.
    assert_eq!(complete(&mut jeanne, "aquarelle", l2).location(), "/courses/aquarelle/completed");
    jeanne.get("/courses/aquarelle/completed");
    assert_eq!((count(app, &email, "certificates"), count(app, &email, "notifications"), count(app, &email, "emails")), (1, 1, 1));
    assert_eq!(certificate_id(app, &email), id, "the same certificate");

    // Two requests finishing the course at once (two devices): one certificate, told once.
    let (email2, mut phone) = student(app, &mut school, course, "paul");
    complete(&mut phone, "aquarelle", l1);
    let laptop = login_with_code(app, &app.school_host(&school.slug), &email2);
    let racers: Vec<_> = [phone, laptop]
        .into_iter()
        .map(|mut c| std::thread::spawn(move || complete(&mut c, "aquarelle", l2).location()))
        .collect();
    for r in racers {
        assert_eq!(r.join().unwrap(), "/courses/aquarelle/completed");
    }
    assert_eq!((count(app, &email2, "certificates"), count(app, &email2, "notifications"), count(app, &email2, "emails")), (1, 1, 1));
}

#[test]
fn the_verification_page_shows_only_what_it_should_and_the_pdf_downloads() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Céramique", "ceramique", "published");
    let l1 = school.create_lesson(course, "Tourner", "Un.", "published");
    let (email, mut jeanne) = student(app, &mut school, course, "lea");
    complete(&mut jeanne, "ceramique", l1);
    let id = certificate_id(app, &email);

    // A visitor (an employer) with the address: the sentence that verifies it, nothing more.
    let host = app.school_host(&school.slug);
    let mut visitor = app.client(&host);
    let page = visitor.get(&format!("/certificates/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ce certificat a été délivré à Jeanne Doe-lea pour « Céramique » le "), "{}", page.body);
    assert!(!page.body.contains(&email), "no email on a public page");
    assert!(!page.body.contains("certificate-url"), "sharing tools are the student's");
    assert!(page.body.contains("role=\"img\""), "the sheet is an image with its words for screen readers");
    // Unknown ids, malformed ids, and another school's host: not found.
    assert_eq!(visitor.get(&format!("/certificates/{}", "0".repeat(32))).status, 404);
    assert_eq!(visitor.get("/certificates/nope").status, 404);
    assert_eq!(visitor.get(&format!("/certificates/{}.pdf", "f".repeat(32))).status, 404);
    let other = open_school(app);
    assert_eq!(app.client(&app.school_host(&other.slug)).get(&format!("/certificates/{id}")).status, 404);
    assert_eq!(app.client(&app.school_host(&other.slug)).get(&format!("/certificates/{id}.pdf")).status, 404);

    // The PDF: a real file, named, with the certificate's words.
    let pdf = visitor.get(&format!("/certificates/{id}.pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").unwrap_or("").starts_with("attachment; filename=\"certificate-ceramique"));
    assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.bytes.ends_with(b"%%EOF\n") || pdf.bytes.ends_with(b"%%EOF"));
    let text = String::from_utf8_lossy(&pdf.bytes);
    // Text with accents is written as hex (WinAnsi bytes): the address is in the footer line.
    let hex: String = format!("/certificates/{id}").bytes().map(|b| format!("{b:02X}")).collect();
    assert!(text.contains("/WinAnsiEncoding") && text.contains(&hex), "the verification address is printed");
    // Its student's own view offers to share it.
    let own = jeanne.get(&format!("/certificates/{id}")).body;
    assert!(own.contains("certificate-url") && own.contains("linkedin.com/profile/add"));
}

#[test]
fn an_approval_that_finishes_the_course_issues_the_certificate() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Dessin", "dessin", "published");
    let l1 = school.create_lesson(course, "Croquis", "Un.", "published");
    let l2 = school.create_lesson(course, "Projet final", "Deux.", "published");
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &course.to_string()), ("lesson_id", &l2.to_string()), ("kind", "assignment"), ("prompt", "Votre dessin."), ("answer_kind", "text"), ("review_required", "on")],
    );
    assert_eq!(r.status, 303);
    let (email, mut jeanne) = student(app, &mut school, course, "ana");
    complete(&mut jeanne, "dessin", l1);
    let r = jeanne.post("/api/submit_assignment", &[("slug", "dessin"), ("lesson_id", &l2.to_string()), ("text", "Mon dessin")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    assert_eq!(count(app, &email, "certificates"), 0, "the answer waits for its review");
    let submission = app.sql_rows(&format!("SELECT id FROM submissions WHERE lesson_id = {l2}"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/review_submission", &[("id", &submission), ("decision", "approve"), ("comment", "Bravo")]);
    assert!(r.location().contains("ok=review_approved"), "{}", r.location());
    assert_eq!((count(app, &email, "certificates"), count(app, &email, "notifications")), (1, 1));
    assert!(jeanne.get("/notifications").body.contains("Votre certificat pour « Dessin » est prêt"));
}

#[test]
fn the_creator_designs_the_certificate_reissues_it_and_can_turn_it_off() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let l1 = school.create_lesson(course, "Respirer", "Un.", "published");
    let (email, mut jeanne) = student(app, &mut school, course, "mia");
    complete(&mut jeanne, "yoga", l1);
    let id = certificate_id(app, &email);
    let settings = format!("/admin/courses/{course}/certificate");
    let page = school.owner.get(&settings);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Certificat de réussite") && page.body.contains("1 certificat délivré") && page.body.contains(&format!("/certificates/{id}")));

    // An unknown field is refused with its name; what was typed comes back.
    let save = |owner: &mut Client, title: &str, body: &str, enabled: bool| {
        let c = course.to_string();
        let mut form = vec![("course_id", c.as_str()), ("title", title), ("body", body), ("signer_name", "Anne Martin"), ("signer_role", "Formatrice")];
        if enabled {
            form.push(("enabled", "on"));
        }
        owner.post("/admin/api/save_certificate_template", &form)
    };
    let r = save(&mut school.owner, "Diplôme", "Bravo {{prenom}} pour {{course_title}}", true);
    assert!(r.location().contains("error=certificate_unknown_fields"), "{}", r.location());
    let back = school.owner.get(&r.location()).body;
    assert!(back.contains("Le texte utilise des champs qui n’existent pas : {{prenom}}"), "{back}");
    assert!(back.contains("Bravo {{prenom}} pour {{course_title}}"), "the text typed is kept");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM certificate_templates WHERE course_id = {course}")), 0, "nothing saved");
    assert!(save(&mut school.owner, " ", "x", true).location().contains("error=certificate_title_required"));

    // Saved: issued certificates keep their words until reissued.
    let r = save(&mut school.owner, "Diplôme de yoga", "Bravo\n{{student_name}}\npour « {{course_title}} », le {{date}}.", true);
    assert!(r.location().contains("ok=certificate_template_saved"), "{}", r.location());
    assert!(school.owner.get(&settings).body.contains("1 a été délivré avant la dernière modification"));
    let public = format!("/certificates/{id}");
    assert!(!app.client(&app.school_host(&school.slug)).get(&public).body.contains("Diplôme de yoga"));
    // Reissue all, telling the student.
    let mails_before = app.mails(&email).len();
    let r = school.owner.post("/admin/api/reissue_certificates", &[("course_id", &course.to_string()), ("tell", "on"), ("back", &settings)]);
    assert!(r.location().contains("ok=certificates_reissued&count=1"), "{}", r.location());
    let sheet = app.client(&app.school_host(&school.slug)).get(&public).body;
    assert!(sheet.contains("Diplôme de yoga") && sheet.contains("Anne Martin") && sheet.contains("Mis à jour le"), "{sheet}");
    assert_eq!(certificate_id(app, &email), id, "the address stays");
    assert_eq!(app.mails(&email).len(), mails_before + 1);
    assert!(app.latest_mail(&email).subject.contains("mis à jour"));
    assert!(jeanne.get("/notifications").body.contains("Votre certificat pour « Yoga » a été mis à jour"));

    // One, from the student's page, without telling; it is in their history.
    let student_id = school.student_id(&email);
    let student_page = school.owner.get(&format!("/admin/students/{student_id}")).body;
    assert!(student_page.contains(&public) && student_page.contains("Yoga"));
    let r = school.owner.post("/admin/api/reissue_certificates", &[("id", &id), ("back", &format!("/admin/students/{student_id}#certificates"))]);
    assert_eq!(r.location(), format!("/admin/students/{student_id}?ok=certificates_reissued&count=1#certificates"));
    assert_eq!(app.mails(&email).len(), mails_before + 1, "not told this time");
    assert!(school.owner.get(&format!("/admin/students/{student_id}")).body.contains("» réédité."), "in the history");

    // The report lists it, and its CSV carries the address.
    assert!(school.owner.get(&format!("/admin/courses/{course}/report")).body.contains(&public));
    assert!(school.owner.get(&format!("/admin/courses/{course}/progress.csv")).body.contains(&public));

    // Turned off: a student who finishes is congratulated, without a certificate.
    assert!(save(&mut school.owner, "Diplôme de yoga", "{{student_name}}", false).location().contains("ok="));
    let (email2, mut paul) = student(app, &mut school, course, "paul");
    assert_eq!(complete(&mut paul, "yoga", l1).location(), "/courses/yoga/completed");
    let page = paul.get("/courses/yoga/completed").body;
    assert!(page.contains("Félicitations") && page.contains("Ce cours ne délivre pas de certificat."));
    assert_eq!(count(app, &email2, "certificates"), 0);
    // Another school's team cannot read or reissue these.
    let mut other = open_school(app);
    assert_eq!(other.owner.post("/admin/api/reissue_certificates", &[("id", &id)]).location().contains("count=0"), true);
}

#[test]
fn a_certificate_without_a_name_asks_its_student_for_one() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Piano", "piano", "published");
    let l1 = school.create_lesson(course, "Gammes", "Un.", "published");
    let email = format!("sansnom-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut c = login_with_code(app, &app.school_host(&school.slug), &email);
    complete(&mut c, "piano", l1);
    let id = certificate_id(app, &email);
    let page = c.get("/courses/piano/completed").body;
    let to_settings = format!("/account?next=%2Fcertificates%2F{id}#profile");
    assert!(page.contains("Votre certificat n’a pas encore de nom") && page.contains(&to_settings.replace('&', "&amp;")), "{page}");
    // The settings page carries where to come back to; saving a name puts it on the certificate.
    let settings = c.get(&to_settings.replace("#profile", "")).body;
    assert!(settings.contains(&format!("name=\"next\" value=\"/certificates/{id}\"")), "{settings}");
    let r = c.post("/api/save_profile", &[("first_name", "Hélène"), ("last_name", "Grimaud"), ("locale", ""), ("next", &format!("/certificates/{id}"))]);
    assert_eq!(r.location(), format!("/certificates/{id}"));
    let public = app.client(&app.school_host(&school.slug)).get(&format!("/certificates/{id}")).body;
    assert!(public.contains("délivré à Hélène Grimaud"), "{public}");
    // Once named, the name is the creator's to change (a reissue takes the profile's name).
    c.post("/api/save_profile", &[("first_name", "Quelqu’un"), ("last_name", "d’autre"), ("locale", "")]);
    assert!(app.client(&app.school_host(&school.slug)).get(&format!("/certificates/{id}")).body.contains("Hélène Grimaud"));
    // A next that leaves the school is not followed.
    let r = c.post("/api/save_profile", &[("first_name", "Hélène"), ("last_name", "Grimaud"), ("locale", ""), ("next", "https://evil.example/")]);
    assert_eq!(r.location(), "/account?ok=saved");
}

#[test]
fn the_directory_reissues_the_chosen_students_certificates() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Danse", "danse", "published");
    let l1 = school.create_lesson(course, "Pas de base", "Un.", "published");
    let (done, mut ana) = student(app, &mut school, course, "ana");
    complete(&mut ana, "danse", l1);
    let (not_done, _) = student(app, &mut school, course, "bea");
    let id = certificate_id(app, &done);
    let r = school.owner.post(
        "/admin/api/save_certificate_template",
        &[("course_id", &course.to_string()), ("enabled", "on"), ("title", "Diplôme de danse"), ("body", "{{student_name}}"), ("signer_name", ""), ("signer_role", "")],
    );
    assert!(r.location().contains("ok="), "{}", r.location());
    let ids = format!("ids={}&ids={}", school.student_id(&done), school.student_id(&not_done));
    let preview = school.owner.get(&format!("/admin/students/bulk?selection=ids&{ids}&action=reissue_certificates&course=danse&tell=on")).body;
    assert!(preview.contains("Refaire leurs certificats de « Danse »"), "{preview}");
    let before = app.mails(&done).len();
    let r = school.owner.post("/admin/api/bulk_run", &[("query", &format!("selection=ids&{ids}&action=reissue_certificates&course=danse&tell=on"))]);
    assert_eq!(r.status, 303, "{}", r.body);
    let result = school.owner.get(&r.location()).body;
    assert!(result.contains("pas de certificat pour ce cours"), "the student without one is listed as not done: {result}");
    assert!(app.client(&app.school_host(&school.slug)).get(&format!("/certificates/{id}")).body.contains("Diplôme de danse"));
    assert_eq!(app.mails(&done).len(), before + 1, "told");
    assert_eq!(count(app, &not_done, "certificates"), 0);
}
