//! Student management through the real worker: the directory's filters (all or any),
//! deactivation (a live session ends) and reactivation (nothing lost), formula-safe exports,
//! every bulk action with each student's result, saved lists, and each check of "why can't
//! this student see it?" in both states.

use atelier_tests::*;

struct Fixture {
    school: School,
    host: String,
    yoga: i64,
    lesson: i64,
}

fn email(school: &School, who: &str) -> String {
    format!("{who}-{}@example.com", school.slug)
}

/// ann: yoga (active); bob: yoga (expired in 2020); cid: pilates; dee: no course.
fn fixture(app: &Worker) -> Fixture {
    let mut school = open_school(app);
    let yoga = school.create_course("Yoga", "yoga", "published");
    school.create_course("Pilates", "pilates", "published");
    let lesson = school.create_lesson(yoga, "Respirer", "Inspirez.", "published");
    let s = school.slug.clone();
    school.import_csv(&format!(
        "email;first_name;last_name;courses;access_start;access_end\n\
         ann-{s}@example.com;Ann;Lee;yoga;;\n\
         bob-{s}@example.com;Bob;Ray;yoga;2020-01-01;2020-01-31\n\
         cid-{s}@example.com;Cid;Moe;pilates;;\n\
         dee-{s}@example.com;Dee;Poe;;;\n"
    ));
    let host = app.school_host(&school.slug);
    Fixture { school, host, yoga, lesson }
}

fn listed(page: &str, school: &School) -> Vec<String> {
    ["ann", "bob", "cid", "dee"].iter().filter(|w| page.contains(&email(school, w))).map(|w| w.to_string()).collect()
}

#[test]
fn the_directory_filters_by_every_criterion_with_all_or_any() {
    let app = spawn_app();
    let mut f = fixture(app);
    login_with_code(app, &f.host, &email(&f.school, "ann"));
    let cases: &[(&str, &[&str])] = &[
        ("", &["ann", "bob", "cid", "dee"]),
        ("q=ann", &["ann"]),
        ("q=ray", &["bob"]),
        ("course=yoga", &["ann", "bob"]),
        ("course=yoga&enrollment=expired", &["bob"]),
        ("course=yoga&enrollment=active", &["ann"]),
        ("enrollment=none", &["dee"]),
        ("never=on", &["bob", "cid", "dee"]),
        ("course=pilates&never=on", &["cid"]),
        ("course=pilates&q=ann&match=any", &["ann", "cid"]),
        ("after=2020-01-01", &["ann"]),
        ("before=2020-01-01", &[]),
    ];
    for (query, want) in cases {
        let page = f.school.owner.get(&format!("/admin/students?{query}")).body;
        assert_eq!(listed(&page, &f.school), want.to_vec(), "?{query}");
        assert!(page.contains(&format!("data-total=\"{}\"", want.len())), "?{query}");
    }
    // The directory's reads ride in the viewer's own batch: one D1 round trip, the same page.
    // (The dev counter is the isolate's: tests running alongside add to it, so one of a few
    // reads must show a single round trip.)
    let reads: Vec<Response> = (0..5).map(|_| f.school.owner.get("/admin/students?q=ann&after=2020-01-01")).collect();
    assert!(reads.iter().any(|r| r.header("x-d1-round-trips") == Some("1")), "one round trip: {:?}", reads.iter().map(|r| r.header("x-d1-round-trips")).collect::<Vec<_>>());
    assert!(reads.iter().all(|r| listed(&r.body, &f.school) == ["ann"] && r.body.contains("data-total=\"1\"")));
    // A page past the end counts on its own, and says how many there are.
    let past = f.school.owner.get("/admin/students?course=yoga&page=9").body;
    assert!(listed(&past, &f.school).is_empty() && past.contains("data-total=\"2\""), "{past}");
    let dee = f.school.student_id(&email(&f.school, "dee"));
    f.school.owner.post("/admin/api/set_account_status", &[("id", &dee.to_string()), ("status", "deactivated")]);
    assert_eq!(listed(&f.school.owner.get("/admin/students?account=deactivated").body, &f.school), vec!["dee"]);
    let bad = f.school.owner.get("/admin/students?enrollment=maybe&before=2026-02-30").body;
    assert!(bad.contains("n’a pas été comprise") || bad.contains("not understood"), "bad filter values are named");
}

#[test]
fn deactivation_ends_a_live_session_and_reactivation_gives_everything_back() {
    let app = spawn_app();
    let mut f = fixture(app);
    let ann_email = email(&f.school, "ann");
    let mut ann = login_with_code(app, &f.host, &ann_email);
    ann.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &f.lesson.to_string())]);
    let ann_id = f.school.student_id(&ann_email);

    let r = f.school.owner.post("/admin/api/set_account_status", &[("id", &ann_id.to_string()), ("status", "deactivated")]);
    assert!(r.location().contains("ok=account_deactivated"), "{}", r.location());
    assert!(!ann.get("/").body.contains(&ann_email), "logged out at once");
    let before = app.mails(&ann_email).len();
    let mut again = app.client(&f.host);
    again.post("/api/request_login", &[("email", &ann_email)]);
    assert_eq!(app.mails(&ann_email).len(), before, "a deactivated student gets no login email");

    f.school.owner.post("/admin/api/set_account_status", &[("id", &ann_id.to_string()), ("status", "active")]);
    let mut ann = login_with_code(app, &f.host, &ann_email);
    assert!(ann.get("/courses/yoga").body.contains("value=\"100\""), "progress kept");
    let page = f.school.owner.get(&format!("/admin/students/{ann_id}")).body;
    assert!(page.contains("Compte désactivé") && page.contains("Compte réactivé"), "both in the history");
}

#[test]
fn exports_have_the_chosen_columns_and_no_cell_can_run_as_a_formula() {
    let app = spawn_app();
    let mut f = fixture(app);
    let ann = f.school.student_id(&email(&f.school, "ann"));
    let evil = "=HYPERLINK(\"http://evil.example\",\"clic\")";
    f.school.owner.post("/admin/api/save_student_profile", &[("id", &ann.to_string()), ("first_name", evil), ("last_name", "+33 6"), ("locale", ""), ("note", "@SUM(A1)")]);

    let csv = f.school.owner.get("/admin/students/export.csv?q=ann&col=email&col=first_name&col=last_name&col=note");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap_or("").starts_with("text/csv"));
    let body = csv.body.strip_prefix('\u{feff}').expect("BOM");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "email;first_name;last_name;note");
    assert_eq!(lines[1], format!("{};\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\";'+33 6;'@SUM(A1)", email(&f.school, "ann")));
    assert_eq!(lines.len(), 2, "the filter applies");

    let all = f.school.owner.get("/admin/students/export.csv?sep=,");
    let header = all.body.trim_start_matches('\u{feff}').lines().next().unwrap_or("").to_string();
    assert_eq!(header, "email,first_name,last_name,status,language,courses,last_login,created,note");
    assert_eq!(all.body.trim().lines().count(), 5, "four students");

    let mut ann_client = login_with_code(app, &f.host, &email(&f.school, "ann"));
    ann_client.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &f.lesson.to_string())]);
    let progress = f.school.owner.get(&format!("/admin/courses/{}/progress.csv", f.yoga));
    let lines: Vec<&str> = progress.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("email;first_name;last_name;offer;Respirer;Respirer — terminée le"), "{}", lines[0]);
    assert!(lines.iter().any(|l| l.contains("ann-") && l.contains(";terminée;")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("bob-") && l.contains(";non terminée;")), "{lines:?}");
    // Another school's course is not exported here.
    let mut other = open_school(app);
    assert_eq!(other.owner.get(&format!("/admin/courses/{}/progress.csv", f.yoga)).status, 404);
}

fn ids(f: &mut Fixture, who: &[&str]) -> String {
    who.iter().map(|w| format!("ids={}", f.school.student_id(&email(&f.school, w)))).collect::<Vec<_>>().join("&")
}

/// Previews then runs a bulk action; returns the result page.
fn bulk(f: &mut Fixture, query: &str) -> String {
    let preview = f.school.owner.get(&format!("/admin/students/bulk?{query}"));
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("data-count="), "{}", preview.body);
    let r = f.school.owner.post("/admin/api/bulk_run", &[("query", query)]);
    let to = r.location();
    assert!(to.starts_with("/admin/students/bulk/"), "{to}");
    f.school.owner.get(&to).body
}

fn outcome(page: &str, school: &School, who: &str) -> Option<bool> {
    let row = page.split("<tr").find(|r| r.contains(&email(school, who)))?;
    Some(row.contains("data-ok=\"true\""))
}

#[test]
fn each_bulk_action_reports_each_students_result_and_is_audited() {
    let app = spawn_app();
    let mut f = fixture(app);
    let sel = ids(&mut f, &["ann", "dee"]);
    let page = bulk(&mut f, &format!("selection=ids&{sel}&action=grant&course=pilates&end=2030-06-30"));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "dee")), (Some(true), Some(true)));
    assert!(f.school.owner.get("/admin/students?course=pilates").body.contains("data-total=\"3\""));

    let sel = ids(&mut f, &["ann", "dee", "bob"]);
    let page = bulk(&mut f, &format!("selection=ids&{sel}&action=revoke&course=yoga"));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "bob"), outcome(&page, &f.school, "dee")), (Some(true), Some(true), Some(false)));
    assert!(page.contains("pas inscrit à ce cours"));

    let sel = ids(&mut f, &["ann", "cid"]);
    let page = bulk(&mut f, &format!("selection=ids&{sel}&action=extend&course=pilates&days=30"));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "cid")), (Some(true), Some(false)), "cid's pilates access has no end");
    let page = bulk(&mut f, &format!("selection=ids&{sel}&action=set_end&course=pilates&end=2031-01-31"));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "cid")), (Some(true), Some(true)));

    let sel = ids(&mut f, &["ann", "bob"]);
    let page = bulk(&mut f, &format!("selection=ids&{}&action=reset_progress&course=pilates", sel));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "bob")), (Some(true), Some(false)));

    // All matching a filter: everyone never logged in.
    let page = bulk(&mut f, "selection=all&never=on&action=deactivate");
    assert!(page.contains("data-succeeded=\"4\""), "{page}");
    let sel = ids(&mut f, &["ann", "bob"]);
    let page = bulk(&mut f, &format!("selection=ids&{}&action=reactivate", sel));
    assert!(page.contains("data-succeeded=\"2\""));

    let sel = ids(&mut f, &["ann", "cid"]);
    let page = bulk(&mut f, &format!("selection=ids&{}&action=reminder", sel));
    assert_eq!((outcome(&page, &f.school, "ann"), outcome(&page, &f.school, "cid")), (Some(true), Some(false)), "cid is still deactivated");
    assert!(app.latest_mail(&email(&f.school, "ann")).link_path().starts_with("/login/link/"));

    // An email from a template: unknown fields are refused before anything is sent.
    let sel = ids(&mut f, &["ann", "bob"]);
    let refused = f.school.owner.get(&format!("/admin/students/bulk?selection=ids&{sel}&action=email&subject=Bonjour&body=Salut%20%7B%7Bprenom%7D%7D")).body;
    assert!(refused.contains("{{prenom}}") && !refused.contains("/admin/api/bulk_run"), "named, and no confirm button");
    let r = f.school.owner.post("/admin/api/bulk_run", &[("query", &format!("selection=ids&{sel}&action=email&subject=Bonjour&body=Salut {{{{prenom}}}}"))]);
    assert!(r.location().contains("error=bulk_unknown_fields"), "{}", r.location());
    let page = bulk(&mut f, &format!("selection=ids&{sel}&action=email&course=yoga&subject=Bonjour%20%7B%7Bfirst_name%7D%7D&body=Votre%20cours%20%7B%7Bcourse_title%7D%7D%20%3A%20%7B%7Blogin_link%7D%7D"));
    assert!(page.contains("data-succeeded=\"2\""), "{page}");
    let mail = app.latest_mail(&email(&f.school, "bob"));
    assert_eq!(mail.subject, "Bonjour Bob");
    assert!(mail.text.contains("Votre cours Yoga : ") && mail.link_path().starts_with("/login/link/"), "{}", mail.text);

    // The audit log, per student.
    let ann = f.school.student_id(&email(&f.school, "ann"));
    let history = f.school.owner.get(&format!("/admin/students/{ann}")).body;
    for entry in ["Accès au cours donné (en masse)", "Accès au cours retiré (en masse)", "Accès prolongé (en masse)", "Compte désactivé (en masse)", "Email envoyé (en masse)"] {
        assert!(history.contains(entry), "{entry}");
    }
}

#[test]
fn a_selection_is_saved_as_a_list_and_reused_as_a_filter() {
    let app = spawn_app();
    let mut f = fixture(app);
    let sel = ids(&mut f, &["bob", "dee"]);
    let r = f.school.owner.post("/admin/api/save_list", &[("query", &format!("selection=ids&{sel}")), ("name", "Relance de mars")]);
    let to = r.location();
    assert!(to.starts_with("/admin/students?list="), "{to}");
    let page = f.school.owner.get(&to).body;
    assert_eq!(listed(&page, &f.school), vec!["bob", "dee"]);
    assert!(page.contains("Relance de mars"));
}

/// The checks of the explainer as (label, passed).
fn checks(page: &str) -> Vec<(String, bool)> {
    // Text as read, without Leptos' hydration markers (`<!>`).
    let page = page.replace("<!>", "");
    page.split("<li data-passed=\"")
        .skip(1)
        .map(|li| {
            let passed = li.starts_with("true");
            let label = li.split("<strong>").nth(1).and_then(|s| s.split("</strong>").next()).unwrap_or("").to_string();
            (label, passed)
        })
        .collect()
}

fn check(page: &str, label: &str) -> Option<bool> {
    checks(page).into_iter().find(|(l, _)| l == label).map(|(_, p)| p)
}

#[test]
fn the_explainer_runs_each_check_in_both_states() {
    let app = spawn_app();
    let mut f = fixture(app);
    let drip = f.school.create_scheduled_lesson(f.yoga, "Jour 2", "Plus tard", "published", &[("open_rule", "days"), ("open_days", "3"), ("open_time", "09:00")]);
    let explain = |f: &mut Fixture, who: &str, extra: &str| f.school.owner.get(&format!("/admin/explain?email={}&course=yoga{extra}", email(&f.school, who).replace('@', "%40"))).body;

    // No account, and the account a typo meant.
    let typo = email(&f.school, "ann").replace("example.com", "exmaple.com");
    let page = f.school.owner.get(&format!("/admin/explain?email={}&course=yoga", typo.replace('@', "%40"))).body;
    assert_eq!(check(&page, "Compte dans cette école"), Some(false));
    let gmail = f.school.owner.get(&format!("/admin/explain?email={}&course=yoga", email(&f.school, "ann").replace("@example.com", "%2Bcours%40example.com"))).body;
    assert!(gmail.contains(&format!("/admin/students/{}", f.school.student_id(&email(&f.school, "ann")))), "similar account by +tag");
    assert!(page.contains("Donner l’accès"), "a fix: give access");

    // Everything right for ann (after a login).
    login_with_code(app, &f.host, &email(&f.school, "ann"));
    let lesson = f.lesson;
    let page = explain(&mut f, "ann", &format!("&lesson={lesson}"));
    for label in ["Compte dans cette école", "Compte actif", "Cours publié", "Leçon publiée", "Inscrit au cours", "Accès valide maintenant", "Leçon ouverte pour cet élève", "S’est déjà connecté"] {
        assert_eq!(check(&page, label), Some(true), "{label}: {:?}", checks(&page));
    }

    // Locked by the schedule: when it opens, and the fix.
    let page = explain(&mut f, "ann", &format!("&lesson={drip}"));
    assert_eq!(check(&page, "Leçon ouverte pour cet élève"), Some(false));
    assert!(page.contains("elle ouvre le"), "the date it opens");

    // Expired (bob), never logged in, last login email unused.
    let page = explain(&mut f, "bob", "");
    assert_eq!(check(&page, "Accès valide maintenant"), Some(false));
    assert!(page.contains("l’accès a pris fin le") && page.contains("2020"), "when it ended");
    assert_eq!(check(&page, "S’est déjà connecté"), Some(false));

    // Not enrolled (dee), deactivated.
    let page = explain(&mut f, "dee", "");
    assert_eq!(check(&page, "Inscrit au cours"), Some(false));
    // The directory's reads ride in the viewer's own batch: one D1 round trip, the same page.
    // (The dev counter is the isolate's: tests running alongside add to it, so one of a few
    // reads must show a single round trip.)
    let reads: Vec<Response> = (0..5).map(|_| f.school.owner.get("/admin/students?q=ann&after=2020-01-01")).collect();
    assert!(reads.iter().any(|r| r.header("x-d1-round-trips") == Some("1")), "one round trip: {:?}", reads.iter().map(|r| r.header("x-d1-round-trips")).collect::<Vec<_>>());
    assert!(reads.iter().all(|r| listed(&r.body, &f.school) == ["ann"] && r.body.contains("data-total=\"1\"")));
    // A page past the end counts on its own, and says how many there are.
    let past = f.school.owner.get("/admin/students?course=yoga&page=9").body;
    assert!(listed(&past, &f.school).is_empty() && past.contains("data-total=\"2\""), "{past}");
    let dee = f.school.student_id(&email(&f.school, "dee"));
    f.school.owner.post("/admin/api/set_account_status", &[("id", &dee.to_string()), ("status", "deactivated")]);
    assert_eq!(check(&explain(&mut f, "dee", ""), "Compte actif"), Some(false));

    // A draft course and a draft lesson, fixed in one click.
    let draft = f.school.create_lesson(f.yoga, "Brouillon", "…", "draft");
    let page = explain(&mut f, "ann", &format!("&lesson={draft}"));
    assert_eq!(check(&page, "Leçon publiée"), Some(false));
    let back = format!("/admin/explain?email={}&course=yoga&lesson={draft}", email(&f.school, "ann"));
    let r = f.school.owner.post("/admin/api/publish_from_explainer", &[("course_id", &f.yoga.to_string()), ("lesson_id", &draft.to_string()), ("back", &back)]);
    assert_eq!(r.location(), back);
    assert_eq!(check(&explain(&mut f, "ann", &format!("&lesson={draft}")), "Leçon publiée"), Some(true));
    f.school.owner.post("/admin/api/save_course", &[("id", &f.yoga.to_string()), ("title", "Yoga"), ("slug", "yoga"), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert_eq!(check(&explain(&mut f, "ann", ""), "Cours publié"), Some(false));
}

#[test]
fn one_student_is_invited_with_courses_dates_and_a_copy_for_the_creator_without_secrets() {
    let app = spawn_app();
    let mut school = open_school(app);
    school.create_course("Yoga", "yoga", "published");
    let host = app.school_host(&school.slug);
    let student = format!("zoe-{}@example.com", school.slug);
    let form = |email: &str, course: &str| {
        vec![
            ("email".to_string(), email.to_string()),
            ("first_name".into(), "Zoé".into()),
            ("last_name".into(), "Roy".into()),
            ("locale".into(), "en".into()),
            (format!("courses[{course}]"), "on".into()),
            ("access_start".into(), String::new()),
            ("access_end".into(), "2030-12-31".into()),
            ("send_invitation".into(), "on".into()),
            ("copy_to_me".into(), "on".into()),
        ]
    };
    let post = |school: &mut School, pairs: Vec<(String, String)>| {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        school.owner.post("/admin/api/invite_student", &borrowed)
    };
    assert!(post(&mut school, form("nope", "yoga")).location().contains("error=email_"), "a bad email is named");
    assert!(post(&mut school, form(&student, "cuisine")).location().contains("error=import_course_unknown"));
    let r = post(&mut school, form(&student, "yoga"));
    assert!(r.location().contains("ok=invitation_sent"), "{}", r.location());

    // The invitation: a link and a code, for a week, in the student's language.
    let invitation = app.latest_mail(&student);
    assert!(invitation.link_path().starts_with("/login/link/"));
    assert!(invitation.text.contains("7 days"), "{}", invitation.text);
    let code = invitation.code();
    // The creator's copy says what was sent, without what would log them in as the student.
    let copy = app.latest_mail(&school.owner_email);
    assert!(copy.subject.starts_with("Copie :"), "{}", copy.subject);
    assert!(copy.text.contains(&student) && copy.text.contains("[masqué dans votre copie]"));
    assert!(!copy.text.contains(&format!("{} {}", &code[..4], &code[4..])), "no code in the copy: {}", copy.text);
    assert!(copy.text.contains("/login/link/[masqué") && !copy.text.contains(&invitation.link_path()), "no link token in the copy: {}", copy.text);

    // The code works in any browser; the student sees the course.
    let mut phone = app.client(&host);
    phone.post("/api/verify_code", &[("email", &student), ("code", &code)]);
    assert!(phone.has_session());
    assert!(phone.get("/").body.contains("Yoga"));

    // The student page: names, language, access end; resend later.
    let id = school.student_id(&student);
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert!(page.contains("value=\"Zoé\"") && page.contains("value=\"Roy\"") && page.contains("2030"));
    let before = app.mails(&student).len();
    let r = school.owner.post("/admin/api/resend_invitation", &[("id", &id.to_string())]);
    assert!(r.location().contains("ok=invitation_sent"));
    assert_eq!(app.mails(&student).len(), before + 1);
}
