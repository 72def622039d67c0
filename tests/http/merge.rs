//! Merging two accounts (issue 18, item 7) through the real worker: the confirmation shows
//! what will move; the merge moves everything and loses nothing (counts before and after),
//! keeps the best progress and the widest access, ends the merged account's sessions, and
//! its address logs in to the kept account; the search index follows; refusals.

use atelier_tests::*;

/// Rows naming a user, per table (what a merge must carry over).
const TABLES: &[(&str, &str)] = &[
    ("enrollments", "user_id"),
    ("completions", "user_id"),
    ("submissions", "user_id"),
    ("certificates", "user_id"),
    ("audit_log", "user_id"),
    ("notifications", "user_id"),
    ("orders", "user_id"),
];

fn counts(app: &Worker, ids: &[i64]) -> Vec<(String, i64)> {
    let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    TABLES.iter().map(|(t, c)| (t.to_string(), app.sql_count(&format!("SELECT COUNT(*) AS n FROM {t} WHERE {c} IN ({list})")))).collect()
}

fn count_of(counts: &[(String, i64)], table: &str) -> i64 {
    counts.iter().find(|(t, _)| t == table).map(|(_, n)| *n).unwrap()
}

fn fingerprint(page: &str) -> String {
    page.split("name=\"fingerprint\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("the confirmation's form").to_string()
}

fn lesson_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

#[test]
fn merging_moves_everything_keeps_the_best_and_the_old_address_logs_in() {
    let app = spawn_app();
    let mut school = open_school(app);
    let host = app.school_host(&school.slug);
    let yoga = school.create_course("Yoga", "yoga", "published");
    let y1 = school.create_lesson(yoga, "Respirer", "Un.", "published");
    let y2 = school.create_lesson(yoga, "Saluer", "Deux.", "published");
    let y3 = school.create_lesson(yoga, "Finir", "Trois.", "published");
    let r = school.owner.post("/admin/api/save_task", &[("course_id", &yoga.to_string()), ("lesson_id", &y2.to_string()), ("kind", "assignment"), ("prompt", "Racontez."), ("answer_kind", "text")]);
    assert_eq!(r.status, 303);
    let pilates = school.create_course("Pilates", "pilates", "published");
    let p1 = school.create_lesson(pilates, "Gainage", "Un.", "published");

    // Léa's first account: Yoga until 2030, lessons 1 and 2 done (an answer).
    let kept_email = format!("lea-{}@example.com", school.slug);
    school.add_student(yoga, &kept_email, false);
    let kept = school.student_id(&kept_email);
    let enrollment: i64 = app.sql_count(&format!("SELECT id AS n FROM enrollments WHERE user_id = {kept}"));
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &kept.to_string()), ("enrollment_id", &enrollment.to_string()), ("action", "set_end"), ("access_end", "2030-06-30")]);
    assert_eq!(r.status, 303);
    let mut lea = login_with_code(app, &host, &kept_email);
    lea.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &y1.to_string())]);
    assert!(lea.post("/api/submit_assignment", &[("slug", "yoga"), ("lesson_id", &y2.to_string()), ("text", "Premier compte")]).location().contains("ok="));

    // Her second account (another address, a name, a note): Yoga without end, Pilates; she
    // answered lesson 2 too and finished lesson 3.
    let merged_email = format!("lea.martin-{}@example.com", school.slug);
    school.add_student(yoga, &merged_email, false);
    school.add_student(pilates, &merged_email, false);
    let merged = school.student_id(&merged_email);
    let r = school.owner.post("/admin/api/save_student_profile", &[("id", &merged.to_string()), ("first_name", "Léa"), ("last_name", "Martin"), ("locale", "fr"), ("note", "Payé par chèque")]);
    assert_eq!(r.status, 303);
    let mut martin = login_with_code(app, &host, &merged_email);
    martin.post("/api/submit_assignment", &[("slug", "yoga"), ("lesson_id", &y2.to_string()), ("text", "Second compte")]);
    martin.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &y3.to_string())]);
    martin.post("/api/mark_complete", &[("slug", "pilates"), ("lesson_id", &p1.to_string())]);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM certificates WHERE user_id = {merged}")), 1, "Pilates finished");
    assert!(martin.get("/courses/pilates").status == 200);

    let before = counts(app, &[kept, merged]);
    let done_before: i64 = app.sql_count(&format!("SELECT COUNT(DISTINCT lesson_id) AS n FROM completions WHERE user_id IN ({kept}, {merged})"));

    // The confirmation, by address (as typed in its form): exactly what will move.
    let page = school.owner.get(&format!("/admin/students/merge?keep={}&merge={}", kept_email, merged_email));
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains(&format!("Ce qui passe sur {kept_email}")), "{body}");
    let plan = body.split("class=\"card merge-plan\"").nth(1).unwrap_or("");
    assert!(plan.contains("« Pilates »"), "the course that moves: {plan}");
    assert!(body.contains("« Yoga », où les deux sont inscrits"), "the course both have");
    assert!(body.contains("sans fin"), "the widest access: no end");
    assert!(body.contains("3 leçons terminées") && body.contains("1 aussi terminée par le compte gardé"), "{body}");
    assert!(body.contains("1 réponse"), "the answer");
    assert!(body.contains("1 certificat, à la même adresse"));
    assert!(body.contains(&format!("Le compte {merged_email} est supprimé")));
    assert!(body.contains("Sa session ouverte se termine (1)") || body.contains("Ses sessions ouvertes se terminent"), "{body}");
    let fp = fingerprint(body);

    // A confirmation that no longer matches (something changed meanwhile) does nothing.
    let r = school.owner.post("/admin/api/merge_accounts", &[("keep", &kept.to_string()), ("merge", &merged.to_string()), ("fingerprint", "0000000000000000")]);
    assert!(r.location().contains("error=merge_changed"), "{}", r.location());
    assert_eq!(counts(app, &[kept, merged]), before);

    // Merge.
    let r = school.owner.post("/admin/api/merge_accounts", &[("keep", &kept.to_string()), ("merge", &merged.to_string()), ("fingerprint", &fp)]);
    assert_eq!((r.status, r.location()), (303, format!("/admin/students/{kept}?ok=accounts_merged")));

    // Nothing lost: every row of both is now the kept account's (less what became one).
    let after = counts(app, &[kept, merged]);
    let only_kept = counts(app, &[kept]);
    assert_eq!(after, only_kept, "nothing names the merged account any more");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users WHERE id = {merged}")), 0);
    assert_eq!(count_of(&after, "enrollments"), 2, "Yoga (one, combined) and Pilates");
    assert_eq!(count_of(&after, "completions"), done_before, "every lesson either did");
    assert_eq!(count_of(&after, "submissions"), count_of(&before, "submissions"));
    assert_eq!(count_of(&after, "certificates"), count_of(&before, "certificates"));
    assert_eq!(count_of(&after, "notifications"), count_of(&before, "notifications"));
    assert_eq!(count_of(&after, "audit_log"), count_of(&before, "audit_log") + 1, "its history, and the merge itself");
    // The widest access, and the answers numbered one after the other.
    let yoga_access = app.sql_rows(&format!("SELECT access_end, status FROM enrollments WHERE user_id = {kept} AND course_id = {yoga}"));
    assert_eq!(yoga_access[0]["access_end"], serde_json::Value::Null, "no end wins over 2030");
    assert_eq!(yoga_access[0]["status"], "active");
    let attempts = app.sql_rows(&format!("SELECT attempt, answer_text FROM submissions WHERE user_id = {kept} AND lesson_id = {y2} ORDER BY attempt"));
    assert_eq!(attempts.iter().map(|a| (a["attempt"].as_i64().unwrap(), a["answer_text"].as_str().unwrap().to_string())).collect::<Vec<_>>(), vec![(1, "Premier compte".to_string()), (2, "Second compte".to_string())]);
    // The profile took what it lacked; the note moved.
    let user = &app.sql_rows(&format!("SELECT first_name, last_name, note FROM users WHERE id = {kept}"))[0];
    assert_eq!((user["first_name"].as_str(), user["last_name"].as_str()), (Some("Léa"), Some("Martin")));
    assert!(user["note"].as_str().unwrap().contains("Payé par chèque"));

    // The merged account's session ended; its address logs in to the kept account.
    let ended = martin.get("/account");
    assert!(matches!(ended.status, 302 | 303) && ended.location().starts_with("/login"), "the merged account's session ended: {} {}", ended.status, ended.location());
    let mut again = login_with_code(app, &host, &merged_email);
    let home = again.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(again.get(&lesson_path("pilates", p1)).status, 200, "Pilates, moved to the kept account");
    let account = again.get("/account").body;
    assert!(account.contains(&kept_email), "logged in as the kept account");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users WHERE email = '{merged_email}'")), 0, "no second account made by logging in");
    // Progress made before the merge shows: lesson 3 done on the course page.
    assert!(again.get("/courses/yoga").status == 200);
    drop(lea);

    // The student's page: the alias, the history entry, the notice.
    let student_page = school.owner.get(&format!("/admin/students/{kept}?ok=accounts_merged")).body;
    assert!(student_page.contains(&merged_email), "the alias shows");
    assert!(student_page.contains(&format!("Le compte {merged_email} a été fusionné dans celui-ci")), "the history says it");
    assert!(student_page.contains("Comptes fusionnés"));
    // The search index follows: the kept account is found by the name it took; the merged
    // address finds no account of its own.
    let found = school.owner.get("/admin/students?q=Martin").body;
    assert!(found.contains(&format!("/admin/students/{kept}\"")), "found by the merged account's name");
    let found = school.owner.get(&format!("/admin/students?q={}", merged_email.split('@').next().unwrap())).body;
    assert!(!found.contains(&format!("/admin/students/{merged}\"")));

    // Inviting the merged address reaches the kept account; no second account is made.
    let r = school.owner.post("/admin/api/invite_student", &[("email", &merged_email), ("first_name", ""), ("last_name", ""), ("locale", ""), ("access_start", ""), ("access_end", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().starts_with(&format!("/admin/students/{kept}")), "{}", r.location());
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users WHERE email = '{merged_email}'")), 0);
}

#[test]
fn a_merge_is_refused_with_its_reason_and_stays_in_its_school() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Yoga", "yoga", "published");
    let a = format!("a-{}@example.com", school.slug);
    let b = format!("b-{}@example.com", school.slug);
    school.add_student(course, &a, false);
    school.add_student(course, &b, false);
    let (ida, idb) = (school.student_id(&a), school.student_id(&b));
    let (curator, _) = school.team_member(app, "corr", "curator");

    let page = |school: &mut School, keep: &str, merge: &str| school.owner.get(&format!("/admin/students/merge?keep={keep}&merge={merge}")).body;
    assert!(page(&mut school, &a, &a).contains("C’est le même compte"));
    assert!(page(&mut school, &a, "nobody@example.com").contains("Aucun élève de votre école"));
    assert!(page(&mut school, &a, &curator.to_string()).contains("Seuls des comptes d’élèves"));
    let empty = page(&mut school, "", "");
    assert!(empty.contains("name=\"keep\"") && !empty.contains("name=\"fingerprint\""), "the form alone");
    // From the student's page: the account to keep chosen, the other to type.
    assert!(school.owner.get(&format!("/admin/students/{ida}")).body.contains(&format!("/admin/students/merge?keep={ida}")));

    // Another school's team cannot reach these accounts, by form or by page.
    let mut other = open_school(app);
    let fp = fingerprint(&page(&mut school, &ida.to_string(), &idb.to_string()));
    let r = other.owner.post("/admin/api/merge_accounts", &[("keep", &ida.to_string()), ("merge", &idb.to_string()), ("fingerprint", &fp)]);
    assert!(r.location().contains("error=merge_not_found"), "{}", r.location());
    assert!(other.owner.get(&format!("/admin/students/merge?keep={ida}&merge={idb}")).body.contains("Aucun élève de votre école"));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users WHERE id IN ({ida}, {idb})")), 2);
    // A student cannot merge.
    let mut student = login_with_code(app, &app.school_host(&school.slug), &a);
    let r = student.post("/admin/api/merge_accounts", &[("keep", &ida.to_string()), ("merge", &idb.to_string()), ("fingerprint", &fp)]);
    assert_ne!(r.status, 303);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users WHERE id IN ({ida}, {idb})")), 2);
}
