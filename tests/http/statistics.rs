//! Statistics imports (issue 18, item 8) through the real worker: a hostile file's rows are
//! each refused with their exact reason, the rest imported; completions count in progress,
//! reports and certificates; not-enrolled students are skipped or enrolled by choice; the
//! same file again adds nothing; rejects file and log; another school sees nothing.

use atelier_tests::*;
use std::time::Duration;

fn upload(school: &mut School, content: &str) -> String {
    let r = school.owner.post_file_with("/admin/imports/upload", &[("kind", "statistics")], "file", "stats.csv", content.as_bytes());
    r.location()
}

fn run(school: &mut School, page: &str, options: &[(&str, &str)]) -> String {
    let id = page.rsplit('/').next().unwrap().to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend_from_slice(options);
    let r = school.owner.post("/admin/api/run_import", &form);
    assert_eq!(r.status, 303, "{}", r.body);
    for _ in 0..600 {
        let body = school.owner.get(page).body;
        if body.contains("data-created=") {
            return body;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the import did not finish");
}

fn number(page: &str, attribute: &str) -> i64 {
    page.split(&format!("{attribute}=\"")).nth(1).and_then(|s| s.split('"').next()).and_then(|n| n.parse().ok()).unwrap_or(-1)
}

#[test]
fn a_statistics_file_brings_progress_that_counts_everywhere() {
    let app = spawn_app();
    let mut school = open_school(app);
    let yoga = school.create_course("Yoga doux", "yoga", "published");
    let l1 = school.create_lesson(yoga, "Respirer", "Un.", "published");
    let l2 = school.create_lesson(yoga, "Le devoir", "Deux.", "published");
    let l3 = school.create_lesson(yoga, "Finir", "Trois.", "published");
    let r = school.owner.post("/admin/api/save_task", &[("course_id", &yoga.to_string()), ("lesson_id", &l2.to_string()), ("kind", "assignment"), ("prompt", "Racontez."), ("answer_kind", "text")]);
    assert_eq!(r.status, 303);
    let pilates = school.create_course("Pilates", "pilates", "published");
    let lea = format!("lea-{}@example.com", school.slug);
    let paul = format!("paul-{}@example.com", school.slug);
    school.add_student(yoga, &lea, false);
    school.add_student(pilates, &paul, false);
    let (lea_id, paul_id) = (school.student_id(&lea), school.student_id(&paul));

    // A header without its status column is refused as a whole.
    let refused = upload(&mut school, &format!("email;course;lesson\n{lea};yoga;Respirer\n"));
    assert!(refused.contains("error=import_missing_column") && refused.contains("kind=statistics"), "{refused}");

    let file = [
        "email;course;lesson;status;date;score".to_string(),
        format!("{lea};yoga;Respirer;C;2026-03-01;"),          // 2 ok
        format!("{lea};Yoga doux;Le devoir;P;2026-03-02;85"),  // 3 ok: an approved answer, 85
        format!("{lea};yoga;{l3};C;02/03/2026;"),              // 4 ok, by number: the course is finished
        format!("{paul};yoga;Respirer;I;2026-03-05;"),         // 5 not in the course
        format!("{paul};yoga;Le devoir;F;2026-03-05;40"),      // 6 not in the course
        format!("{lea};yoga;Respirer;Z;2026-03-01;"),          // 7 bad status
        format!("{lea};yoga;Inconnue;C;2026-03-01;"),          // 8 unknown lesson
        format!("nobody-{}@example.com;yoga;Respirer;C;2026-03-01;", school.slug), // 9 unknown student
        format!("{lea};yoga;Respirer;C;2026-02-30;"),          // 10 impossible date
        format!("{lea};yoga;Finir;C;2099-01-01;"),             // 11 future
        format!("{lea};yoga;Respirer;C;2026-03-01;"),          // 12 exact repeat of 2
        format!("{lea};piano;Respirer;C;2026-03-01;"),         // 13 unknown course
        format!("{lea};yoga;Respirer;F;2026-03-01;"),          // 14 F without a quiz or assignment
        format!("{lea};yoga;Le devoir;P;2026-03-02;120"),      // 15 score out of range
    ]
    .join("\n");
    let page = upload(&mut school, &file);
    assert!(page.starts_with("/admin/imports/") && !page.contains("error"), "{page}");
    let preview = school.owner.get(&page).body;
    assert!(preview.contains("Statistiques"));
    assert_eq!(number(&preview, "data-rejected"), 8, "lines 7, 8, 9, 10, 11, 13, 14, 15");
    assert_eq!(number(&preview, "data-ok"), 6);
    for message in [
        "status “Z”: ce n’est pas un statut : utilisez C (terminée), P (réussie), F (échouée), I (incomplète) ou N (non tentée).",
        "lesson “Inconnue”: ce cours n’a pas de leçon avec ce titre ou ce numéro.",
        "aucun élève de votre école n’a cette adresse : importez d’abord les élèves.",
        "date “2026-02-30”: cette date n’existe pas.",
        "date “2099-01-01”: cette date n’est pas encore arrivée.",
        "répète exactement la ligne 2 : importée une fois.",
        "course “piano”: aucun cours de votre école n’a cette adresse ou ce titre.",
        "status “F”: F (échouée) demande une leçon avec un quiz ou un devoir ; celle-ci n’en a pas.",
        "score “120”: un score va de 0 à 100.",
        "l’élève n’est pas inscrit à ce cours : importée seulement si vous choisissez de l’inscrire.",
    ] {
        assert!(preview.contains(message), "the preview says: {message}");
    }
    assert!(preview.contains("name=\"enroll_missing\"") && preview.contains("name=\"certificates\""), "the statistics options");

    // Import without enrolling: Paul's lines are skipped.
    let done = run(&mut school, &page, &[("certificates", "on")]);
    assert_eq!((number(&done, "data-created"), number(&done, "data-skipped"), number(&done, "data-rejected-final")), (3, 2, 8));
    let completions = app.sql_rows(&format!("SELECT lesson_id, completed_at FROM completions WHERE user_id = {lea_id} ORDER BY lesson_id"));
    assert_eq!(completions.iter().map(|c| c["lesson_id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![l1, l2, l3]);
    let answer = &app.sql_rows(&format!("SELECT status, score, max_score FROM submissions WHERE user_id = {lea_id} AND lesson_id = {l2}"))[0];
    assert_eq!((answer["status"].as_str(), answer["score"].as_i64(), answer["max_score"].as_i64()), (Some("approved"), Some(85), Some(100)));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM certificates WHERE user_id = {lea_id} AND course_id = {yoga}")), 1, "the imported completions finish the course");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments WHERE user_id = {paul_id} AND course_id = {yoga}")), 0);
    // Progress shows in the report and its CSV (the certificate too), and on the student's page.
    let csv = school.owner.get(&format!("/admin/courses/{yoga}/report/matrix.csv")).body;
    let line = csv.lines().find(|l| l.contains(&lea)).expect("Léa in the report");
    assert!(line.contains("/certificates/"), "{line}");
    let history = school.owner.get(&format!("/admin/students/{lea_id}")).body;
    assert!(history.contains("Progression importée : « Le devoir » (Yoga doux) réussie le 2 mars 2026, score 85 %."), "the history in sentences");
    assert!(!history.contains("{&quot;") && !history.contains("{\""), "no JSON in the history");
    let mut student = login_with_code(app, &app.school_host(&school.slug), &lea);
    assert!(student.get("/").body.contains("Yoga doux"));
    // Rejects file and log.
    let rejects = school.owner.get(&format!("{page}/rejects.csv")).body;
    assert_eq!(rejects.lines().count(), 9, "the header and the 8 refused lines: {rejects}");
    assert!(rejects.lines().next().unwrap().ends_with("error"));
    let log = school.owner.get(&format!("{page}/log.txt")).body;
    assert!(log.contains("Importées: 3") && log.contains("Ignorées (pas inscrits au cours): 2"), "{log}");

    // The same file again, enrolling: Paul's lines go in; Léa's add nothing.
    let again = upload(&mut school, &file);
    let done = run(&mut school, &again, &[("enroll_missing", "on"), ("certificates", "on")]);
    assert_eq!((number(&done, "data-created"), number(&done, "data-enrolled"), number(&done, "data-skipped")), (5, 1, 0));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments WHERE user_id = {paul_id} AND course_id = {yoga}")), 1);
    let failed = &app.sql_rows(&format!("SELECT status, score FROM submissions WHERE user_id = {paul_id} AND lesson_id = {l2}"))[0];
    assert_eq!((failed["status"].as_str(), failed["score"].as_i64()), (Some("returned"), Some(40)));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions WHERE user_id = {lea_id}")), 1, "no second answer");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM completions WHERE user_id = {lea_id}")), 3);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM completions WHERE user_id = {paul_id}")), 0, "incomplete and failed complete nothing");
    let position = &app.sql_rows(&format!("SELECT last_lesson_id FROM enrollments WHERE user_id = {paul_id} AND course_id = {yoga}"))[0];
    assert_eq!(position["last_lesson_id"].as_i64(), Some(l1), "continue leads where Paul was");

    // Another school sees none of it.
    let mut other = open_school(app);
    assert_eq!(other.owner.get(&page).status, 404);
    assert_eq!(other.owner.get(&format!("{page}/log.txt")).status, 404);
}
