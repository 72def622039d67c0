//! Student imports through the real worker: upload, preview (how the file is read, every
//! row's problems), import, the same file again (changes nothing), the rejects file fixed and
//! imported, files that cannot be read, and who may import.

use atelier_tests::*;

fn school_with_courses(app: &Worker) -> School {
    let mut school = open_school(app);
    school.create_course("Yoga", "yoga", "published");
    school.create_course("Pilates", "pilates", "published");
    school
}

/// Uploads a file; returns the import's page path.
fn upload(school: &mut School, name: &str, content: &[u8]) -> String {
    let r = school.owner.post_file("/admin/imports/upload", "file", name, content);
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location();
    assert!(to.starts_with("/admin/imports/") && !to.contains("error"), "{to}");
    to
}

/// Runs the import with the usual options and waits until it is done; returns the result page.
fn import(school: &mut School, page: &str, options: &[(&str, &str)]) -> String {
    let id = page.rsplit('/').next().unwrap().to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend_from_slice(options);
    let r = school.owner.post("/admin/api/run_import", &form);
    assert_eq!(r.location(), page, "{}", r.body);
    for _ in 0..600 {
        let body = school.owner.get(page).body;
        if body.contains("data-created=") {
            return body;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the import did not finish");
}

fn count(page: &str, name: &str) -> i64 {
    page.split(&format!("data-{name}=\"")).nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse().ok()).unwrap_or(-1)
}

const ALL: &[(&str, &str)] = &[("update_existing", "on"), ("grant_courses", "on")];

fn file_with_errors(slug: &str) -> String {
    format!(
        "\u{feff}Courriel;Prénom;Nom;Cours;Début;Fin;Langue;Remarque;Téléphone\r\n\
         ana-{slug}@example.com;Ana;Lopez;yoga|pilates;2026-01-05;2026-12-31;fr;\"VIP; paie en 3 fois\";0600000000\r\n\
         ben-{slug}@example.com;Ben;Martin;yoga;;;en;;\r\n\
         chloe-{slug}@example.com;Chloé;Durand;;;;de;;\r\n\
         bob@;Bob;;;;;;;\r\n\
         dan-{slug}@example.com;Dan;;cuisine;;;;;\r\n\
         eve-{slug}@example.com;Eve;;yoga;2026-02-30;;;;\r\n\
         fay-{slug}@example.com;Fay;;yoga;2026-03-01;;;;\r\n\
         FAY-{slug}@example.com;Faye;;yoga;2026-03-01;;;;\r\n"
    )
}

#[test]
fn a_file_is_previewed_then_imported_and_importing_it_again_changes_nothing() {
    let app = spawn_app();
    let mut school = school_with_courses(app);
    let file = file_with_errors(&school.slug);
    let page = upload(&mut school, "élèves.csv", file.as_bytes());

    // The preview: how the first row is read, the totals, every row's problems.
    let preview = school.owner.get(&page).body;
    assert!(preview.contains("ana-") && preview.contains("VIP; paie en 3 fois"), "the first row as read");
    assert!(preview.contains("Téléphone") && preview.contains("non importée"), "the unknown column");
    assert_eq!((count(&preview, "ok"), count(&preview, "rejected")), (3, 5));
    for message in [
        "email “bob@”: adresse email invalide.",
        "courses “cuisine”: aucun cours de votre école n’a cet identifiant.",
        "access_start “2026-02-30”: cette date n’existe pas.",
        "le même email est ligne 9 avec d’autres informations.",
        "language “de”: langue inconnue (fr ou en)",
    ] {
        assert!(preview.contains(message), "{message}");
    }
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM users u JOIN schools s ON s.id = u.school_id WHERE s.slug = '{}' AND u.role = 'student'", school.slug)), 0, "nothing written before import");

    let result = import(&mut school, &page, ALL);
    assert_eq!((count(&result, "created"), count(&result, "updated"), count(&result, "unchanged")), (3, 0, 0));
    assert_eq!(count(&result, "enrolled"), 3, "ana: yoga and pilates, ben: yoga");
    let ana = &app.sql_rows(&format!("SELECT first_name, last_name, note, locale FROM users WHERE email = 'ana-{}@example.com'", school.slug))[0];
    assert_eq!((ana["first_name"].as_str(), ana["last_name"].as_str(), ana["note"].as_str(), ana["locale"].as_str()), (Some("Ana"), Some("Lopez"), Some("VIP; paie en 3 fois"), Some("fr")));
    let chloe = &app.sql_rows(&format!("SELECT locale FROM users WHERE email = 'chloe-{}@example.com'", school.slug))[0];
    assert!(chloe["locale"].is_null(), "unknown language: the school's default: {chloe}");
    let audit = format!("SELECT COUNT(*) AS n FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.email = 'ana-{}@example.com'", school.slug);
    assert_eq!(app.sql_count(&audit), 3, "created + two courses granted");

    // The same file again: nothing changes.
    let again = upload(&mut school, "élèves.csv", file.as_bytes());
    let result = import(&mut school, &again, ALL);
    assert_eq!((count(&result, "created"), count(&result, "updated"), count(&result, "enrolled"), count(&result, "unchanged")), (0, 0, 0, 3));
    assert_eq!(app.sql_count(&audit), 3, "no new audit entries");

    // An imported student logs in and sees the course.
    let host = app.school_host(&school.slug);
    let mut ana = login_with_code(app, &host, &format!("ana-{}@example.com", school.slug));
    assert!(ana.get("/").body.contains("Pilates"));
}

#[test]
fn the_rejects_file_imports_after_fixing_and_the_log_lists_every_row() {
    let app = spawn_app();
    let mut school = school_with_courses(app);
    let file = file_with_errors(&school.slug);
    let page = upload(&mut school, "eleves.csv", file.as_bytes());
    import(&mut school, &page, ALL);

    let rejects = school.owner.get(&format!("{page}/rejects.csv"));
    assert_eq!(rejects.status, 200);
    assert!(rejects.header("content-type").unwrap_or("").starts_with("text/csv"));
    assert!(rejects.body.starts_with('\u{feff}'), "BOM for spreadsheets");
    let lines: Vec<&str> = rejects.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 6, "header + 5 rejected rows: {}", rejects.body);
    assert!(lines[0].ends_with(";error"), "{}", lines[0]);
    assert!(rejects.body.contains("cette date n’existe pas"));

    let log = school.owner.get(&format!("{page}/log.txt"));
    assert_eq!(log.status, 200);
    for line in 2..=9 {
        assert!(log.body.contains(&format!("Ligne {line}:")), "line {line} in the log: {}", log.body);
    }

    // Fixed: a real email, a real course, a real date; the conflicting pair made one.
    let fixed = rejects
        .body
        .replace("bob@;", &format!("bob-{}@example.com;", school.slug))
        .replace(";cuisine;", ";yoga;")
        .replace("2026-02-30", "2026-02-28")
        .replace(&format!("FAY-{}@example.com;Faye;", school.slug), &format!("FAY-{}@example.com;Fay;", school.slug));
    let again = upload(&mut school, "rejets-corriges.csv", fixed.as_bytes());
    let preview = school.owner.get(&again).body;
    assert_eq!(count(&preview, "rejected"), 0, "{preview}");
    let result = import(&mut school, &again, ALL);
    assert_eq!(count(&result, "created"), 4, "bob, dan, eve, fay (once)");
}

#[test]
fn files_that_cannot_be_read_say_why_and_keep_nothing() {
    let app = spawn_app();
    let mut school = school_with_courses(app);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"email;first_name\nz\xe9@x.fr;Z\xe9\n".to_vec(), "error=csv_not_utf8&line=2"),
        (b"name;first_name\nx;y\n".to_vec(), "error=import_no_email_column"),
        (b"email;courriel\nx;y\n".to_vec(), "error=import_repeated_column&column=courriel"),
        (b"\xef\xbb\xbf".to_vec(), "error=csv_empty"),
        (vec![b'x'; 5 * 1024 * 1024 + 100], "error=csv_too_large"),
    ];
    for (content, expected) in cases {
        let r = school.owner.post_file("/admin/imports/upload", "file", "x.csv", &content);
        assert_eq!(r.status, 303);
        let to = r.location();
        let code = expected.split('&').next().unwrap();
        assert!(to.contains(code), "{expected}: {to}");
        if expected.contains("line=2") {
            assert!(school.owner.get(&to).body.contains("premier problème ligne 2"), "the message names the line");
        }
    }
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM imports i JOIN schools s ON s.id = i.school_id WHERE s.slug = '{}'", school.slug)), 0);
    let r = school.owner.post_file("/admin/imports/upload", "other", "", b"");
    assert!(r.location().contains("error=csv_no_file"), "{}", r.location());
}

#[test]
fn invitations_go_to_new_students_only_when_asked() {
    let app = spawn_app();
    let mut school = school_with_courses(app);
    let (a, b) = (format!("new1-{}@example.com", school.slug), format!("new2-{}@example.com", school.slug));
    let page = upload(&mut school, "a.csv", format!("email,courses\n{a},yoga\n").as_bytes());
    import(&mut school, &page, ALL);
    assert!(app.mails(&a).is_empty(), "not asked");
    let page = upload(&mut school, "b.csv", format!("email,courses\n{b},yoga\n").as_bytes());
    let result = import(&mut school, &page, &[("update_existing", "on"), ("grant_courses", "on"), ("invite_new", "on")]);
    assert!(result.contains("Invitations envoyées"), "{result}");
    assert!(app.latest_mail(&b).link_path().starts_with("/login/link/"), "a personal login link");
}

#[test]
fn only_the_owner_imports() {
    let app = spawn_app();
    let mut school = school_with_courses(app);
    let page = upload(&mut school, "a.csv", b"email\nx@example.com\n");
    let host = app.school_host(&school.slug);
    let mut visitor = app.client(&host);
    let r = visitor.post_file("/admin/imports/upload", "file", "a.csv", b"email\ny@example.com\n");
    assert!(r.location().starts_with("/login"), "{}", r.location());
    assert!(visitor.get(&format!("{page}/rejects.csv")).location().starts_with("/login"));
    let course = school.create_course("Danse", "danse", "published");
    let student = format!("s-{}@example.com", school.slug);
    school.add_student(course, &student, false);
    let mut student = login_with_code(app, &host, &student);
    assert_eq!(student.post_file("/admin/imports/upload", "file", "a.csv", b"email\nz@example.com\n").status, 403);
    assert_eq!(student.get(&format!("{page}/log.txt")).status, 403);
    let id = page.rsplit('/').next().unwrap();
    assert_eq!(student.post("/admin/api/run_import", &[("id", id)]).status, 403);
    // Another school's owner does not see this import.
    let mut other = school_with_courses(app);
    assert_eq!(other.owner.get(&format!("{page}/log.txt")).status, 404);
}
