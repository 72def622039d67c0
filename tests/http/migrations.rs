//! Schema upgrades lose nothing: a database at the first migration, filled with rows as the
//! app of that time wrote them, is upgraded through every later one by `wrangler d1
//! migrations apply` (table rebuilds included); every row stays and the app works on it
//! (the student is still logged in, with their progress).
//!
//! The rows are written in SQL, not by the current worker: the current code may need
//! the newest columns, which the previous schema does not have. The fixture uses only
//! columns that exist since the first migration.

use atelier_tests::*;
use sha2::{Digest, Sha256};

const TABLES: [&str; 7] = ["schools", "users", "courses", "lessons", "enrollments", "completions", "sessions"];

fn counts(app: &Worker) -> Vec<i64> {
    TABLES.iter().map(|t| app.sql_count(&format!("SELECT COUNT(*) AS n FROM {t}"))).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn upgrading_to_the_latest_migration_keeps_every_row_and_every_session() {
    let files = migration_files();
    assert!(files.len() >= 2, "there are migrations to upgrade through");
    let state = new_state("upgrade");
    apply_migrations(&state, Some(1));

    // A school with its owner, a published course and lesson, a student enrolled with the
    // lesson completed, and the student's session (its cookie is known to the test).
    let slug = unique_slug("up");
    let now = now_ms();
    let (session_id, secret) = ("0123456789abcdef0123456789abcdef", "ab".repeat(32));
    let secret_hash = hex(&Sha256::digest(format!("token:{secret}").as_bytes()));
    let day = 86_400_000i64;
    execute_sql(
        &state,
        &format!(
            "INSERT INTO schools (id, slug, name, status, created_at) VALUES (900, '{slug}', 'École gardée', 'active', {now});
             INSERT INTO users (id, school_id, email, role, created_at) VALUES (901, 900, 'owner@{slug}.test', 'owner', {now}), (902, 900, 'kept@{slug}.test', 'student', {now});
             INSERT INTO courses (id, school_id, slug, title, status, created_at, updated_at) VALUES (903, 900, 'aquarelle', 'Aquarelle', 'published', {now}, {now});
             INSERT INTO lessons (id, school_id, course_id, title, content_md, content_html, position, status, created_at, updated_at)
               VALUES (904, 900, 903, 'Leçon 1', 'Bonjour', '<p>Bonjour</p>', 1, 'published', {now}, {now});
             INSERT INTO enrollments (school_id, user_id, course_id, access_start, status, created_at) VALUES (900, 902, 903, {start}, 'active', {start});
             INSERT INTO completions (school_id, user_id, lesson_id, completed_at) VALUES (900, 902, 904, {now});
             INSERT INTO lesson_blocks (school_id, lesson_id, position, block_json, created_at, updated_at)
               VALUES (900, 904, 1, '{{\"kind\":\"text\",\"markdown\":\"**Gras** et <i>ancien</i>\"}}', {now}, {now});
             INSERT INTO sessions (id, school_id, user_id, secret_hash, created_at, last_seen_at, expires_at, absolute_expires_at)
               VALUES ('{session_id}', 900, 902, '{secret_hash}', {now}, {now}, {later}, {later}),
                      ('{owner_session}', 900, 901, '{secret_hash}', {now}, {now}, {later}, {later});",
            owner_session = "fedcba9876543210fedcba9876543210",
            start = now - day,
            later = now + 30 * day,
        ),
    );
    apply_migrations(&state, None);
    let app = serve_state("dev", state);
    let after = counts(&app);
    assert_eq!(after.iter().map(|n| (*n > 0) as i64).sum::<i64>(), TABLES.len() as i64, "every table kept its rows: {after:?}");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM users WHERE school_id = 900"), 2);
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM enrollments WHERE user_id = 902 AND status = 'active'"), 1);
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM d1_migrations"), files.len() as i64, "every migration recorded");

    // The student is still logged in, with their progress.
    let mut student = app.client(&app.school_host(&slug));
    student.cookies.insert("__Host-atelier_session".into(), format!("{session_id}.{secret}"));
    let page = student.get("/courses/aquarelle").body;
    assert!(page.contains("/courses/aquarelle/lessons/904") && page.contains("<progress max=\"100\" value=\"100\""), "{page}");
    let lesson = student.get("/courses/aquarelle/lessons/904").body;
    assert!(lesson.contains("Bonjour"));
    // A block saved before blocks kept their HTML: its words, escaped, until the lesson is
    // opened in the editor, which renders it once for every reader.
    assert!(lesson.contains("<p>**Gras** et &lt;i&gt;ancien&lt;/i&gt;</p>"), "{lesson}");
    let mut owner = app.client(&app.school_host(&slug));
    owner.cookies.insert("__Host-atelier_session".into(), format!("fedcba9876543210fedcba9876543210.{secret}"));
    assert_eq!(owner.get("/admin/courses/903/lessons/904").status, 200);
    let lesson = student.get("/courses/aquarelle/lessons/904").body;
    assert!(lesson.contains("<strong>Gras</strong> et &lt;i&gt;ancien&lt;/i&gt;"), "{lesson}");

    // The checks hold: a status or mode the code does not know is refused by the table.
    let refused = app.sql("UPDATE enrollments SET status = 'lost' WHERE 1");
    assert!(refused.contains("CHECK constraint failed: enrollments.status"), "{refused}");
    let refused = app.sql("UPDATE courses SET access_mode = 'someday' WHERE 1");
    assert!(refused.contains("CHECK constraint failed: courses.access_mode"), "{refused}");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'check_%'"), 0, "the 0002 triggers went with their tables");
    assert_eq!(app.sql_count("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CONSTRAINT \"users.status\" CHECK%'"), 1);
    app.stop();
}
