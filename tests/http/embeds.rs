//! Trial lessons and their embeds through the real worker: public page, embed page without
//! cookies or wasm, the edge cache (hit, then superseded by an edit), "not available" cases,
//! the school's framing policy, and the daily counts the creator sees.

use atelier_tests::*;

struct Trial {
    school: School,
    host: String,
    course: i64,
    lesson: i64,
    embed: String,
}

fn trial_lesson(app: &Worker, text: &str) -> Trial {
    let mut school = open_school(app);
    let course = school.create_course("Yoga du matin", "yoga", "published");
    let lesson = school.create_lesson(course, "Respirer", text, "published");
    let embed = school.make_trial(course, lesson);
    let host = app.school_host(&school.slug);
    Trial { school, host, course, lesson, embed }
}

fn edit_lesson(school: &mut School, course: i64, lesson: i64, text: &str, status: &str) {
    let (c, l) = (course.to_string(), lesson.to_string());
    let r = school.owner.post("/admin/api/save_lesson", &[("course_id", &c), ("lesson_id", &l), ("title", "Respirer"), ("content_md", text), ("status", status)]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
}

fn assert_not_available(r: &Response, secret: &str) {
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("Non disponible") || r.body.contains("Not available"), "{}", r.body);
    assert!(!r.body.contains(secret), "no content: {}", r.body);
}

#[test]
fn the_embed_page_needs_no_cookie_no_login_and_no_app_bundle() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "TRIAL-TEXT inspirez");

    // A visitor with no cookies at all.
    let mut visitor = app.client(&t.host);
    let page = visitor.get(&format!("/embed/{}", t.embed));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("TRIAL-TEXT inspirez"));
    assert!(page.body.contains("École de test"), "the school's name");
    assert!(page.body.contains(&format!("/embed/{}/go", t.embed)) && page.body.contains("target=\"_blank\""), "the call to action opens a new tab");
    assert!(!page.body.contains("/pkg/") && !page.body.contains(".wasm") && !page.body.contains("<link"), "no app bundle, one request");
    assert!(page.set_cookies().is_empty(), "{:?}", page.set_cookies());
    let csp = page.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors https: http:"), "any site by default: {csp}");
    assert!(page.header("x-frame-options").is_none(), "X-Frame-Options cannot list sites");

    // The creator, logged in: the embed still neither reads nor sets a cookie, and carries
    // nothing of the session.
    let session = t.school.owner.session_id().expect("owner session");
    let csrf = t.school.owner.csrf();
    let page = t.school.owner.get(&format!("/embed/{}", t.embed));
    assert_eq!(page.status, 200);
    assert!(page.set_cookies().is_empty(), "{:?}", page.set_cookies());
    assert!(!page.body.contains(&session) && !page.body.contains(&csrf) && !page.body.contains("atelier_session"));

    // The parent page's script.
    let script = visitor.get("/embed.js");
    assert_eq!(script.status, 200);
    assert!(script.header("content-type").unwrap_or("").starts_with("text/javascript"));
    assert!(script.body.contains("event.origin !== expected"), "checks where messages come from");
}

#[test]
fn the_edge_cache_serves_repeats_and_an_edit_shows_on_the_next_load() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "VERSION-ONE");
    let mut visitor = app.client(&t.host);
    let path = format!("/embed/{}", t.embed);

    let first = visitor.get(&path);
    assert_eq!(first.header("x-atelier-cache"), Some("miss"));
    let second = visitor.get(&path);
    assert!(second.header("x-atelier-cache").unwrap_or("").starts_with("hit"), "{:?}", second.header("x-atelier-cache"));
    assert_eq!(second.body, first.body);

    // A browser revalidating gets "not modified".
    let etag = second.header("etag").expect("etag").to_string();
    visitor.headers.push(("If-None-Match".into(), etag.clone()));
    assert_eq!(visitor.get(&path).status, 304);
    visitor.headers.clear();

    edit_lesson(&mut t.school, t.course, t.lesson, "VERSION-TWO", "published");
    let after = visitor.get(&path);
    assert_eq!(after.status, 200);
    assert!(after.body.contains("VERSION-TWO") && !after.body.contains("VERSION-ONE"), "{}", after.body);
    assert_ne!(after.header("etag"), Some(etag.as_str()), "a new version, a new validator");
    assert!(visitor.get(&path).header("x-atelier-cache").unwrap_or("").starts_with("hit"));

    // The school's name is on the embed too.
    let r = t.school.owner.post("/admin/api/save_settings", &[("name", "Studio Souffle"), ("default_locale", "fr"), ("unknown_email_policy", "silent")]);
    assert_eq!(r.status, 303);
    assert!(visitor.get(&path).body.contains("Studio Souffle"));
}

#[test]
fn non_trial_draft_unpublished_deleted_and_regenerated_embeds_are_not_available() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "STILL-SECRET");
    let mut visitor = app.client(&t.host);
    let path = format!("/embed/{}", t.embed);
    assert_eq!(visitor.get(&path).status, 200);

    // Not a trial any more.
    assert_eq!(t.school.set_trial(t.course, t.lesson, false).status, 303);
    assert_not_available(&visitor.get(&path), "STILL-SECRET");
    assert_eq!(t.school.embed_id(t.course, t.lesson), None, "the settings page no longer offers the snippet");
    // On again: the same embed id works again (the creator's existing embeds come back).
    assert_eq!(t.school.make_trial(t.course, t.lesson), t.embed);
    assert_eq!(visitor.get(&path).status, 200);

    // A draft lesson.
    edit_lesson(&mut t.school, t.course, t.lesson, "STILL-SECRET", "draft");
    assert_not_available(&visitor.get(&path), "STILL-SECRET");
    edit_lesson(&mut t.school, t.course, t.lesson, "STILL-SECRET", "published");
    assert_eq!(visitor.get(&path).status, 200);

    // An unpublished course.
    let r = t.school.owner.post("/admin/api/save_course", &[("id", &t.course.to_string()), ("title", "Yoga du matin"), ("slug", "yoga"), ("description", ""), ("cover_url", ""), ("status", "draft")]);
    assert_eq!(r.status, 303);
    assert_not_available(&visitor.get(&path), "STILL-SECRET");
    let r = t.school.owner.post("/admin/api/save_course", &[("id", &t.course.to_string()), ("title", "Yoga du matin"), ("slug", "yoga"), ("description", ""), ("cover_url", ""), ("status", "published")]);
    assert_eq!(r.status, 303);
    assert_eq!(visitor.get(&path).status, 200);

    // A regenerated id: the old one stops, the new one works.
    let refused = t.school.owner.post("/admin/api/regenerate_embed", &[("course_id", &t.course.to_string()), ("lesson_id", &t.lesson.to_string())]);
    assert!(refused.location().contains("error=embed_regenerate_confirm_needed"), "{}", refused.location());
    assert_eq!(visitor.get(&path).status, 200, "nothing changed without the confirmation");
    let r = t.school.owner.post("/admin/api/regenerate_embed", &[("course_id", &t.course.to_string()), ("lesson_id", &t.lesson.to_string()), ("confirm", "on")]);
    assert!(r.location().contains("ok=embed_regenerated"), "{}", r.location());
    let fresh = t.school.embed_id(t.course, t.lesson).expect("new id");
    assert_ne!(fresh, t.embed);
    let old = visitor.get(&path);
    assert_not_available(&old, "STILL-SECRET");
    assert!(old.header("content-security-policy").unwrap_or("").contains("frame-ancestors https: http:"), "the frame says why it is empty");
    assert_eq!(visitor.get(&format!("/embed/{fresh}")).status, 200);

    // Ids that are not ids, and a deleted course.
    assert_not_available(&visitor.get("/embed/not-an-id"), "STILL-SECRET");
    assert_not_available(&visitor.get(&format!("/embed/{}", "0".repeat(32))), "STILL-SECRET");
    let r = t.school.owner.post("/admin/api/delete_course", &[("id", &t.course.to_string()), ("confirm", "yoga")]);
    assert_eq!(r.status, 303);
    assert_not_available(&visitor.get(&format!("/embed/{fresh}")), "STILL-SECRET");
}

#[test]
fn the_school_lists_the_sites_that_may_frame_its_embeds_and_nothing_else_is_framable() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "FRAMED");
    let mut visitor = app.client(&t.host);
    let path = format!("/embed/{}", t.embed);

    let r = t.school.owner.post("/admin/api/save_embed_settings", &[("brand_color", "#AA3300"), ("embed_sites", "https://www.Example.com/\n\nhttp://localhost:9999")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let page = visitor.get(&path);
    assert!(page.header("content-security-policy").unwrap_or("").ends_with("frame-ancestors https://www.example.com http://localhost:9999"), "{:?}", page.header("content-security-policy"));
    assert!(page.body.contains("--brand:#aa3300"), "the school's colour");
    let settings = t.school.owner.get("/admin/settings").body;
    assert!(settings.contains("https://www.example.com\nhttp://localhost:9999"), "stored as normalised origins");

    // A wrong line is named and nothing is saved.
    let r = t.school.owner.post("/admin/api/save_embed_settings", &[("brand_color", "#aa3300"), ("embed_sites", "https://ok.example\nexample.com")]);
    let back = r.location();
    assert!(back.contains("error=site_scheme") && back.contains("line=2"), "{back}");
    let form = t.school.owner.get(&back).body;
    assert!(form.contains("Ligne 2 :") || form.contains("Line 2:"), "the message names the line");
    assert!(form.contains("https://ok.example\nexample.com"), "what was typed comes back");
    assert!(visitor.get(&path).header("content-security-policy").unwrap_or("").ends_with("http://localhost:9999"), "unchanged");
    let r = t.school.owner.post("/admin/api/save_embed_settings", &[("brand_color", "red"), ("embed_sites", "")]);
    assert!(r.location().contains("error=brand_color_invalid"), "{}", r.location());

    // Everything else of the app: never framed.
    let lesson_page = format!("/courses/yoga/lessons/{}", t.lesson);
    let pages = [(true, "/admin"), (true, "/admin/settings"), (false, "/"), (false, "/courses/yoga"), (false, lesson_page.as_str()), (false, "/login")];
    for (as_owner, p) in pages {
        let r = if as_owner { t.school.owner.get(p) } else { visitor.get(p) };
        assert!(r.header("content-security-policy").unwrap_or("").contains("frame-ancestors 'none'"), "{p}: {:?}", r.header("content-security-policy"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{p}");
    }

    // Only the owner changes embeds.
    let student_email = format!("student-{}@example.com", t.school.slug);
    t.school.add_student(t.course, &student_email, false);
    let mut student = login_with_code(app, &t.host, &student_email);
    assert_eq!(student.post("/admin/api/save_embed_settings", &[("brand_color", "#000000"), ("embed_sites", "")]).status, 403);
    assert_eq!(student.post("/admin/api/regenerate_embed", &[("course_id", &t.course.to_string()), ("lesson_id", &t.lesson.to_string()), ("confirm", "on")]).status, 403);
    assert_eq!(student.post("/admin/api/set_trial", &[("course_id", &t.course.to_string()), ("lesson_id", &t.lesson.to_string())]).status, 403);
    assert_eq!(visitor.get(&path).status, 200);
}

#[test]
fn views_and_call_to_action_clicks_are_counted_per_day_for_the_creator() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "COUNTED");
    let mut visitor = app.client(&t.host);
    for _ in 0..3 {
        assert_eq!(visitor.get(&format!("/embed/{}", t.embed)).status, 200);
    }
    let go = visitor.get(&format!("/embed/{}/go?lang=en", t.embed));
    assert_eq!(go.status, 303);
    assert_eq!(go.location(), format!("http://{}/courses/yoga?lang=en#offers", t.host));

    // Counting runs after each response: give it a moment.
    let mut page = String::new();
    for _ in 0..300 {
        page = t.school.owner.get(&format!("/admin/courses/{}/lessons/{}", t.course, t.lesson)).body;
        if page.contains("data-total-views=\"3\"") && page.contains("data-total-clicks=\"1\"") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(page.contains("data-total-views=\"3\""), "views: {page}");
    assert!(page.contains("data-total-clicks=\"1\""), "clicks");
    let rows: serde_json::Value = serde_json::from_str(&app.sql(&format!("SELECT day, views, cta_clicks FROM embed_stats WHERE lesson_id = {}", t.lesson))).expect("json");
    let rows = rows[0]["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "one row per lesson per day: {rows:?}");
    assert_eq!((rows[0]["views"].as_i64(), rows[0]["cta_clicks"].as_i64()), (Some(3), Some(1)));
    let day = rows[0]["day"].as_str().unwrap_or("");
    assert!(page.replace("<!>", "").contains(&format!("<td>{day}</td>")), "the day is shown: {day}");
}

#[test]
fn a_trial_lesson_has_a_public_page_with_a_way_to_the_full_course() {
    let app = spawn_app();
    let mut t = trial_lesson(app, "PUBLIC-TRIAL");
    let other = t.school.create_lesson(t.course, "Suite", "MEMBERS-ONLY", "published");
    let mut visitor = app.client(&t.host);

    let course = visitor.get("/courses/yoga");
    assert_eq!(course.status, 200);
    assert!(course.body.contains(&format!("/courses/yoga/lessons/{}\"", t.lesson)), "the trial lesson is a link");
    assert!(!course.body.contains(&format!("/courses/yoga/lessons/{other}\"")), "the others are not");
    assert!(course.body.contains("Aperçu gratuit") || course.body.contains("Free preview"));
    assert!(course.body.contains("/login?next=%2Fcourses%2Fyoga"), "a way to log in");

    let lesson = visitor.get(&format!("/courses/yoga/lessons/{}", t.lesson));
    assert_eq!(lesson.status, 200);
    assert!(lesson.body.contains("PUBLIC-TRIAL"));
    assert!(lesson.body.contains("Accéder au cours complet") || lesson.body.contains("Get the full course"));
    assert!(!lesson.body.contains("/api/mark_complete") && !lesson.body.contains("MEMBERS-ONLY"));
    let members_only = visitor.get(&format!("/courses/yoga/lessons/{other}"));
    assert!(members_only.location().starts_with("/login?next=%2Fcourses%2Fyoga%2Flessons%2F"), "a visitor is asked to log in and come back: {}", members_only.location());
    assert!(!members_only.body.contains("MEMBERS-ONLY"));
    let done = visitor.post("/api/mark_complete", &[("slug", "yoga"), ("lesson_id", &t.lesson.to_string())]);
    assert!(done.status >= 400, "reading a trial is not progress");

    // Switched off: the public page goes too.
    t.school.set_trial(t.course, t.lesson, false);
    let gone = visitor.get(&format!("/courses/yoga/lessons/{}", t.lesson));
    assert!(gone.location().starts_with("/login?next="), "no longer public: log in to read it");
    assert!(!gone.body.contains("PUBLIC-TRIAL"));
}
