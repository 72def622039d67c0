//! Lesson blocks through the real worker: each kind added by the creator and rendered for a
//! student on the server; hostile blocks refused with their reason (an embed from a host the
//! school did not allow included); reorder and delete; timecodes without JavaScript.

use atelier_tests::*;

struct Lesson {
    school: School,
    student: Client,
    course: i64,
    lesson: i64,
}

fn lesson_with_student(app: &Worker) -> Lesson {
    let mut school = open_school(app);
    let course = school.create_course("Maths", "maths", "published");
    let lesson = school.create_lesson(course, "Dérivées", "Introduction.", "published");
    let email = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let student = login_with_code(app, &app.school_host(&school.slug), &email);
    Lesson { school, student, course, lesson }
}

fn add(l: &mut Lesson, kind: &str, fields: &[(&str, &str)]) -> Response {
    let (c, id) = (l.course.to_string(), l.lesson.to_string());
    let mut form = vec![("course_id", c.as_str()), ("lesson_id", id.as_str()), ("block_id", ""), ("kind", kind)];
    form.extend_from_slice(fields);
    l.school.owner.post("/admin/api/save_block", &form)
}

fn page(l: &mut Lesson, query: &str) -> String {
    l.student.get(&format!("/courses/maths/lessons/{}{query}", l.lesson)).body
}

#[test]
fn each_kind_of_block_renders_for_the_student_without_script() {
    let app = spawn_app();
    let mut l = lesson_with_student(app);
    l.school.owner.post("/admin/api/save_lesson_hosts", &[("hosts", "www.canva.com\ndocs.google.com")]);
    for (kind, fields) in [
        ("text", vec![("text", "Regardez la vidéo à [1:23] pour la **règle**.")]),
        ("video", vec![("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")]),
        ("button", vec![("label", "Fiche d’exercices"), ("url", "https://example.com/fiche.pdf")]),
        ("embed", vec![("url", "https://www.canva.com/design/abc/view?embed")]),
        ("math", vec![("text", "f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}")]),
        ("spoiler", vec![("title", "Voir la réponse"), ("text", "La dérivée de x² est **2x**.")]),
    ] {
        let r = add(&mut l, kind, &fields);
        assert!(r.location().contains("ok=saved"), "{kind}: {}", r.location());
    }
    let body = page(&mut l, "");
    assert!(body.contains("<a class=\"timecode\" href=\"?t=83#video\" data-seek=\"83\">1:23</a>"), "timecode link");
    assert!(body.contains("<strong>règle</strong>"));
    assert!(body.contains("id=\"video\"") && body.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=0"), "video player");
    assert!(body.contains("href=\"https://example.com/fiche.pdf\" target=\"_blank\" rel=\"noopener noreferrer\">Fiche d’exercices</a>"), "button");
    assert!(body.contains("<iframe src=\"https://www.canva.com/design/abc/view?embed\" sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\""), "embed, sandboxed");
    assert!(body.contains("<math display=\"block\">") && body.contains("<mfrac>") && body.contains("<mo>→</mo>"), "math as MathML");
    assert!(body.contains("<details class=\"block spoiler\"><summary>Voir la réponse</summary>"), "spoiler, hidden until tapped");
    // In the order they were added, after the lesson's text.
    let order: Vec<usize> = ["Introduction.", "timecode", "id=\"video\"", "fiche.pdf", "canva.com", "<math", "<details class=\"block spoiler\""].iter().map(|m| body.find(m).unwrap_or(usize::MAX)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    // Without JavaScript a timecode reloads the lesson with the video starting there.
    assert!(page(&mut l, "?t=83").contains("embed/dQw4w9WgXcQ?start=83"));
}

#[test]
fn hostile_blocks_are_refused_with_their_reason_and_nothing_is_saved() {
    let app = spawn_app();
    let mut l = lesson_with_student(app);
    l.school.owner.post("/admin/api/save_lesson_hosts", &[("hosts", "www.canva.com")]);
    let cases: Vec<(&str, Vec<(&str, &str)>, &str)> = vec![
        ("embed", vec![("url", "https://evil.example/phish")], "block_embed_host"),
        ("embed", vec![("url", "https://www.canva.com@evil.example/x")], "block_embed_host"),
        ("video", vec![("url", "https://evil.example/video")], "video_unsupported"),
        ("video", vec![("url", "http://youtu.be/dQw4w9WgXcQ")], "video_not_https"),
        ("button", vec![("label", "Clic"), ("url", "javascript:alert(1)")], "block_button_url"),
        ("math", vec![("text", "\\href{javascript:alert(1)}{x}")], "math_unknown_command"),
        ("spoiler", vec![("title", ""), ("text", "x")], "block_spoiler_title"),
        ("script", vec![("text", "x")], "block_kind_unknown"),
    ];
    for (kind, fields, code) in cases {
        let r = add(&mut l, kind, &fields);
        assert!(r.location().contains(&format!("error={code}")), "{kind} {fields:?}: {}", r.location());
    }
    let body = page(&mut l, "");
    assert!(!body.contains("evil.example") && !body.contains("javascript:") && !body.contains("class=\"block"), "nothing saved");
    // A text block's HTML is sanitized like the lesson's.
    add(&mut l, "text", &[("text", "<img src=x onerror=alert(1)> <script>alert(2)</script>")]);
    let body = page(&mut l, "");
    assert!(!body.contains("<img src=x") && !body.contains("<script>alert(2)"), "escaped");
    // Only the school's owner edits blocks; another school's owner cannot touch this lesson.
    let mut other = open_school(app);
    let r = other.owner.post("/admin/api/save_block", &[("course_id", &l.course.to_string()), ("lesson_id", &l.lesson.to_string()), ("block_id", ""), ("kind", "text"), ("text", "pirate")]);
    assert_eq!(r.status, 404);
    let r = l.student.post("/admin/api/save_block", &[("course_id", &l.course.to_string()), ("lesson_id", &l.lesson.to_string()), ("block_id", ""), ("kind", "text"), ("text", "élève")]);
    assert_eq!(r.status, 403);
}

#[test]
fn blocks_are_edited_reordered_and_deleted() {
    let app = spawn_app();
    let mut l = lesson_with_student(app);
    add(&mut l, "text", &[("text", "PREMIER")]);
    add(&mut l, "text", &[("text", "SECOND")]);
    let editor = l.school.owner.get(&format!("/admin/courses/{}/lessons/{}", l.course, l.lesson)).body;
    let ids: Vec<String> = editor.split("data-block=\"").skip(1).filter_map(|s| s.split('"').next().map(String::from)).collect();
    assert_eq!(ids.len(), 2, "both in the editor");
    let change = |l: &mut Lesson, id: &str, action: &str| {
        let (c, le) = (l.course.to_string(), l.lesson.to_string());
        l.school.owner.post("/admin/api/change_block", &[("course_id", &c), ("lesson_id", &le), ("block_id", id), ("action", action)])
    };
    change(&mut l, &ids[1], "up");
    let body = page(&mut l, "");
    assert!(body.find("SECOND") < body.find("PREMIER"), "moved up");
    let (c, le) = (l.course.to_string(), l.lesson.to_string());
    l.school.owner.post("/admin/api/save_block", &[("course_id", &c), ("lesson_id", &le), ("block_id", &ids[0]), ("kind", "text"), ("text", "PREMIER, corrigé")]);
    assert!(page(&mut l, "").contains("PREMIER, corrigé"));
    change(&mut l, &ids[1], "delete");
    let body = page(&mut l, "");
    assert!(!body.contains("SECOND") && body.contains("PREMIER, corrigé"));
}

#[test]
fn a_trial_lesson_embed_shows_its_blocks_and_frames_only_their_players() {
    let app = spawn_app();
    let mut l = lesson_with_student(app);
    l.school.owner.post("/admin/api/save_lesson_hosts", &[("hosts", "www.canva.com")]);
    for (kind, fields) in [
        ("video", vec![("url", "https://vimeo.com/76979871")]),
        ("spoiler", vec![("title", "Voir la réponse"), ("text", "Réponse cachée.")]),
        ("embed", vec![("url", "https://www.canva.com/design/abc/view?embed")]),
        ("math", vec![("text", "x^2")]),
    ] {
        assert!(add(&mut l, kind, &fields).location().contains("ok=saved"));
    }
    let id = l.school.make_trial(l.course, l.lesson);
    let mut visitor = app.client(&app.school_host(&l.school.slug));
    let r = visitor.get(&format!("/embed/{id}"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("https://player.vimeo.com/video/76979871") && r.body.contains("<details class=\"block spoiler\">") && r.body.contains("<math"), "{}", r.body);
    let csp = r.header("content-security-policy").unwrap_or_default().to_string();
    assert!(csp.contains("frame-src https://player.vimeo.com https://www.canva.com;"), "{csp}");
    assert!(csp.contains("default-src 'none'"));
    // A block removed: its frame is no longer allowed (the edit supersedes the cached embed).
    let blocks = app.sql_rows(&format!("SELECT id, block_json FROM lesson_blocks WHERE lesson_id = {} ORDER BY position", l.lesson));
    let embed_block = blocks.iter().find(|b| b["block_json"].as_str().unwrap_or("").contains("canva")).unwrap()["id"].as_i64().unwrap().to_string();
    let (c, lid) = (l.course.to_string(), l.lesson.to_string());
    l.school.owner.post("/admin/api/change_block", &[("course_id", &c), ("lesson_id", &lid), ("block_id", &embed_block), ("action", "delete")]);
    let csp = visitor.get(&format!("/embed/{id}")).header("content-security-policy").unwrap_or_default().to_string();
    assert!(csp.contains("frame-src https://player.vimeo.com;") && !csp.contains("canva"), "{csp}");
}
