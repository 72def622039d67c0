//! The creator's workspace (issue 18): the admin's navigation on every admin page, each
//! section shown to those allowed in it and the current one marked; the overview's figures
//! against a seeded school, each equal to the list it links to.

use atelier_tests::*;
use crate::drip::chrono_date;

/// The address the navigation marks as the current section.
fn current(page: &str) -> Option<String> {
    let nav = page.split("class=\"admin-sidebar\"").nth(1)?.split("</nav>").next()?;
    nav.split("<a ").filter(|a| a.contains("aria-current=\"page\"")).find_map(|a| a.split("href=\"").nth(1)?.split('"').next().map(str::to_string))
}

fn nav_links(page: &str) -> Vec<String> {
    let nav = page.split("class=\"admin-sidebar\"").nth(1).unwrap_or("").split("</nav>").next().unwrap_or("");
    nav.split("href=\"").skip(1).filter_map(|s| s.split('"').next().map(str::to_string)).collect()
}

#[test]
fn every_admin_page_has_the_navigation_with_its_section_marked() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    for (path, section, title) in [
        ("/admin", "/admin", "Vue d’ensemble"),
        ("/admin/courses", "/admin/courses", "Cours"),
        (&*format!("/admin/courses/{course}"), "/admin/courses", "Yoga"),
        ("/admin/students", "/admin/students", "Élèves"),
        ("/admin/imports", "/admin/students", ""),
        ("/admin/sales", "/admin/sales", ""),
        ("/admin/reviews", "/admin/reviews", ""),
        ("/admin/reports", "/admin/reports", "Rapports"),
        (&*format!("/admin/courses/{course}/report"), "/admin/reports", ""),
        ("/admin/team", "/admin/team", ""),
        ("/admin/settings", "/admin/settings", "Réglages"),
    ] {
        let page = school.owner.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(current(&page.body).as_deref(), Some(section), "{path}");
        assert!(page.body.contains("<details class=\"admin-menu\""), "{path}: the phone's menu");
        let head = page.body.split("</title>").next().unwrap_or("");
        assert!(head.contains(title), "{path}: the title says where: {head}");
    }
    assert_eq!(nav_links(&school.owner.get("/admin").body), ["/admin", "/admin/courses", "/admin/students", "/admin/sales", "/admin/reviews", "/admin/reports", "/admin/team", "/admin/settings"]);
    // Breadcrumbs on the pages below a section: the section, the pages between, this page.
    let crumbs = |page: &str| page.split("class=\"crumbs\"").nth(1).and_then(|n| n.split("</nav>").next()).map(|n| n.replace("<!>", ""));
    let lesson = school.create_lesson(course, "Respirer", "Un.", "published");
    let trail = crumbs(&school.owner.get(&format!("/admin/courses/{course}/lessons/{lesson}")).body).expect("a lesson's breadcrumbs");
    assert!(trail.contains("<a href=\"/admin/courses\">Cours</a>") && trail.contains(&format!("<a href=\"/admin/courses/{course}\">Yoga</a>")), "{trail}");
    assert!(trail.contains("<li aria-current=\"page\">Respirer</li>"), "{trail}");
    let trail = crumbs(&school.owner.get(&format!("/admin/courses/{course}/report")).body).expect("a report's breadcrumbs");
    assert!(trail.contains("<a href=\"/admin/reports\">Rapports</a>") && trail.contains("aria-current=\"page\">Yoga</li>"), "{trail}");
    assert!(crumbs(&school.owner.get("/admin/students").body).is_none(), "a section's own page has none");
    // A curator sees the sections that are theirs; a student's pages have no admin navigation.
    let (_, mut curator) = school.team_member(app, "corr", "curator");
    assert_eq!(nav_links(&curator.get("/admin/reviews").body), ["/admin", "/admin/reviews"]);
    let email = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    assert!(!student.get("/").body.contains("admin-sidebar"));
    assert_ne!(student.get("/admin").status, 200);
}

#[test]
fn the_overview_counts_what_its_lists_show() {
    let app = spawn_app();
    let mut school = open_school(app);
    let yoga = school.create_course("Yoga", "yoga", "published");
    let l1 = school.create_lesson(yoga, "Respirer", "Un.", "published");
    let l2 = school.create_lesson(yoga, "Devoir", "Deux.", "published");
    school.create_scheduled_lesson(yoga, "Plus tard", "Trois.", "published", &[("open_rule", "date"), ("open_date", "2099-03-01T09:00")]);
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &yoga.to_string()), ("lesson_id", &l2.to_string()), ("kind", "assignment"), ("prompt", "Racontez."), ("answer_kind", "text"), ("review_required", "on")],
    );
    assert_eq!(r.status, 303);
    // Two weeks ago: an old student; now: three new ones, one of them revoked.
    school.owner.now_ms = Some(now_ms() - 14 * 24 * 3600 * 1000);
    let old = format!("ancien-{}@example.com", school.slug);
    school.add_student(yoga, &old, false);
    school.owner.now_ms = None;
    let emails: Vec<String> = ["ana", "bob", "cyd"].iter().map(|w| format!("{w}-{}@example.com", school.slug)).collect();
    for e in &emails {
        school.add_student(yoga, e, false);
    }
    let cyd = school.student_id(&emails[2]);
    let r = school.owner.post("/admin/api/bulk_run", &[("query", &format!("selection=ids&ids={cyd}&action=revoke&course=yoga"))]);
    assert_eq!(r.status, 303);
    // Ana finishes (a certificate) after answering; Bob's answer waits for review.
    let mut ana = login_with_code(app, &app.school_host(&school.slug), &emails[0]);
    ana.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &l1.to_string())]);
    let mut bob = login_with_code(app, &app.school_host(&school.slug), &emails[1]);
    let r = bob.post("/api/submit_assignment", &[("slug", "yoga"), ("lesson_id", &l2.to_string()), ("text", "Mon devoir")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());

    let page = school.owner.get("/admin");
    assert_eq!(page.status, 200);
    let figure = |name: &str| -> (String, String) {
        let at = page.body.split(&format!("data-figure=\"{name}\"")).next().unwrap_or("");
        let href = at.rsplit("href=\"").next().unwrap_or("").split('"').next().unwrap_or("").replace("&amp;", "&");
        let after = page.body.split(&format!("data-figure=\"{name}\"")).nth(1).unwrap_or("");
        let value = after.split("class=\"figure\">").nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
        (value, href)
    };
    let (active, active_href) = figure("overview_active_students");
    assert_eq!(active, "3", "ancien, ana, bob (cyd revoked)");
    let (new, new_href) = figure("overview_new_students");
    assert_eq!(new, "3", "ana, bob, cyd joined this week");
    // Each figure is the count of the list it leads to.
    for (value, href) in [(&active, &active_href), (&new, &new_href)] {
        let list = school.owner.get(href).body;
        let table = list.split("class=\"admin directory\"").nth(1).unwrap_or("").split("</table>").next().unwrap_or("");
        assert_eq!(table.matches("href=\"/admin/students/").count().to_string(), *value, "{href}");
    }
    assert_eq!(figure("overview_finished").0, "0", "ana finished one lesson of two");
    assert_eq!(figure("overview_to_review"), ("1".to_string(), "/admin/reviews".to_string()));
    assert_eq!(figure("overview_bounced").0, "0");
    assert!(page.body.contains("Plus tard") && page.body.contains("1 mars à 09:00"), "the next lesson to open");
    assert!(page.body.contains("<svg"), "the 30-day chart");
    // Read again: the overview's reads ride in the viewer's own batch (one D1 round trip), and
    // say the same.
    // The dev counter is the isolate's: requests of tests running alongside add to it, so
    // one of a few reads must show a single round trip (the bench, alone, always shows it).
    let reads: Vec<Response> = (0..5).map(|_| school.owner.get("/admin")).collect();
    assert!(reads.iter().any(|r| r.header("x-d1-round-trips") == Some("1")), "one round trip: {:?}", reads.iter().map(|r| r.header("x-d1-round-trips")).collect::<Vec<_>>());
    let again = reads.into_iter().last().unwrap();
    let strip = |b: &str| b.split("data-figure=").skip(1).map(|f| f.split("</").next().unwrap_or("").to_string()).collect::<Vec<_>>();
    assert_eq!(strip(&again.body), strip(&page.body), "the same figures");
    // Another school's overview counts none of these.
    let mut other = open_school(app);
    assert_eq!(other.owner.get("/admin").body.matches("class=\"figure\">0<").count(), 6, "every figure is zero there");
}

/// The overview's figures as a creator keeps it open: an isolate keeps the figures it read
/// until the school changes (any write to what they count) or time moves past a boundary
/// (an access ending, a lesson opening, a new week): each change shows on the next read.
#[test]
fn the_overview_follows_each_change_and_the_passing_of_time() {
    let app = spawn_app();
    let mut school = open_school(app);
    let yoga = school.create_course("Yoga", "yoga", "published");
    let lesson = school.create_lesson(yoga, "Respirer", "Un.", "published");
    let in_two_days = format!("{}T09:00", chrono_date(now_ms() + 2 * DAY_MS));
    school.create_scheduled_lesson(yoga, "Bientôt", "Deux.", "published", &[("open_rule", "date"), ("open_date", &in_two_days)]);
    let figure = |owner: &mut Client, name: &str| -> String {
        let page = owner.get("/admin").body;
        page.split(&format!("data-figure=\"{name}\"")).nth(1).unwrap_or("").split("class=\"figure\">").nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string()
    };
    // Read a few times first: the figures are then the isolate's own.
    for _ in 0..3 {
        assert_eq!(figure(&mut school.owner, "overview_active_students"), "0");
    }
    let ana = format!("ana-{}@example.com", school.slug);
    let r = school.owner.post("/admin/api/add_student", &[("course_id", &yoga.to_string()), ("email", &ana), ("access_end", &chrono_date(now_ms() + 10 * DAY_MS))]);
    assert_eq!(r.status, 303);
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "1", "a student added shows at once");
    let bob = format!("bob-{}@example.com", school.slug);
    school.add_student(yoga, &bob, false);
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "2");
    assert_eq!(figure(&mut school.owner, "overview_new_students"), "2");
    let bob_id = school.student_id(&bob);
    let r = school.owner.post("/admin/api/bulk_run", &[("query", &format!("selection=ids&ids={bob_id}&action=revoke&course=yoga"))]);
    assert_eq!(r.status, 303);
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "1", "a revoked access shows at once");
    // A student's answer waiting for review, as soon as it is sent.
    let r = school.owner.post("/admin/api/save_task", &[("course_id", &yoga.to_string()), ("lesson_id", &lesson.to_string()), ("kind", "assignment"), ("prompt", "Racontez."), ("answer_kind", "text"), ("review_required", "on")]);
    assert_eq!(r.status, 303);
    assert_eq!(figure(&mut school.owner, "overview_to_review"), "0");
    let mut student = login_with_code(app, &app.school_host(&school.slug), &ana);
    let r = student.post("/api/submit_assignment", &[("slug", "yoga"), ("lesson_id", &lesson.to_string()), ("text", "Mon devoir")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    assert_eq!(figure(&mut school.owner, "overview_to_review"), "1");
    assert!(school.owner.get("/admin").body.contains("Bientôt"), "the lesson opening in two days is listed");
    // Time passes: in three days the lesson has opened; in eleven Ana's access has ended and
    // nobody joined this week.
    school.owner.now_ms = Some(now_ms() + 3 * DAY_MS);
    assert!(!school.owner.get("/admin").body.contains("Bientôt"), "an opened lesson leaves the list");
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "1");
    school.owner.now_ms = Some(now_ms() + 11 * DAY_MS);
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "0", "Ana's access ended");
    assert_eq!(figure(&mut school.owner, "overview_new_students"), "0", "a week later, nobody is new");
    // And back to today (a clock set back reads again rather than trust later figures).
    school.owner.now_ms = None;
    assert_eq!(figure(&mut school.owner, "overview_active_students"), "1");
    assert!(school.owner.get("/admin").body.contains("Bientôt"));
}

/// The directory's text search (an index of three letters in a row): by part of a name or an
/// address, accents and case aside, following imports, edits and deactivation, one school only.
#[test]
fn the_directory_finds_students_by_any_part_of_their_name_or_address() {
    let app = spawn_app();
    let mut school = open_school(app);
    let slug = school.slug.clone();
    let found = |owner: &mut Client, q: &str| -> Vec<String> {
        let page = owner.get(&format!("/admin/students?q={}", q.replace(' ', "%20"))).body;
        let table = page.split("class=\"admin directory\"").nth(1).unwrap_or("").split("</table>").next().unwrap_or("").to_string();
        // Each row's link text is the address: `>helene-{slug}@example.com<!></a>`.
        let chunks: Vec<&str> = table.split("@example.com<!></a>").collect();
        chunks[..chunks.len().saturating_sub(1)].iter().filter_map(|s| s.rsplit('>').next().map(|e| e.split('-').next().unwrap_or("").to_string())).collect()
    };
    school.import_csv(&format!(
        "email,first_name,last_name\nhelene-{slug}@example.com,Hélène,Grimaud\nconstance-{slug}@example.com,Constance,Dupont\nmarc-{slug}@example.com,Marc,Dupuis\n"
    ));
    assert_eq!(found(&mut school.owner, "onstan"), ["constance"], "the middle of a first name");
    assert_eq!(found(&mut school.owner, "DUPU"), ["marc"], "case aside");
    assert_eq!(found(&mut school.owner, "helene"), ["helene"], "accents aside");
    assert_eq!(found(&mut school.owner, &format!("ance-{}", &slug[..4])), ["constance"], "part of an address");
    assert_eq!(found(&mut school.owner, "dup").len(), 2);
    // Edited: the old name is no longer found, the new one is.
    let id = school.student_id(&format!("marc-{slug}@example.com")).to_string();
    let r = school.owner.post("/admin/api/save_student_profile", &[("id", &id), ("first_name", "Marc"), ("last_name", "Lefebvre"), ("locale", ""), ("note", "")]);
    assert_eq!(r.status, 303);
    assert_eq!(found(&mut school.owner, "dupuis"), Vec::<String>::new());
    assert_eq!(found(&mut school.owner, "lefeb"), ["marc"]);
    // Deactivated: still in the directory, still found.
    let r = school.owner.post("/admin/api/set_account_status", &[("id", &id), ("status", "deactivated")]);
    assert_eq!(r.status, 303);
    assert_eq!(found(&mut school.owner, "lefeb"), ["marc"]);
    // Two letters are looked for row by row; another school's students are never found.
    assert_eq!(found(&mut school.owner, "Hé"), ["helene"]);
    let mut other = open_school(app);
    assert_eq!(found(&mut other.owner, "onstan"), Vec::<String>::new());
}

/// One student's access ended from their page (not only in bulk), and given back; both in
/// their history.
#[test]
fn a_students_access_ends_and_comes_back_from_their_page() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Poterie", "poterie", "published");
    let lesson = school.create_lesson(course, "Tourner", "CONTENU-POTERIE", "published");
    let email = format!("lou-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut lou = login_with_code(app, &app.school_host(&school.slug), &email);
    let path = format!("/courses/poterie/lessons/{lesson}");
    assert!(lou.get(&path).body.contains("CONTENU-POTERIE"));
    let id = school.student_id(&email);
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    let enrollment = page.split("name=\"enrollment_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("an enrollment form").to_string();
    let adjust = |owner: &mut Client, action: &str| owner.post("/admin/api/adjust_enrollment", &[("id", &id.to_string()), ("enrollment_id", &enrollment), ("action", action)]);
    let r = adjust(&mut school.owner, "revoke");
    assert_eq!(r.location(), format!("/admin/students/{id}?ok=access_revoked"));
    assert!(!lou.get(&path).body.contains("CONTENU-POTERIE"), "the course is closed to them");
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert!(page.contains("» retiré.") && page.contains("value=\"restore\""), "the history says it in a sentence");
    adjust(&mut school.owner, "restore");
    assert!(lou.get(&path).body.contains("CONTENU-POTERIE"), "and open again");
    assert!(school.owner.get(&format!("/admin/students/{id}")).body.contains("» rendu."), "in the history");
    // Another school cannot touch it.
    let mut other = open_school(app);
    other.owner.post("/admin/api/adjust_enrollment", &[("id", &id.to_string()), ("enrollment_id", &enrollment), ("action", "revoke")]);
    assert!(lou.get(&path).body.contains("CONTENU-POTERIE"));
}

/// A course with 2,000 students: its page shows how many and the newest, and leads to the
/// directory for the rest — a page, not 85,000 pixels.
#[test]
fn a_course_with_two_thousand_students_stays_a_page() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let slug = school.slug.clone();
    let csv: String = std::iter::once("email,first_name,last_name,courses".to_string())
        .chain((0..2000).map(|i| format!("eleve{i:04}-{slug}@example.com,Prénom{i},Nom{i},yoga")))
        .collect::<Vec<_>>()
        .join("\n");
    let result = school.import_csv(&csv);
    assert!(result.contains("data-created=\"2000\""), "{}", &result[..result.len().min(2000)]);
    let page = school.owner.get(&format!("/admin/courses/{course}"));
    assert_eq!(page.status, 200);
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());
    assert!(page.body.contains("2000 élèves"));
    assert_eq!(page.body.matches("name=\"user_id\"").count(), 10, "the newest ten");
    assert!(page.body.contains("href=\"/admin/students?course=yoga&amp;enrollment=active\""));
    let directory = school.owner.get("/admin/students?course=yoga&enrollment=active").body;
    assert!(directory.contains("data-total=\"2000\""), "the directory counts them all");
    // The report pages its matrix (300 students a page); the CSV keeps them all.
    let matrix = |owner: &mut Client, page: &str| -> (usize, String) {
        let body = owner.get(&format!("/admin/courses/{course}/report{page}")).body;
        let section = body.split("id=\"matrix\"").nth(1).unwrap_or("").split("id=\"assignments\"").next().unwrap_or("").to_string();
        (section.matches("@example.com").count(), section)
    };
    let (rows, first) = matrix(&mut school.owner, "");
    assert_eq!(rows, 300);
    assert!(first.contains("Page 1 sur 7") && first.contains("report?page=2#matrix"), "{}", &first[first.len().saturating_sub(800)..]);
    assert_eq!(matrix(&mut school.owner, "?page=7").0, 200, "the last page holds the rest");
    let csv = school.owner.get(&format!("/admin/courses/{course}/progress.csv")).body;
    assert_eq!(csv.trim().lines().count(), 2001, "the CSV has them all");
}

/// Reviews beyond the first hundred are on further pages, the oldest first.
#[test]
fn reviews_beyond_a_hundred_are_paged() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Carnet", "carnet", "published");
    let email = format!("ecrit-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    for i in 0..101 {
        let lesson = school.create_lesson(course, &format!("Exercice {i:03}"), "Écrivez.", "published");
        let r = school.owner.post(
            "/admin/api/save_task",
            &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("kind", "assignment"), ("prompt", "Votre texte."), ("answer_kind", "text"), ("review_required", "on")],
        );
        assert_eq!(r.status, 303);
        let r = student.post("/api/submit_assignment", &[("slug", "carnet"), ("lesson_id", &lesson.to_string()), ("text", &format!("Réponse {i:03}"))]);
        assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    }
    let first = school.owner.get("/admin/reviews").body;
    assert_eq!(first.matches("data-submission=").count(), 100);
    assert!(first.contains("Page 1 sur 2") && first.contains("Réponse 000") && !first.contains("Réponse 100"));
    let second = school.owner.get("/admin/reviews?status=pending&page=2").body;
    assert_eq!(second.matches("data-submission=").count(), 1);
    assert!(second.contains("Réponse 100"), "the newest, last");
}

/// A saved list can be renamed and deleted; its students stay, and another school's team
/// can touch neither.
#[test]
fn saved_lists_are_renamed_and_deleted() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Chant", "chant", "published");
    let email = format!("voix-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let id = school.student_id(&email);
    let r = school.owner.post("/admin/api/save_list", &[("query", &format!("selection=ids&ids={id}")), ("name", "Chorale du jeudi")]);
    let list = r.location().split("list=").nth(1).and_then(|s| s.parse::<i64>().ok()).expect("the list's page");
    let page = school.owner.get(&format!("/admin/students?list={list}")).body;
    assert!(page.contains("action=\"/admin/api/rename_list\"") && page.contains("Chorale du jeudi"));
    assert!(school.owner.post("/admin/api/rename_list", &[("id", &list.to_string()), ("name", " ")]).location().contains("error=list_name_required"));
    let r = school.owner.post("/admin/api/rename_list", &[("id", &list.to_string()), ("name", "Chorale du vendredi")]);
    assert_eq!(r.location(), format!("/admin/students?list={list}&ok=list_renamed#list"));
    assert!(school.owner.get(&format!("/admin/students?list={list}")).body.contains("Chorale du vendredi"));
    // Another school: nothing happens to it.
    let mut other = open_school(app);
    other.owner.post("/admin/api/rename_list", &[("id", &list.to_string()), ("name", "Piratée")]);
    other.owner.post("/admin/api/delete_list", &[("id", &list.to_string())]);
    assert!(school.owner.get(&format!("/admin/students?list={list}")).body.contains("Chorale du vendredi"));
    // Deleted: the list goes, the student stays.
    let r = school.owner.post("/admin/api/delete_list", &[("id", &list.to_string())]);
    assert_eq!(r.location(), "/admin/students?ok=list_deleted");
    let page = school.owner.get("/admin/students").body;
    assert!(!page.contains("Chorale du vendredi") && page.contains(&email));
}

/// Every export comes as XLSX too (item 9): the same rows, a workbook Excel opens; text that
/// looks like a formula stays text; the same permissions as the CSV.
#[test]
fn exports_download_as_xlsx_as_well_as_csv() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    school.create_lesson(course, "Respirer", "Un.", "published");
    let email = format!("lea-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let id = school.student_id(&email).to_string();
    let r = school.owner.post("/admin/api/save_student_profile", &[("id", &id), ("first_name", "=HYPERLINK(\"http://x\")"), ("last_name", "Doe"), ("locale", ""), ("note", "")]);
    assert_eq!(r.status, 303);
    for path in ["/admin/students/export.xlsx".to_string(), "/admin/sales.xlsx".into(), format!("/admin/courses/{course}/progress.xlsx"), format!("/admin/courses/{course}/report/matrix.xlsx"), format!("/admin/courses/{course}/report/quizzes.xlsx")] {
        let r = school.owner.get(&path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "{path}");
        assert!(r.header("content-disposition").is_some_and(|d| d.contains(".xlsx\"")), "{path}");
        assert_eq!(&r.bytes[..2], b"PK", "{path}: a zip archive");
        assert!(r.body.contains("xl/worksheets/sheet1.xml") && r.body.contains("[Content_Types].xml"), "{path}");
    }
    let students = school.owner.get("/admin/students/export.xlsx").body;
    assert!(students.contains(&email), "the rows are the CSV's");
    assert!(students.contains("=HYPERLINK(&quot;http://x&quot;)</t>") && !students.contains("<f>"), "a formula-looking name stays text");
    let csv = school.owner.get("/admin/students/export.csv").body;
    assert!(csv.contains("'=HYPERLINK"), "the CSV stays formula-safe");
    assert!(school.owner.get(&format!("/admin/students/{id}")).body.contains("export.xlsx") || school.owner.get("/admin/students").body.contains("/admin/students/export.xlsx?"));
    // A student gets none of it.
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    assert_ne!(student.get("/admin/students/export.xlsx").status, 200);
    assert_ne!(student.get("/admin/sales.xlsx").status, 200);
}
