//! Schema upgrades lose nothing: a database made at the previous migration, full of data,
//! is upgraded by `wrangler d1 migrations apply`; every row stays and the app works on it
//! (the student is still logged in).

use atelier_tests::*;

const TABLES: [&str; 6] = ["schools", "users", "courses", "enrollments", "completions", "sessions"];

fn counts(app: &Worker) -> Vec<i64> {
    TABLES.iter().map(|t| app.sql_count(&format!("SELECT COUNT(*) AS n FROM {t}"))).collect()
}

#[test]
fn upgrading_to_the_latest_migration_keeps_every_row_and_every_session() {
    let files = migration_files();
    assert!(files.len() >= 2, "there is a previous migration to upgrade from");
    let state = new_state("upgrade");
    apply_migrations(&state, Some(files.len() - 1));
    let app = serve_state("dev", state.clone());
    let mut school = open_school(&app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let lesson = school.create_lesson(course, "Leçon 1", "Bonjour", "published");
    let student = format!("kept-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let host = app.school_host(&school.slug);
    let mut c = login_with_code(&app, &host, &student);
    let r = c.post("/api/mark_complete", &[("slug", "aquarelle"), ("lesson_id", &lesson.to_string())]);
    assert_eq!(r.status, 302, "{}", r.body);
    let before = counts(&app);
    assert!(before.iter().all(|n| *n > 0), "every table has rows: {before:?}");
    app.stop();

    apply_migrations(&state, None);
    let app = serve_state("dev", state);
    assert_eq!(counts(&app), before, "{TABLES:?}");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM d1_migrations"), files.len() as i64, "every migration recorded");
    // Same port is not needed: cookies are per host name, and the session is in D1.
    let mut again = app.client(&app.school_host(&school.slug));
    again.cookies = c.cookies.clone();
    let page = again.get("/courses/aquarelle").body;
    assert!(page.contains(&format!("/courses/aquarelle/lessons/{lesson}")) && page.contains("<progress max=\"100\" value=\"100\">"), "the student is still logged in, with their progress");
    // The new checks hold: a status the code does not know is refused.
    let refused = app.sql("UPDATE enrollments SET status = 'lost' WHERE 1");
    assert!(refused.contains("CHECK constraint failed: enrollments.status"), "{refused}");
    // They are the tables' own constraints now (0003), kinds and modes included.
    let refused = app.sql("UPDATE courses SET access_mode = 'someday' WHERE 1");
    assert!(refused.contains("CHECK constraint failed: courses.access_mode"), "{refused}");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'check_%'"), 0, "the 0002 triggers went with their tables");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CONSTRAINT \"users.status\" CHECK%'"), 1);
    app.stop();
}
