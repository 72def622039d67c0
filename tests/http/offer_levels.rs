//! Offer levels, upgrades, tax-inclusive prices and the cached public page (issue 15),
//! black-box through the real worker and the local Stripe stand-in.

use atelier_tests::*;

const SECRET_KEY: &str = "sk_test_51AtelierStandinKey";

/// A course in two modules: "Bases" (two lessons, the second with an assignment the team
/// reviews) and "Avancé" (two lessons). Returns the course and its lessons in order.
struct Course {
    id: i64,
    lessons: [i64; 4],
}

fn course_in_modules(school: &mut School, slug: &str) -> Course {
    let id = school.create_course("Aquarelle", slug, "published");
    let lessons = [("Premiers pas", "Bases", "PREMIERS"), ("Les couleurs", "Bases", "COULEURS"), ("Les glacis", "Avancé", "GLACIS"), ("Le paysage", "Avancé", "PAYSAGE")].map(|(title, module, text)| {
        let l = school.create_lesson(id, title, text, "published");
        let r = school.owner.post("/admin/api/save_lesson_program", &[("course_id", &id.to_string()), ("lesson_id", &l.to_string()), ("module", module), ("duration_minutes", "")]);
        assert!(r.location().contains("ok=saved"), "{}", r.location());
        l
    });
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &id.to_string()), ("lesson_id", &lessons[1].to_string()), ("kind", "assignment"), ("prompt", "Peignez un ciel."), ("answer_kind", "either"), ("review_required", "on")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    Course { id, lessons }
}

fn connect_stripe(school: &mut School) {
    let r = school.owner.post("/admin/api/save_payment_settings", &[("secret_key", SECRET_KEY), ("webhook_secret", STANDIN_WEBHOOK_SECRET), ("currency", "EUR")]);
    assert_eq!(r.location(), "/admin/settings?ok=payments_saved#payments");
}

/// Saves a new open offer (forever) and returns its id.
fn offer(app: &Worker, school: &mut School, course: i64, name: &str, price: &str) -> i64 {
    let c = course.to_string();
    let form = [("course_id", c.as_str()), ("offer_id", ""), ("name", name), ("summary", ""), ("price", price), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on"), ("refund_ends_access", "on")];
    let r = school.owner.post("/admin/api/save_offer", &form);
    assert!(r.location().contains("ok=offer_saved"), "{}", r.location());
    app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course} AND name = '{name}'"))[0]["id"].as_i64().unwrap()
}

/// Sets what an offer includes (`includes`: all | chosen) and which assignments are reviewed.
fn level(school: &mut School, course: i64, offer: i64, includes: &str, modules: &[&str], lessons: &[i64], reviews: &str) -> Response {
    let (c, o) = (course.to_string(), offer.to_string());
    let ids: Vec<String> = lessons.iter().map(i64::to_string).collect();
    let mut form: Vec<(&str, &str)> = vec![("course_id", &c), ("offer_id", &o), ("includes", includes), ("reviews", reviews)];
    form.extend(modules.iter().map(|m| ("module[]", *m)));
    form.extend(ids.iter().map(|l| ("lesson[]", l.as_str())));
    school.owner.post("/admin/api/save_offer_level", &form)
}

/// A visitor joins a free offer with their email and the code: their logged-in client.
fn join_free(app: &Worker, school: &School, offer: i64, email: &str) -> Client {
    let mut visitor = app.client(&app.school_host(&school.slug));
    let r = visitor.post("/api/join_offer", &[("offer_id", &offer.to_string()), ("email", email)]);
    assert!(r.location().starts_with("/login/code?email="), "{}", r.location());
    let code = app.latest_mail(email).code();
    visitor.post("/api/verify_code", &[("email", email), ("code", &code)]);
    assert!(visitor.has_session());
    visitor
}

fn lesson(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

#[test]
fn a_student_reads_only_what_their_offer_includes_and_sees_where_the_rest_is() {
    let app = spawn_app();
    let mut school = open_school(app);
    let c = course_in_modules(&mut school, "niveaux");
    let [bases1, bases2, avance1, avance2] = c.lessons;
    let essentiel = offer(app, &mut school, c.id, "Essentiel", "");
    let complet = offer(app, &mut school, c.id, "Complet", "");
    // Choosing nothing is refused with its reason; the level stays as it was.
    let r = level(&mut school, c.id, essentiel, "chosen", &[], &[], "all");
    assert!(r.location().contains("error=offer_level_empty"), "{}", r.location());
    // Essentiel: the "Bases" module, plus a lesson of another course (ignored).
    let other = school.create_course("Autre", "autre-niveaux", "published");
    let foreign = school.create_lesson(other, "Ailleurs", "x", "published");
    let r = level(&mut school, c.id, essentiel, "chosen", &["Bases"], &[foreign], "none");
    assert!(r.location().contains("ok=offer_saved"), "{}", r.location());
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM offer_items WHERE offer_id = {essentiel} AND lesson_id = {foreign}")), 0);
    let admin = school.owner.get(&format!("/admin/courses/{}", c.id)).body;
    assert!(admin.contains("2 leçons sur 4") && admin.contains("Toutes les leçons"), "the levels are listed");

    let email = format!("essentiel-{}@example.com", school.slug);
    let mut student = join_free(app, &school, essentiel, &email);
    // The course page: the other module's lessons are "in the Complet offer", not links.
    let page = student.get("/courses/niveaux").body;
    assert!(page.contains("Dans l’offre « Complet »"), "{page}");
    assert!(!page.contains(&format!("href=\"{}\"", lesson("niveaux", avance1))), "not a link to its content");
    assert!(page.contains(&format!("href=\"{}\"", lesson("niveaux", bases1))));
    // The lesson itself: never its content, the way on to the offers.
    let locked = student.get(&lesson("niveaux", avance2)).body;
    assert!(!locked.contains("PAYSAGE") && locked.contains("Dans l’offre « Complet »") && locked.contains("/courses/niveaux#offers"), "{locked}");
    assert!(student.get(&lesson("niveaux", bases1)).body.contains("PREMIERS"));
    // Marking a lesson outside the offer done is refused like any closed lesson.
    let r = student.post("/api/mark_complete", &[("slug", "niveaux"), ("lesson_id", &avance1.to_string())]);
    assert_ne!(r.status, 200);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM completions WHERE lesson_id = {avance1}")), 0);

    // Essentiel's assignments are not reviewed: the answer is accepted as sent.
    let r = student.post("/api/submit_assignment", &[("slug", "niveaux"), ("lesson_id", &bases2.to_string()), ("text", "Mon ciel")]);
    assert!(r.location().contains("ok=answer_accepted"), "{}", r.location());

    // The dashboard counts only what the offer opens.
    let home = student.get("/").body;
    assert!(!home.contains("4 leçons") , "{home}");

    // The explainer says why, and moves the student to the whole course in one click.
    let why = school.owner.get(&format!("/admin/explain?email={email}&course=niveaux&lesson={avance1}")).body;
    assert!(why.contains("hors de l’offre de l’élève") && why.contains("Donner tout le cours"), "{why}");
    let id = school.student_id(&email);
    let enrollment = app.sql_rows(&format!("SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"))[0]["id"].as_i64().unwrap();
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &id.to_string()), ("enrollment_id", &enrollment.to_string()), ("action", "set_offer"), ("offer_id", "")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    assert!(student.get(&lesson("niveaux", avance1)).body.contains("GLACIS"));
    // Back to Essentiel from the student page (an offer of another course is refused).
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &id.to_string()), ("enrollment_id", &enrollment.to_string()), ("action", "set_offer"), ("offer_id", &essentiel.to_string())]);
    assert!(r.location().contains("ok=saved"));
    assert!(!student.get(&lesson("niveaux", avance1)).body.contains("GLACIS"));
    let student_page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert!(student_page.contains("name=\"offer_id\"") && student_page.contains("Tout le cours"), "the offer can be changed on the student page");

    // Complet (every lesson) reviews assignments: its student's answer waits for the team.
    let email2 = format!("complet-{}@example.com", school.slug);
    let mut second = join_free(app, &school, complet, &email2);
    assert!(second.get(&lesson("niveaux", avance2)).body.contains("PAYSAGE"));
    let r = second.post("/api/submit_assignment", &[("slug", "niveaux"), ("lesson_id", &bases2.to_string()), ("text", "Mon ciel")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
}

#[test]
fn the_creator_previews_the_course_as_a_student_of_each_offer() {
    let app = spawn_app();
    let mut school = open_school(app);
    let c = course_in_modules(&mut school, "apercu");
    let essentiel = offer(app, &mut school, c.id, "Essentiel", "");
    assert!(level(&mut school, c.id, essentiel, "chosen", &[], &[c.lessons[0]], "all").location().contains("ok=offer_saved"));
    let admin = school.owner.get(&format!("/admin/courses/{}", c.id)).body;
    assert!(admin.contains(&format!("/courses/apercu?as_offer={essentiel}")), "a preview link per offer");
    let preview = school.owner.get(&format!("/courses/apercu?as_offer={essentiel}")).body;
    assert!(preview.contains("Aperçu : le cours tel que le voit un nouvel élève de l’offre « Essentiel »"), "{preview}");
    assert!(preview.contains("Hors de votre offre"), "the other lessons are out (no other offer includes them): {preview}");
    assert!(preview.contains(&format!("href=\"{}\"", lesson("apercu", c.lessons[0]))));
    assert!(!preview.contains(&format!("href=\"{}\"", lesson("apercu", c.lessons[2]))));
    // Without the offer, the owner previews everything.
    let everything = school.owner.get("/courses/apercu").body;
    assert!(everything.contains(&format!("href=\"{}\"", lesson("apercu", c.lessons[2]))));
    // A visitor cannot use the preview.
    let visitor = app.client(&app.school_host(&school.slug)).get(&format!("/courses/apercu?as_offer={essentiel}")).body;
    assert!(!visitor.contains("Aperçu : le cours"));
    // The schedule's preview follows an offer's level too.
    let schedule = school.owner.get(&format!("/admin/courses/{}/schedule?offer={essentiel}", c.id)).body;
    assert!(schedule.contains("Hors de cette offre") && schedule.contains("name=\"offer\""), "{schedule}");
}

#[test]
fn an_upgrade_pays_the_difference_keeps_everything_and_a_refund_goes_back() {
    let app = spawn_app();
    let mut school = open_school(app);
    connect_stripe(&mut school);
    let c = course_in_modules(&mut school, "montee");
    let essentiel = offer(app, &mut school, c.id, "Essentiel", "29");
    let complet = offer(app, &mut school, c.id, "Complet", "99");
    assert!(level(&mut school, c.id, essentiel, "chosen", &["Bases"], &[], "all").location().contains("ok=offer_saved"));
    let buyer = format!("montee-{}@example.com", school.slug);
    let pay = |client: &mut Client, offer: i64| -> String {
        let r = client.post("/api/checkout", &[("offer_id", &offer.to_string()), ("email", &buyer)]);
        assert!(r.location().starts_with(&format!("{}/pay/cs_test_", standin().url())), "{} {}", r.location(), r.body);
        let session = r.location().rsplit('/').next().unwrap().to_string();
        let paid = standin().call("POST", &format!("/_standin/pay/{session}"));
        assert_eq!(paid["webhook_status"], 200, "{paid}");
        session
    };
    // Bought Essentiel (29 €) as a visitor, then logged in.
    let mut visitor = app.client(&app.school_host(&school.slug));
    pay(&mut visitor, essentiel);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &buyer);
    assert!(!student.get(&lesson("montee", c.lessons[2])).body.contains("GLACIS"));
    // The course page offers the upgrade, for the difference.
    let page = student.get("/courses/montee").body;
    assert!(page.contains("Passer à une offre supérieure") && page.contains("Passer à cette offre pour 70,00\u{a0}€"), "{page}");
    assert!(!page.contains("Passer à cette offre pour 29"), "not the offer they have");
    // Buying less than they have is refused.
    let r = student.post("/api/checkout", &[("offer_id", &essentiel.to_string())]);
    assert!(r.location().contains("error=offer_already_in"), "{}", r.location());
    // The upgrade: 70 € on the server, whatever the form says.
    let r = student.post("/api/checkout", &[("offer_id", &complet.to_string()), ("amount", "1")]);
    let session = r.location().rsplit('/').next().unwrap().to_string();
    let order = &app.sql_rows(&format!("SELECT amount_minor, upgrade_from FROM orders WHERE provider_session = '{session}'"))[0];
    assert_eq!((order["amount_minor"].as_i64(), order["upgrade_from"].as_i64()), (Some(7000), Some(essentiel)));
    assert!(!student.get(&lesson("montee", c.lessons[2])).body.contains("GLACIS"), "nothing before the webhook");
    let paid = standin().call("POST", &format!("/_standin/pay/{session}"));
    assert_eq!(paid["webhook_status"], 200);
    assert!(student.get(&lesson("montee", c.lessons[2])).body.contains("GLACIS"), "the upgrade opened the rest");
    assert!(student.get(&lesson("montee", c.lessons[0])).body.contains("PREMIERS"), "and kept what they had");
    let row = &app.sql_rows(&format!("SELECT e.offer_id, e.status, e.access_end FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{buyer}'"))[0];
    assert_eq!((row["offer_id"].as_i64(), row["status"].as_str(), row["access_end"].is_null()), (Some(complet), Some("active"), true));
    assert!(!student.get("/courses/montee").body.contains("Passer à une offre supérieure"), "nothing above Complet");

    // A full refund of the upgrade goes back to Essentiel; the access stays.
    let pi = app.sql_rows(&format!("SELECT payment_intent FROM orders WHERE provider_session = '{session}'"))[0]["payment_intent"].as_str().unwrap().to_string();
    let r = ureq::post(&format!("{}/v1/refunds", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).send_form(&[("payment_intent", &pi)]);
    assert!(r.is_ok());
    let row = &app.sql_rows(&format!("SELECT e.offer_id, e.status FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{buyer}'"))[0];
    assert_eq!((row["offer_id"].as_i64(), row["status"].as_str()), (Some(essentiel), Some("active")));
    assert!(!student.get(&lesson("montee", c.lessons[2])).body.contains("GLACIS"));
    assert!(student.get(&lesson("montee", c.lessons[0])).body.contains("PREMIERS"));
}

#[test]
fn prices_without_tax_have_it_added_by_stripe_and_the_order_still_matches() {
    let app = spawn_app();
    let mut school = open_school(app);
    connect_stripe(&mut school);
    let c = course_in_modules(&mut school, "taxes");
    let complet = offer(app, &mut school, c.id, "Complet", "50");
    let host = app.school_host(&school.slug);
    assert!(app.client(&host).get("/courses/taxes").body.contains("50,00\u{a0}€ TTC"), "tax-inclusive by default");
    let r = school.owner.post("/admin/api/save_tax_setting", &[]);
    assert!(r.location().contains("ok=payments_saved"));
    assert!(school.owner.get("/admin/settings").body.contains("name=\"tax_inclusive\""));
    assert!(app.client(&host).get("/courses/taxes").body.contains("50,00\u{a0}€ HT"), "the page says so at once");
    let buyer = format!("ht-{}@example.com", school.slug);
    let r = app.client(&host).post("/api/checkout", &[("offer_id", &complet.to_string()), ("email", &buyer)]);
    let session = r.location().rsplit('/').next().unwrap().to_string();
    let stripe: serde_json::Value = ureq::get(&format!("{}/v1/checkout/sessions/{session}", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).call().map(|r| serde_json::from_str(&r.into_string().unwrap()).unwrap()).unwrap();
    assert_eq!((stripe["tax_behavior"].as_str(), stripe["automatic_tax"]["enabled"].as_bool()), (Some("exclusive"), Some(true)), "{stripe}");
    assert_eq!((stripe["amount_subtotal"].as_i64(), stripe["amount_total"].as_i64()), (Some(5000), Some(6000)));
    let paid = standin().call("POST", &format!("/_standin/pay/{session}"));
    assert_eq!(paid["webhook_status"], 200);
    assert_eq!(app.sql_rows(&format!("SELECT status, amount_minor FROM orders WHERE provider_session = '{session}'"))[0]["status"], "paid");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{buyer}' AND e.status = 'active'")), 1);
}

#[test]
fn anonymous_visitors_get_the_course_page_from_the_cache_until_it_changes() {
    let app = spawn_app();
    let mut school = open_school(app);
    let c = course_in_modules(&mut school, "cache");
    let gratuit = offer(app, &mut school, c.id, "Découverte", "");
    let host = app.school_host(&school.slug);
    let mut first = app.client(&host);
    let r = first.get("/courses/cache");
    assert!(r.body.contains("Découverte"));
    let mut sources = vec![r.header("x-atelier-cache").unwrap_or("").to_string()];
    let mut second = app.client(&host);
    let r = second.get("/courses/cache");
    sources.push(r.header("x-atelier-cache").unwrap_or("").to_string());
    assert!(sources[1].starts_with("hit"), "the second visitor's page is cached: {sources:?}");
    // Its form carries the second visitor's own token, which their cookie holds.
    assert!(r.body.contains(&second.csrf()) && !r.body.contains(&first.csrf()), "each visitor their token");
    // Joining from the cached page works.
    let email = format!("cache-{}@example.com", school.slug);
    let r = second.post("/api/join_offer", &[("offer_id", &gratuit.to_string()), ("email", &email)]);
    assert!(r.location().starts_with("/login/code"), "{}", r.location());
    // A change the page shows supersedes it at once.
    let c_id = c.id.to_string();
    let g = gratuit.to_string();
    let form = [("course_id", c_id.as_str()), ("offer_id", g.as_str()), ("name", "Découverte gratuite"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")];
    assert!(school.owner.post("/admin/api/save_offer", &form).location().contains("ok=offer_saved"));
    let r = app.client(&host).get("/courses/cache");
    assert!(r.body.contains("Découverte gratuite"), "the new name at once");
    // Logged-in viewers and pages with places left are never served from it.
    let r = school.owner.get("/courses/cache");
    assert!(r.header("x-atelier-cache").is_none());
    let form = [("course_id", c_id.as_str()), ("offer_id", g.as_str()), ("name", "Découverte gratuite"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", "30"), ("open", "on")];
    assert!(school.owner.post("/admin/api/save_offer", &form).location().contains("ok=offer_saved"));
    app.client(&host).get("/courses/cache");
    let r = app.client(&host).get("/courses/cache");
    assert!(r.body.contains("Plus que 30 places") && r.header("x-atelier-cache") == Some("miss"), "places left are always current");
}

#[test]
fn the_digest_announces_only_lessons_of_the_students_offer() {
    let app = start_worker("dev");
    let mut school = open_school(&app);
    let course = school.create_course("Marathon", "marathon-niveaux", "published");
    school.create_lesson(course, "Accueil", "a", "published");
    let day1 = [("open_rule", "days"), ("open_days", "1"), ("open_time", "09:00")];
    let inside = school.create_scheduled_lesson(course, "Étape incluse", "b", "published", &day1);
    school.create_scheduled_lesson(course, "Étape premium", "c", "published", &day1);
    let essentiel = offer(&app, &mut school, course, "Essentiel", "");
    let first = app.sql_rows(&format!("SELECT id FROM lessons WHERE course_id = {course} AND title = 'Accueil'"))[0]["id"].as_i64().unwrap();
    assert!(level(&mut school, course, essentiel, "chosen", &[], &[first, inside], "all").location().contains("ok=offer_saved"));
    let email = format!("digest-{}@example.com", school.slug);
    join_free(&app, &school, essentiel, &email);
    let r = app.client(&app.platform_host()).post(&format!("/_dev/digest?now={}", now_ms() + 2 * DAY_MS), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let digest = app.mails(&email).into_iter().find(|m| m.subject.contains("nouvelles leçons") || m.subject.contains("New lessons")).expect("a digest");
    assert!(digest.text.contains("Étape incluse") && !digest.text.contains("Étape premium"), "{}", digest.text);
    app.stop();
}

/// `YYYY-MM-DD` of an instant (UTC), for date fields.
fn ymd(ms: i64) -> String {
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = ms.div_euclid(DAY_MS) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", yoe + era * 400 + (m <= 2) as i64)
}

#[test]
fn a_cohort_offer_starts_its_students_together_and_late_joiners_catch_up() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Marathon", "cohorte", "published");
    school.create_lesson(course, "Jour 0", "ZERO", "published");
    let day2 = school.create_scheduled_lesson(course, "Jour 2", "DEUX", "published", &[("open_rule", "days"), ("open_days", "2"), ("open_time", "09:00")]);
    let c = course.to_string();
    let save = |school: &mut School, name: &str, extra: &[(&str, &str)]| {
        let mut form: Vec<(&str, &str)> = vec![("course_id", &c), ("offer_id", ""), ("name", name), ("summary", ""), ("price", ""), ("access_kind", "days"), ("access_days", "30"), ("access_until", ""), ("seats", ""), ("open", "on")];
        form.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        form.extend_from_slice(extra);
        school.owner.post("/admin/api/save_offer", &form).location()
    };
    assert!(save(&mut school, "X", &[("cohort_start", "lundi")]).contains("error=offer_cohort_invalid"));
    let soon = ymd(now_ms() + 2 * DAY_MS);
    let later = ymd(now_ms() + 10 * DAY_MS);
    let to = save(&mut school, "X", &[("access_kind", "until"), ("access_until", &soon), ("cohort_start", &later)]);
    assert!(to.contains("error=offer_cohort_after_end") && to.contains("offer_name=X"), "{to}");

    // A cohort starting in ten days: its students wait for it, their 30 days count from it.
    assert!(save(&mut school, "Janvier", &[("cohort_start", &later)]).contains("ok=offer_saved"));
    let janvier = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course} AND name = 'Janvier'"))[0]["id"].as_i64().unwrap();
    assert!(app.client(&app.school_host(&school.slug)).get("/courses/cohorte").body.contains("Début le"), "the page says when it starts");
    let email = format!("janvier-{}@example.com", school.slug);
    let mut student = join_free(app, &school, janvier, &email);
    let row = &app.sql_rows(&format!("SELECT e.access_start, e.access_end FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"))[0];
    let (start, end) = (row["access_start"].as_i64().unwrap(), row["access_end"].as_i64().unwrap());
    // The cohort's first day at midnight in the school's time (Paris): between 9 and 10 days
    // from now whatever the hour (a date is whole days in UTC, midnight comes an hour earlier there).
    assert!(start > now_ms() + 8 * DAY_MS, "starts with the cohort");
    assert_eq!(end - start, 30 * DAY_MS);
    let page = student.get("/courses/cohorte").body;
    assert!(page.contains("Votre accès commence le") && !page.contains("action=\"/api/join_offer\""), "{page}");

    // A cohort that started five days ago: a late joiner finds day 2 open already.
    let past = ymd(now_ms() - 5 * DAY_MS);
    assert!(save(&mut school, "Novembre", &[("cohort_start", &past)]).contains("ok=offer_saved"));
    let novembre = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course} AND name = 'Novembre'"))[0]["id"].as_i64().unwrap();
    let late = format!("retard-{}@example.com", school.slug);
    let mut late_student = join_free(app, &school, novembre, &late);
    assert!(late_student.get(&lesson("cohorte", day2)).body.contains("DEUX"));
}
