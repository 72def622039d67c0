//! Offers and free sign-up (issue 15), black-box through the real worker.

use atelier_tests::*;

/// A published course with two published lessons, and a free offer on it: (course, first lesson, offer id).
fn course_with_free_offer(school: &mut School, slug: &str, form: &[(&str, &str)]) -> (i64, i64, i64) {
    let course = school.create_course("Aquarelle", slug, "published");
    let first = school.create_lesson(course, "Premiers pas", "Bonjour", "published");
    school.create_lesson(course, "Les couleurs", "Suite", "published");
    let offer = save_offer(school, course, "", form);
    (course, first, offer)
}

/// Saves an offer (`id` empty: a new one) and returns its id.
fn save_offer(school: &mut School, course: i64, id: &str, extra: &[(&str, &str)]) -> i64 {
    let c = course.to_string();
    let mut form: Vec<(&str, &str)> = vec![("course_id", &c), ("offer_id", id), ("name", "Découverte"), ("summary", "Tout le cours"), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let r = school.owner.post("/admin/api/save_offer", &form);
    assert!(r.location().contains("ok=offer_saved"), "{}", r.location());
    let page = school.owner.get(&format!("/admin/courses/{course}")).body;
    page.match_indices("name=\"offer_id\" value=\"").filter_map(|(at, m)| page[at + m.len()..].split('"').next()?.parse().ok()).max().expect("the offer is listed")
}

#[test]
fn a_visitor_joins_a_free_offer_with_email_and_code_and_lands_on_the_first_lesson() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (_, first, offer) = course_with_free_offer(&mut school, "aquarelle", &[("access_kind", "days"), ("access_days", "30")]);
    let host = app.school_host(&school.slug);
    let mut visitor = app.client(&host);

    // The public page shows the offer, its access and a form to join.
    let page = visitor.get("/courses/aquarelle").body;
    assert!(page.contains("Découverte") && page.contains("Gratuit") && page.contains("Accès pendant 30 jours"), "{page}");
    assert!(page.contains("action=\"/api/join_offer\"") && page.contains(&format!("value=\"{offer}\"")), "{page}");

    // Step 1: the email. The account exists, but nothing is open yet.
    let email = format!("visitor-{}@example.com", school.slug);
    let r = visitor.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", &email)]);
    let to = r.location();
    assert!(to.starts_with("/login/code?email=") && to.contains(&format!("next=%2Fcourses%2Faquarelle%2Flessons%2F{first}")), "{to}");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'")), 0, "not enrolled before the email is confirmed");
    let lesson = visitor.get(&format!("/courses/aquarelle/lessons/{first}"));
    assert!(!lesson.body.contains("Bonjour"), "the lesson stays closed");

    // Step 2: the code from the email. Enrolled, logged in, on the first lesson.
    let code = app.latest_mail(&email).code();
    let r = visitor.post("/api/verify_code", &[("email", &email), ("code", &code), ("next", &format!("/courses/aquarelle/lessons/{first}"))]);
    assert_eq!(r.location(), format!("/courses/aquarelle/lessons/{first}"));
    assert!(visitor.has_session());
    assert!(visitor.get(&format!("/courses/aquarelle/lessons/{first}")).body.contains("Bonjour"));
    let rows = app.sql_rows(&format!(
        "SELECT e.offer_id, e.access_end - e.access_start AS length FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"
    ));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["offer_id"].as_i64(), Some(offer));
    // 30 days from the request (the enrollment starts a moment later, at the code).
    let length = rows[0]["length"].as_i64().unwrap();
    assert!((29 * 86_400_000..=30 * 86_400_000).contains(&length), "{length}");
    // The course page no longer offers to join.
    assert!(!visitor.get("/courses/aquarelle").body.contains("/api/join_offer"));
}

#[test]
fn the_emailed_link_enrols_too_even_in_another_browser() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (_, first, offer) = course_with_free_offer(&mut school, "liens", &[]);
    let host = app.school_host(&school.slug);
    let email = format!("link-{}@example.com", school.slug);
    let mut asked = app.client(&host);
    asked.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", &email)]);
    // The email is opened on the phone: the link page, then its confirm button.
    let mut phone = app.client(&host);
    let link = app.latest_mail(&email).link_path();
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(phone.get(&link).status, 200);
    let r = phone.post("/api/confirm_link", &[("token", &token)]);
    assert_eq!(r.location(), format!("/courses/liens/lessons/{first}"));
    assert!(phone.get(&format!("/courses/liens/lessons/{first}")).body.contains("Bonjour"));
}

#[test]
fn a_logged_in_student_joins_in_one_tap_and_a_second_tap_changes_nothing() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (course, first, offer) = course_with_free_offer(&mut school, "un-geste", &[]);
    let other = school.create_course("Autre", "autre", "published");
    let email = format!("known-{}@example.com", school.slug);
    school.add_student(other, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    let page = student.get("/courses/un-geste").body;
    assert!(page.contains("Rejoindre gratuitement") && !page.contains("name=\"email\""), "one button, no email field");
    let r = student.post("/api/join_offer", &[("offer_id", &offer.to_string())]);
    assert_eq!(r.location(), format!("/courses/un-geste/lessons/{first}?ok=offer_joined"));
    let r = student.post("/api/join_offer", &[("offer_id", &offer.to_string())]);
    assert_eq!(r.location(), format!("/courses/un-geste/lessons/{first}?ok=offer_already_in"));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments WHERE course_id = {course}")), 1);
}

#[test]
fn closed_full_and_ended_offers_cannot_be_joined_and_say_why() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (course, _, offer) = course_with_free_offer(&mut school, "limites", &[("seats", "1")]);
    let host = app.school_host(&school.slug);
    let offer_s = offer.to_string();
    // The only seat goes to the first student who confirms.
    let first = format!("first-{}@example.com", school.slug);
    let other = school.create_course("Autre", "autre", "published");
    school.add_student(other, &first, false);
    let mut a = login_with_code(app, &host, &first);
    assert!(a.post("/api/join_offer", &[("offer_id", &offer_s)]).location().contains("ok=offer_joined"));
    let mut visitor = app.client(&host);
    assert!(visitor.get("/courses/limites").body.contains("Cette offre est complète."));
    let r = visitor.post("/api/join_offer", &[("offer_id", &offer_s), ("email", "late@example.com")]);
    assert!(r.location().starts_with("/courses/limites?error=offer_full"), "{}", r.location());
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM login_requests WHERE email = 'late@example.com'"), 0, "no code sent for a full offer");

    // Closed: not on the page, refused if posted anyway.
    save_offer(&mut school, course, &offer_s, &[("open", "")]);
    assert!(!visitor.get("/courses/limites").body.contains("Découverte"));
    let r = visitor.post("/api/join_offer", &[("offer_id", &offer_s), ("email", "late@example.com")]);
    assert!(r.location().starts_with("/courses/limites?error=offer_closed"), "{}", r.location());

    // Ended: a last day in the past.
    let ended = save_offer(&mut school, course, "", &[("access_kind", "until"), ("access_until", "2020-01-31")]);
    assert!(visitor.get("/courses/limites").body.contains("Cette offre est terminée."));
    let r = visitor.post("/api/join_offer", &[("offer_id", &ended.to_string()), ("email", "late@example.com")]);
    assert!(r.location().contains("error=offer_ended"), "{}", r.location());
}

#[test]
fn a_seat_taken_while_the_code_travels_is_not_given_twice() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (course, _, offer) = course_with_free_offer(&mut school, "course-au-siege", &[("seats", "1")]);
    let host = app.school_host(&school.slug);
    let (one, two) = (format!("one-{}@example.com", school.slug), format!("two-{}@example.com", school.slug));
    let (mut a, mut b) = (app.client(&host), app.client(&host));
    // Both ask while the seat is free; both get a code.
    a.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", &one)]);
    b.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", &two)]);
    for (c, email) in [(&mut a, &one), (&mut b, &two)] {
        let code = app.latest_mail(email).code();
        c.post("/api/verify_code", &[("email", email), ("code", &code)]);
        assert!(c.has_session(), "both are logged in");
    }
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments WHERE course_id = {course}")), 1, "one seat, one enrollment");
}

#[test]
fn offer_forms_refuse_bad_input_with_a_message_and_keep_what_was_typed() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Formulaire", "formulaire", "draft");
    let c = course.to_string();
    let post = |school: &mut School, extra: &[(&str, &str)]| {
        let mut form: Vec<(&str, &str)> = vec![("course_id", &c), ("offer_id", ""), ("name", "Essentiel"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")];
        for (k, v) in extra {
            form.retain(|(key, _)| key != k);
            form.push((k, v));
        }
        school.owner.post("/admin/api/save_offer", &form).location()
    };
    for (field, value, key) in [("name", " ", "offer_name_required"), ("price", "12,345", "price_invalid"), ("price", "49", "offer_paid_needs_payments"), ("seats", "0", "offer_seats_invalid")] {
        let to = post(&mut school, &[(field, value)]);
        assert!(to.contains(&format!("error={key}")) && to.contains("offer_name="), "{field}: {to}");
    }
    let to = post(&mut school, &[("access_kind", "days"), ("access_days", "0")]);
    assert!(to.contains("error=offer_days_invalid"), "{to}");
    let page = school.owner.get(&format!("/admin/courses/{course}?error=price_invalid&offer_name=Essentiel&offer_price=12%2C345#offers")).body;
    assert!(page.contains("Le prix est un montant comme 49 ou 49,90.") && page.contains("value=\"12,345\""), "the message and the typed price");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM offers WHERE course_id = {course}")), 0, "nothing saved");
}

#[test]
fn another_schools_offer_is_unreachable() {
    let app = spawn_app();
    let mut mine = open_school(app);
    let (_, _, offer) = course_with_free_offer(&mut mine, "a-moi", &[]);
    let mut theirs = open_school(app);
    theirs.create_course("Chez eux", "chez-eux", "published");
    let mut visitor = app.client(&app.school_host(&theirs.slug));
    let r = visitor.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", "x@example.com")]);
    assert_eq!(r.status, 404, "{}", r.body);
    // Nor can their owner edit it.
    let r = theirs.owner.post("/admin/api/save_offer", &[("course_id", "1"), ("offer_id", &offer.to_string()), ("name", "Pris"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")]);
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM offers WHERE id = {offer} AND name = 'Découverte'")), 1);
}

#[test]
fn an_offer_on_request_waits_for_the_creator_who_approves_or_declines_and_the_student_is_emailed() {
    let app = spawn_app();
    let mut school = open_school(app);
    let (course, first, offer) = course_with_free_offer(&mut school, "sur-demande", &[("on_request", "on")]);
    let host = app.school_host(&school.slug);
    let mut visitor = app.client(&host);
    assert!(visitor.get("/courses/sur-demande").body.contains("Demander à rejoindre"));

    // Two visitors ask and confirm their email: logged in, asked, not enrolled.
    let (yes, no) = (format!("oui-{}@example.com", school.slug), format!("non-{}@example.com", school.slug));
    for email in [&yes, &no] {
        let mut c = app.client(&host);
        let r = c.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", email)]);
        assert!(r.location().contains("next=%2Fcourses%2Fsur-demande%3Fok%3Doffer_requested"), "{}", r.location());
        let code = app.latest_mail(email).code();
        let r = c.post("/api/verify_code", &[("email", email), ("code", &code), ("next", "/courses/sur-demande?ok=offer_requested")]);
        assert_eq!(r.location(), "/courses/sur-demande?ok=offer_requested");
        assert!(c.get("/courses/sur-demande?ok=offer_requested").body.contains("Votre demande est envoyée"));
        assert!(!c.get(&format!("/courses/sur-demande/lessons/{first}")).body.contains("Bonjour"), "nothing open before approval");
    }
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments WHERE course_id = {course}")), 0);

    // The creator sees both on the students page.
    let page = school.owner.get("/admin/students").body;
    assert!(page.contains("2 demandes d’inscription") && page.contains(&yes) && page.contains(&no), "{page}");
    let id_of = |email: &str| app.sql_rows(&format!("SELECT r.id FROM join_requests r JOIN users u ON u.id = r.user_id WHERE u.email = '{email}'"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/decide_join_request", &[("id", &id_of(&yes)), ("decision", "approve")]);
    assert_eq!(r.location(), "/admin/students?ok=join_request_approved#requests");
    let r = school.owner.post("/admin/api/decide_join_request", &[("id", &id_of(&no)), ("decision", "decline")]);
    assert_eq!(r.location(), "/admin/students?ok=join_request_declined#requests");
    // A second click on a decided request changes nothing.
    let r = school.owner.post("/admin/api/decide_join_request", &[("id", &id_of(&no)), ("decision", "approve")]);
    assert!(r.location().contains("ok=join_request_done"), "{}", r.location());
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.course_id = {course} AND u.email = '{yes}' AND e.offer_id = {offer}")), 1);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{no}'")), 0);

    // The approved student gets the school's invitation to the course (its own words, issue
    // 18); its link opens the course. The declined one is told so.
    let approved = app.latest_mail(&yes);
    assert!(approved.subject.starts_with("Bienvenue à") && approved.text.contains("vous ouvre les portes de « "), "{} / {}", approved.subject, approved.text);
    assert!(approved.link_path().starts_with("/login/link/"), "{}", approved.text);
    let mut phone = app.client(&host);
    let token = approved.link_path().rsplit('/').next().unwrap().to_string();
    phone.get(&approved.link_path());
    let r = phone.post("/api/confirm_link", &[("token", &token)]);
    assert_eq!(r.location(), "/courses/sur-demande");
    assert!(phone.get(&format!("/courses/sur-demande/lessons/{first}")).body.contains("Bonjour"));
    let declined = app.latest_mail(&no);
    assert!(declined.text.contains("n’a pas été acceptée"), "{}", declined.text);
    assert!(!school.owner.get("/admin/students").body.contains("id=\"requests\""), "no request left");
}
