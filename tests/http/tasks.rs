//! Lesson tasks through the real worker: assignments with review (return with a comment,
//! approve), checkpoints that hold later lessons through the drip engine, quizzes (scoring,
//! pass mark, attempts), surveys, curators' course scopes, reports and their CSV files.

use atelier_tests::*;

fn task(school: &mut School, course: i64, lesson: i64, fields: &[(&str, &str)]) -> Response {
    let (c, l) = (course.to_string(), lesson.to_string());
    let mut form = vec![("course_id", c.as_str()), ("lesson_id", l.as_str())];
    form.extend_from_slice(fields);
    school.owner.post("/admin/api/save_task", &form)
}

fn lesson_path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

fn student(app: &Worker, school: &mut School, course: i64, who: &str) -> (String, Client) {
    let email = format!("{who}-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let client = login_with_code(app, &app.school_host(&school.slug), &email);
    (email, client)
}

fn member(app: &Worker, school: &mut School, who: &str, role: &str) -> (i64, Client) {
    school.team_member(app, who, role)
}

/// The newest submission id of a student's answer to a lesson.
fn submission_id(app: &Worker, email: &str, lesson: i64) -> String {
    app.sql_rows(&format!("SELECT s.id FROM submissions s JOIN users u ON u.id = s.user_id WHERE u.email = '{email}' AND s.lesson_id = {lesson} ORDER BY s.attempt DESC LIMIT 1"))[0]["id"]
        .as_i64()
        .unwrap()
        .to_string()
}

#[test]
fn a_checkpoint_assignment_holds_the_next_lessons_until_a_reviewer_approves_it() {
    // Arrange: lesson 1 asks for an answer, reviewed, as a checkpoint; lessons 2 and 3 follow.
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let l1 = school.create_lesson(course, "Premier lavis", "Peignez un ciel.", "published");
    let l2 = school.create_lesson(course, "Deuxième", "Suite.", "published");
    let l3 = school.create_lesson(course, "Troisième", "Fin.", "published");
    let r = task(&mut school, course, l1, &[("kind", "assignment"), ("prompt", "Envoyez une photo de votre ciel."), ("answer_kind", "either"), ("review_required", "on"), ("checkpoint", "on")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let (email, mut alice) = student(app, &mut school, course, "alice");

    // Locked behind the checkpoint: no link, no content.
    let page = alice.get("/courses/aquarelle").body;
    assert!(page.contains(&format!("href=\"{}\"", lesson_path("aquarelle", l1))));
    assert!(!page.contains(&format!("href=\"{}\"", lesson_path("aquarelle", l2))), "lesson 2 waits for the approval");
    assert!(page.contains("S’ouvre quand votre réponse à une leçon précédente est validée") || page.contains("Opens when your answer"));
    assert!(alice.get(&lesson_path("aquarelle", l2)).body.contains("locked-lesson"));
    assert!(!alice.get(&lesson_path("aquarelle", l3)).body.contains("Fin."));
    let lesson = alice.get(&lesson_path("aquarelle", l1)).body;
    assert!(lesson.contains("Envoyez une photo de votre ciel.") && lesson.contains("action=\"/api/submit_assignment\""));

    // Bad answers are refused with their reason; nothing is stored.
    let ids = [("slug", "aquarelle"), ("lesson_id", &*l1.to_string())].map(|(k, v)| (k, v.to_string()));
    let post = |c: &mut Client, extra: &[(&str, &str)]| {
        let mut form: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.extend_from_slice(extra);
        c.post("/api/submit_assignment", &form)
    };
    assert!(post(&mut alice, &[("text", "  "), ("link", "")]).location().contains("error=answer_required"));
    assert!(post(&mut alice, &[("text", ""), ("link", "javascript:alert(1)")]).location().contains("error=answer_link_invalid"));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions WHERE lesson_id = {l1}")), 0);

    // Act: a real answer; then a second one while the first waits is refused.
    let r = post(&mut alice, &[("text", "Mon ciel d’orage"), ("link", "https://photos.example.com/ciel")]);
    assert!(r.location().contains("ok=answer_sent"), "{}", r.location());
    // No curator for this course yet: the owner is told there is an answer to review.
    let owner_mail = app.latest_mail(&school.owner_email.clone());
    assert!(owner_mail.subject.contains("Premier lavis") && owner_mail.text.contains(&email), "{owner_mail:?}");
    assert!(owner_mail.text.contains(&format!("/admin/reviews?course={course}")));
    assert!(post(&mut alice, &[("text", "encore")]).location().contains("error=answer_already_sent"));
    assert!(alice.get(&lesson_path("aquarelle", l1)).body.contains("data-status=\"pending\""));
    assert!(alice.get(&lesson_path("aquarelle", l2)).body.contains("locked-lesson"), "pending is not approved");

    // The owner returns it: a comment is required; the student is told by email.
    let id = submission_id(app, &email, l1);
    let reviews = school.owner.get("/admin/reviews").body;
    assert!(reviews.contains("Mon ciel d’orage") && reviews.contains(&format!("data-submission=\"{id}\"")));
    let r = school.owner.post("/admin/api/review_submission", &[("id", &id), ("decision", "return"), ("comment", "")]);
    assert!(r.location().contains("error=review_comment_required"), "{}", r.location());
    let r = school.owner.post("/admin/api/review_submission", &[("id", &id), ("decision", "return"), ("comment", "Plus de contraste, s’il vous plaît.")]);
    assert!(r.location().contains("ok=review_returned"), "{}", r.location());
    let mail = app.latest_mail(&email);
    assert!(mail.subject.contains("Premier lavis") && mail.text.contains("Plus de contraste"), "{mail:?}");
    // Its link logs the student in and lands on the answer (tests/http/player.rs follows it).
    assert!(mail.link_path().starts_with("/login/link/"));
    let lesson = alice.get(&lesson_path("aquarelle", l1)).body;
    assert!(lesson.contains("data-status=\"returned\"") && lesson.contains("Plus de contraste"));
    assert!(alice.get(&lesson_path("aquarelle", l2)).body.contains("locked-lesson"), "returned is not approved");

    // A curator for this course: the second attempt is announced to them, not to the owner.
    let (curator_id, mut curator) = member(app, &mut school, "curatrice", "curator");
    school.owner.post("/admin/api/save_curator_courses", &[("user_id", &curator_id.to_string()), (&format!("courses[{course}]"), "on")]);
    let r = post(&mut alice, &[("text", "Avec plus de contraste"), ("link", "")]);
    assert!(r.location().contains("ok=answer_sent"));
    let review_mails = |to: &str| app.mails(to).into_iter().filter(|m| m.subject.contains("Premier lavis") && m.text.contains(&email)).count();
    assert_eq!(review_mails(&school.owner_email.clone()), 1, "the owner heard only of the first answer");
    assert_eq!(review_mails(&format!("curatrice-{}@example.com", school.slug)), 1);
    // Approved by the curator: lesson 2 opens, and only that.
    let id = submission_id(app, &email, l1);
    assert!(curator.get("/admin/reviews").body.contains("Avec plus de contraste"));
    let r = curator.post("/admin/api/review_submission", &[("id", &id), ("decision", "approve"), ("comment", "Bravo")]);
    assert!(r.location().contains("ok=review_approved"), "{}", r.location());
    let mail = app.latest_mail(&email);
    assert!(mail.text.contains("Bravo") && mail.text.contains("Deuxième"), "the email says the next lesson is open: {mail:?}");
    let r = curator.post("/admin/api/review_submission", &[("id", &id), ("decision", "return"), ("comment", "trop tard")]);
    assert!(r.location().contains("error=review_already_done"));

    // Assert: the next lessons open (lesson 3 has no rule of its own).
    let opened = alice.get(&lesson_path("aquarelle", l2));
    assert_eq!(opened.status, 200);
    assert!(opened.body.contains("Suite."));
    assert_eq!(alice.get(&lesson_path("aquarelle", l3)).status, 200);
    assert!(alice.get(&lesson_path("aquarelle", l1)).body.contains("data-status=\"approved\""));
    // The student's page lists both attempts with their review.
    let id = school.student_id(&email);
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert_eq!(page.matches("data-kind=\"assignment\"").count(), 2, "two attempts on the student page");
    assert!(page.contains("Premier lavis") && (page.contains("Validé") || page.contains("Approved")));
    // The explainer sees the same engine: for another student, lesson 2 waits on the checkpoint.
    let other = format!("bob-{}@example.com", school.slug);
    school.add_student(course, &other, false);
    let explain = school.owner.get(&format!("/admin/explain?email={}&course=aquarelle&lesson={l2}", other.replace('@', "%40"))).body;
    assert!(explain.contains("leçon-étape") || explain.contains("checkpoint"), "{explain}");
}

#[test]
fn curators_review_only_their_courses_and_each_role_stays_in_its_part() {
    let app = spawn_app();
    let mut school = open_school(app);
    let mine = school.create_course("Mien", "mien", "published");
    let other = school.create_course("Autre", "autre", "published");
    let l_mine = school.create_lesson(mine, "Devoir A", "A", "published");
    let l_other = school.create_lesson(other, "Devoir B", "B", "published");
    for (c, l) in [(mine, l_mine), (other, l_other)] {
        task(&mut school, c, l, &[("kind", "assignment"), ("answer_kind", "text"), ("review_required", "on")]);
    }
    let (email_a, mut a) = student(app, &mut school, mine, "a");
    let (email_b, mut b) = student(app, &mut school, other, "b");
    a.post("/api/submit_assignment", &[("slug", "mien"), ("lesson_id", &l_mine.to_string()), ("text", "réponse du cours mien")]);
    b.post("/api/submit_assignment", &[("slug", "autre"), ("lesson_id", &l_other.to_string()), ("text", "réponse du cours autre")]);
    let (curator_id, mut curator) = member(app, &mut school, "cur", "curator");
    school.owner.post("/admin/api/save_curator_courses", &[("user_id", &curator_id.to_string()), (&format!("courses[{mine}]"), "on")]);
    assert!(school.owner.get("/admin/team").body.contains(&format!("name=\"courses[{mine}]\" value=\"on\" checked")), "the team page shows the assignment");

    // The curator sees and reviews only the assigned course.
    let reviews = curator.get("/admin/reviews?status=all").body;
    assert!(reviews.contains("réponse du cours mien") && !reviews.contains("réponse du cours autre"));
    assert!(reviews.contains("Mien") && !reviews.contains(">Autre ("), "the course filter lists only assigned courses");
    let theirs = submission_id(app, &email_b, l_other);
    assert_eq!(curator.post("/admin/api/review_submission", &[("id", &theirs), ("decision", "approve")]).status, 404);
    assert_eq!(app.sql_rows(&format!("SELECT status FROM submissions WHERE id = {theirs}"))[0]["status"], "pending");
    assert_eq!(curator.get(&format!("/admin/courses/{mine}/report")).status, 200);
    assert_eq!(curator.get(&format!("/admin/courses/{other}/report")).status, 403);
    assert_eq!(curator.get(&format!("/admin/courses/{other}/report/assignments.csv")).status, 403);
    assert_eq!(curator.get(&format!("/admin/courses/{mine}/report/assignments.csv")).status, 200);
    // Nor courses, students or the team.
    assert_eq!(curator.post("/admin/api/save_task", &[("course_id", &mine.to_string()), ("lesson_id", &l_mine.to_string()), ("kind", "survey"), ("questions", "Q: x")]).status, 403);
    assert_eq!(curator.post("/admin/api/save_curator_courses", &[("user_id", &curator_id.to_string()), (&format!("courses[{other}]"), "on")]).status, 403);
    assert_eq!(curator.get("/admin/students").status, 403);

    // An assistant manages students, reads reports, but neither edits tasks nor reviews.
    let (_, mut assistant) = member(app, &mut school, "aide", "assistant");
    assert_eq!(assistant.get(&format!("/admin/courses/{other}/report")).status, 200);
    assert_eq!(assistant.post("/admin/api/save_task", &[("course_id", &mine.to_string()), ("lesson_id", &l_mine.to_string()), ("kind", "survey"), ("questions", "Q: x")]).status, 403);
    let ours = submission_id(app, &email_a, l_mine);
    assert_eq!(assistant.post("/admin/api/review_submission", &[("id", &ours), ("decision", "approve")]).status, 403);
    assert_eq!(assistant.get("/admin/reviews").status, 403);
    // A student: none of it.
    assert_eq!(a.post("/admin/api/review_submission", &[("id", &ours), ("decision", "approve")]).status, 403);
    assert_eq!(a.get(&format!("/admin/courses/{mine}/report")).status, 403);
    // The owner reviews every course.
    let r = school.owner.post("/admin/api/review_submission", &[("id", &theirs), ("decision", "approve")]);
    assert!(r.location().contains("ok=review_approved"));
    // A curator removed from the course loses it at once.
    school.owner.post("/admin/api/save_curator_courses", &[("user_id", &curator_id.to_string())]);
    assert_eq!(curator.get(&format!("/admin/courses/{mine}/report")).status, 403);
    assert!(!curator.get("/admin/reviews?status=all").body.contains("réponse du cours mien"));
}

const QUIZ: &str = "Q: Couleur primaire ? | 2\n* Rouge\n- Vert\n\nQ+: Couleurs chaudes ?\n* Orange\n* Jaune\n- Bleu\n";

#[test]
fn quizzes_score_each_attempt_pass_at_the_mark_and_stop_after_the_last_attempt() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Couleurs", "couleurs", "published");
    let quiz = school.create_lesson(course, "Le quiz", "Répondez.", "published");
    let after = school.create_lesson(course, "Après le quiz", "Ouvert.", "published");

    // The editor refuses a broken list with its line, and keeps what was typed.
    let r = task(&mut school, course, quiz, &[("kind", "quiz"), ("questions", "Q: a\n* b\n- c\nQ: d\n- e\n- f"), ("pass_percent", "70")]);
    assert!(r.location().contains("error=quiz_needs_right_answer") && r.location().contains("line=4"), "{}", r.location());
    assert!(task(&mut school, course, quiz, &[("kind", "quiz"), ("questions", QUIZ), ("pass_percent", "101")]).location().contains("error=pass_percent_invalid"));
    let r = task(&mut school, course, quiz, &[("kind", "quiz"), ("prompt", "Deux questions."), ("questions", QUIZ), ("pass_percent", "100"), ("max_attempts", "2"), ("checkpoint", "on")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    assert!(school.owner.get(&format!("/admin/courses/{course}/lessons/{quiz}")).body.contains("* Rouge"), "the editor shows the list back");

    let (email, mut ana) = student(app, &mut school, course, "ana");
    let page = ana.get(&lesson_path("couleurs", quiz)).body;
    assert!(page.contains("Couleur primaire ?") && page.contains("type=\"radio\"") && page.contains("type=\"checkbox\""));
    assert!(!page.contains("* Rouge") && !page.contains("\"correct\""), "right answers stay on the server");
    let l = quiz.to_string();
    let attempt = |c: &mut Client, answers: &[(&str, &str)]| {
        let mut form = vec![("slug", "couleurs"), ("lesson_id", l.as_str())];
        form.extend_from_slice(answers);
        c.post("/api/submit_quiz", &form)
    };
    // An unanswered question is refused, not counted.
    assert!(attempt(&mut ana, &[("answers[q0]", "0")]).location().contains("error=question_unanswered"));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions WHERE lesson_id = {quiz}")), 0);

    // Attempt 1: question 1 right (2 points), question 2 half right (0): 2/3, not passed.
    let r = attempt(&mut ana, &[("answers[q0]", "0"), ("answers[q1_0]", "0")]);
    assert!(r.location().contains("ok=quiz_failed"), "{}", r.location());
    let page = ana.get(&lesson_path("couleurs", quiz)).body;
    assert!(page.contains("data-score=\"2/3\"") && page.contains("data-status=\"failed\""));
    assert!(page.contains("1 tentative restante") || page.contains("1 attempt left"));
    assert!(ana.get(&lesson_path("couleurs", after)).body.contains("locked-lesson"), "the checkpoint quiz is not passed");

    // Attempt 2: everything right: passed, approved at once, the next lesson opens.
    let r = attempt(&mut ana, &[("answers[q0]", "0"), ("answers[q1_0]", "0"), ("answers[q1_1]", "1")]);
    assert!(r.location().contains("ok=quiz_passed"), "{}", r.location());
    assert!(ana.get(&lesson_path("couleurs", quiz)).body.contains("data-score=\"3/3\""));
    assert_eq!(ana.get(&lesson_path("couleurs", after)).status, 200);
    assert!(attempt(&mut ana, &[("answers[q0]", "0"), ("answers[q1_0]", "0"), ("answers[q1_1]", "1")]).location().contains("error=quiz_no_attempt_left"), "a passed quiz is done");

    // Another student fails twice: no third attempt.
    let (_, mut ben) = student(app, &mut school, course, "ben");
    for _ in 0..2 {
        assert!(attempt(&mut ben, &[("answers[q0]", "1"), ("answers[q1_2]", "2")]).location().contains("ok=quiz_failed"));
    }
    assert!(attempt(&mut ben, &[("answers[q0]", "0"), ("answers[q1_0]", "0"), ("answers[q1_1]", "1")]).location().contains("error=quiz_no_attempt_left"));
    assert!(!ben.get(&lesson_path("couleurs", quiz)).body.contains("action=\"/api/submit_quiz\""));
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ben-{}@example.com'", school.slug)), 2);

    // Results per student in the report and its CSV.
    // Read without Leptos' hydration markers (`<!>`).
    let report = school.owner.get(&format!("/admin/courses/{course}/report")).body.replace("<!>", "");
    assert!(report.contains(&email) && report.contains("3/3") && report.contains("0/3"));
    let csv = school.owner.get(&format!("/admin/courses/{course}/report/quizzes.csv")).body;
    assert!(csv.contains(&format!("{email};Le quiz;2;3;3;100;oui")), "{csv}");
    assert!(csv.contains(&format!("ben-{}@example.com;Le quiz;2;0;3;0;non", school.slug)), "{csv}");
}

#[test]
fn surveys_collect_answers_per_course_and_reports_export_them_formula_safe() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Poterie", "poterie", "published");
    let l1 = school.create_lesson(course, "Tournage", "Centrer la terre.", "published");
    let survey = school.create_lesson(course, "Votre avis", "Dites-nous.", "published");
    let work = school.create_lesson(course, "Émaillage", "Émail.", "published");
    assert!(task(&mut school, course, survey, &[("kind", "survey"), ("questions", "Q: Un mot ?\n* Trop")]).location().contains("error=survey_no_right_answer"));
    assert!(task(&mut school, course, survey, &[("kind", "survey"), ("questions", "Q+: Formats préférés ?\n- Vidéo\n- Texte\nQ: Un commentaire ?")]).location().contains("ok=saved"));
    task(&mut school, course, work, &[("kind", "assignment"), ("answer_kind", "text"), ("review_required", "on")]);

    let (email_a, mut a) = student(app, &mut school, course, "a");
    let (_, mut b) = student(app, &mut school, course, "b");
    let s = survey.to_string();
    let r = a.post("/api/submit_survey", &[("slug", "poterie"), ("lesson_id", &s), ("answers[q0_0]", "0"), ("answers[q0_1]", "1"), ("answers[q1]", "=HYPERLINK(\"http://evil\")")]);
    assert!(r.location().contains("ok=survey_thanks"), "{}", r.location());
    b.post("/api/submit_survey", &[("slug", "poterie"), ("lesson_id", &s), ("answers[q0_1]", "1")]);
    assert!(a.post("/api/submit_survey", &[("slug", "poterie"), ("lesson_id", &s), ("answers[q0_0]", "0")]).location().contains("error=answer_already_sent"));
    assert!(a.get(&lesson_path("poterie", survey)).body.contains("data-status=\"answered\""));
    a.post("/api/mark_complete", &[("slug", "poterie"), ("lesson_id", &l1.to_string())]);
    b.post("/api/mark_complete", &[("slug", "poterie"), ("lesson_id", &l1.to_string())]);
    a.post("/api/submit_assignment", &[("slug", "poterie"), ("lesson_id", &work.to_string()), ("text", "@SUM(1+1)")]);

    // The report: matrix, chart, assignment analysis, survey counts.
    // Read without Leptos' hydration markers (`<!>`).
    let report = school.owner.get(&format!("/admin/courses/{course}/report")).body.replace("<!>", "");
    assert!(report.contains("<svg") && report.contains("<rect"), "a bar for today's completions");
    assert!(report.contains("<title>") && report.contains(": 2</title>"), "two completions today");
    assert!(report.contains("Vidéo : 1") && report.contains("Texte : 2"), "choice counts");
    assert!(report.contains(&format!("data-lesson=\"{work}\"><td>Émaillage</td><td>1</td><td>1</td><td>0</td><td>0</td>")), "submitted 1, pending 1");
    assert_eq!(report.matches("class=\"done\"").count(), 2, "two ✓ in the matrix");

    // CSV files: formula-safe cells, one row per answer.
    let surveys = school.owner.get(&format!("/admin/courses/{course}/report/surveys.csv")).body;
    assert!(surveys.contains(&format!("{email_a};Votre avis;Formats préférés ?;Vidéo | Texte")), "{surveys}");
    assert!(surveys.contains("'=HYPERLINK") && !surveys.contains(";=HYPERLINK"), "{surveys}");
    let assignments = school.owner.get(&format!("/admin/courses/{course}/report/assignments.csv")).body;
    assert!(assignments.contains("'@SUM(1+1)"), "{assignments}");
    let matrix = school.owner.get(&format!("/admin/courses/{course}/report/matrix.csv")).body;
    assert!(matrix.contains(&email_a) && matrix.contains("Tournage"));
    assert_eq!(school.owner.get(&format!("/admin/courses/{course}/report/other.csv")).status, 404);
}

#[test]
fn program_by_modules_with_durations_and_a_course_copy_keeps_tasks_and_checkpoints() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Piano", "piano", "published");
    let l1 = school.create_lesson(course, "Posture", "x", "published");
    let l2 = school.create_lesson(course, "Gammes", "x", "published");
    let l3 = school.create_lesson(course, "Accords", "x", "published");
    for (l, module, minutes) in [(l1, "Bases", "12"), (l2, "Bases", ""), (l3, "Harmonie", "30")] {
        let r = school.owner.post("/admin/api/save_lesson_program", &[("course_id", &course.to_string()), ("lesson_id", &l.to_string()), ("module", module), ("duration_minutes", minutes)]);
        assert!(r.location().contains("ok=saved"), "{}", r.location());
    }
    let r = school.owner.post("/admin/api/save_lesson_program", &[("course_id", &course.to_string()), ("lesson_id", &l1.to_string()), ("module", "Bases"), ("duration_minutes", "0")]);
    assert!(r.location().contains("error=duration_invalid"));

    // A list by default, durations shown.
    let page = school.owner.get("/courses/piano").body;
    assert!(!page.contains("class=\"module\"") && page.contains("12 min") && page.contains("30 min"));
    // By modules, durations hidden.
    let save = |school: &mut School, layout: &str, durations: bool| {
        let c = course.to_string();
        let mut form = vec![("id", c.as_str()), ("author_name", ""), ("author_bio", ""), ("banner_md", ""), ("program_layout", layout)];
        if durations {
            form.push(("show_durations", "on"));
        }
        school.owner.post("/admin/api/save_course_presentation", &form)
    };
    save(&mut school, "modules", false);
    let page = school.owner.get("/courses/piano").body;
    assert_eq!(page.matches("class=\"module\"").count(), 2);
    assert!(page.find(">Bases<").unwrap() < page.find("Gammes").unwrap() && page.find("Gammes").unwrap() < page.find(">Harmonie<").unwrap());
    assert!(!page.contains("12 min"));
    assert!(page.contains("<ol start=\"3\" class=\"lessons\">"), "numbering goes on across modules");

    // Copy: tasks and checkpoints come along.
    task(&mut school, course, l2, &[("kind", "quiz"), ("questions", QUIZ), ("pass_percent", "50"), ("checkpoint", "on")]);
    let r = school.owner.post("/admin/api/copy_course", &[("id", &course.to_string())]);
    let copy: i64 = r.location().strip_prefix("/admin/courses/").and_then(|s| s.split('?').next()).and_then(|s| s.parse().ok()).unwrap();
    let copied = app.sql_rows(&format!(
        "SELECT l.title, l.checkpoint, l.module, l.duration_minutes, t.kind, t.pass_percent FROM lessons l LEFT JOIN lesson_tasks t ON t.lesson_id = l.id WHERE l.course_id = {copy} ORDER BY l.position"
    ));
    assert_eq!(copied.len(), 3);
    assert_eq!((copied[1]["kind"].as_str(), copied[1]["checkpoint"].as_i64(), copied[1]["pass_percent"].as_i64()), (Some("quiz"), Some(1), Some(50)));
    assert_eq!((copied[0]["module"].as_str(), copied[0]["duration_minutes"].as_i64()), (Some("Bases"), Some(12)));
    assert_eq!(app.sql_rows(&format!("SELECT program_layout FROM courses WHERE id = {copy}"))[0]["program_layout"], "modules");
}

#[test]
fn malformed_task_forms_never_cause_a_500() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Forme", "forme", "published");
    let lesson = school.create_lesson(course, "L", "x", "published");
    task(&mut school, course, lesson, &[("kind", "quiz"), ("questions", QUIZ)]);
    let (_, mut s) = student(app, &mut school, course, "s");
    let (c, l) = (course.to_string(), lesson.to_string());
    let owner_posts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/admin/api/save_task", vec![("course_id", c.as_str()), ("lesson_id", l.as_str())]),
        ("/admin/api/save_task", vec![("course_id", "x"), ("lesson_id", l.as_str()), ("kind", "quiz")]),
        ("/admin/api/save_task", vec![("course_id", c.as_str()), ("lesson_id", l.as_str()), ("kind", "poll")]),
        ("/admin/api/save_task", vec![("course_id", c.as_str()), ("lesson_id", "999999999"), ("kind", "survey"), ("questions", "Q: ok")]),
        ("/admin/api/remove_task", vec![("course_id", c.as_str())]),
        ("/admin/api/review_submission", vec![("id", "abc"), ("decision", "approve")]),
        ("/admin/api/review_submission", vec![("id", "1"), ("decision", "maybe")]),
        ("/admin/api/save_curator_courses", vec![("user_id", "1"), ("courses[abc]", "on")]),
        ("/admin/api/save_lesson_program", vec![("course_id", c.as_str()), ("lesson_id", l.as_str()), ("module", "m"), ("duration_minutes", "ten")]),
    ];
    for (path, form) in owner_posts {
        let r = school.owner.post(path, &form);
        assert!(r.status < 500, "{path} {form:?}: {} {}", r.status, r.body);
    }
    for form in [
        vec![("slug", "forme"), ("lesson_id", "x")],
        vec![("slug", "forme"), ("lesson_id", l.as_str()), ("answers[q0]", "999"), ("answers[q1_x]", "-3"), ("answers[zzz]", "1")],
        vec![("slug", "nope"), ("lesson_id", l.as_str())],
    ] {
        let r = s.post("/api/submit_quiz", &form);
        assert!(r.status < 500, "{form:?}: {} {}", r.status, r.body);
    }
    let r = s.post_raw("/api/submit_quiz", "application/x-www-form-urlencoded", "slug=forme&lesson_id=1&answers%5B%5D%5B=%%%");
    assert!(r.status < 500, "{} {}", r.status, r.body);
    // A lesson without an assignment takes none.
    assert!(s.post("/api/submit_assignment", &[("slug", "forme"), ("lesson_id", &l), ("text", "x")]).status < 500);
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM submissions WHERE lesson_id = {lesson}")), 0, "nothing half-written");
}
