//! Media, part 2 (issue 16): big files sent in parts (resumable), uploaded videos in the
//! watermarked player with views counted per student, files in students' answers for the
//! curator, the school's logo and storage, and the cleaning pass. Through the real worker
//! and wrangler dev's local R2.

use atelier_tests::*;
use sha2::Digest;

const PART: usize = 8 * 1024 * 1024;

/// An MP4 as far as its first bytes go, `len` bytes long, each byte telling its position.
fn mp4(len: usize) -> Vec<u8> {
    let mut bytes = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41".to_vec();
    bytes.extend((bytes.len()..len).map(|i| (i % 253) as u8));
    bytes
}

fn json(r: &Response) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("not JSON ({}): {}", r.status, r.body))
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The uploaded video's signed source in a lesson page (`/media/{id}?v=…&s=…#t=…`).
fn video_src(page: &str) -> Option<String> {
    let at = page.find("<video")?;
    let from = page[at..].find("src=\"")? + at + 5;
    Some(page[from..].split('"').next()?.replace("&amp;", "&"))
}

fn start(owner: &mut Client, place: &str, course: i64, lesson: i64, name: &str, size: usize) -> Response {
    owner.send("POST", &format!("/admin/uploads?place={place}&course_id={course}&lesson_id={lesson}&name={name}&size={size}"), b"")
}

#[test]
fn a_video_sent_in_parts_resumes_after_a_drop_and_plays_only_for_who_may_watch_it() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "video", "published");
    let lesson = school.create_lesson(course, "Le lavis", "Regardez la démonstration, surtout [1:30].", "published");
    let video = mp4(PART + 1_500_000);

    // Started: two parts of 8 MB, none arrived.
    let r = start(&mut school.owner, "video", course, lesson, "d%C3%A9mo%20lavis.mp4", video.len());
    assert_eq!(r.status, 201, "{}", r.body);
    let state = json(&r);
    let id = state["id"].as_str().unwrap().to_string();
    assert_eq!((state["parts"].as_u64(), state["part_size"].as_u64(), state["done"].as_array().map(|a| a.len())), (Some(2), Some(PART as u64), Some(0)));
    // A part of the wrong length is refused (it is sent again whole).
    let r = school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/2"), &video[PART..PART + 10]);
    assert_eq!((r.status, json(&r)["error"].as_str()), (400, Some("upload_bad_part")));
    let r = school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/3"), b"x");
    assert_eq!(r.status, 400, "no third part");
    // The first part arrives, then the connection drops: the page asks where it stands.
    let r = school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/1"), &video[..PART]);
    assert_eq!(r.status, 200, "{}", r.body);
    let r = school.owner.get(&format!("/admin/uploads/{id}"));
    assert_eq!(json(&r)["done"], serde_json::json!([1]));
    // Completing too early says what is missing; nothing is stored yet.
    let r = school.owner.send("POST", &format!("/admin/uploads/{id}/complete"), b"");
    assert_eq!((r.status, json(&r)["missing"].clone()), (409, serde_json::json!([2])));
    // Resumed: the last part (sent twice, as after a lost answer), then completed.
    for _ in 0..2 {
        let r = school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/2"), &video[PART..]);
        assert_eq!((r.status, json(&r)["done"].clone()), (200, serde_json::json!([1, 2])), "{}", r.body);
    }
    let r = school.owner.send("POST", &format!("/admin/uploads/{id}/complete"), b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let done = json(&r);
    let file_id = done["file_id"].as_str().unwrap().to_string();
    assert_eq!(done["next"].as_str(), Some(format!("/admin/courses/{course}/lessons/{lesson}?ok=video_saved#blocks").as_str()));
    let row = &app.sql_rows(&format!("SELECT size, content_type, name, use, sha256 FROM files WHERE id = '{file_id}'"))[0];
    assert_eq!((row["size"].as_u64(), row["content_type"].as_str(), row["name"].as_str(), row["use"].as_str()), (Some(video.len() as u64), Some("video/mp4"), Some("démo lavis.mp4"), Some("video")));
    assert!(row["sha256"].as_str().unwrap().ends_with("-2"), "the checksum of two parts");
    // Completing again gives the same file (a retried request), not a second one.
    let again = school.owner.send("POST", &format!("/admin/uploads/{id}/complete"), b"");
    assert_eq!(json(&again)["file_id"].as_str(), Some(file_id.as_str()));
    assert!(school.owner.get(&format!("/admin/courses/{course}/lessons/{lesson}")).body.contains(&format!("/media/{file_id}")), "a video block at the end of the lesson");

    // An enrolled student watches it: signed for them, under their email, and it is the same file.
    let email = format!("video-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let host = app.school_host(&school.slug);
    let mut student = login_with_code(app, &host, &email);
    let page = student.get(&format!("/courses/video/lessons/{lesson}?t=90")).body;
    let src = video_src(&page).expect("the player");
    assert!(src.starts_with(&format!("/media/{file_id}?v=")) && src.ends_with("#t=90"), "signed, starting at the timecode: {src}");
    assert!(page.contains(&format!("<span class=\"watermark\" aria-hidden=\"true\">{email} · ")), "the watermark names the student");
    assert!(page.contains("controlslist=\"nodownload\"") && page.contains("décourage la copie, sans la rendre impossible"), "honest about what it does");
    let url = src.split('#').next().unwrap().to_string();
    let r = student.get(&url);
    assert_eq!((r.status, r.header("content-type"), r.header("accept-ranges")), (200, Some("video/mp4"), Some("bytes")));
    assert_eq!(sha256(&r.bytes), sha256(&video), "the file put together equals the original");
    // Seeking across the parts' seam: exactly those bytes.
    let r = student.get_with(&url, &[("Range", &format!("bytes={}-{}", PART - 100, PART + 99))]);
    assert_eq!((r.status, r.header("content-range").map(str::to_string)), (206, Some(format!("bytes {}-{}/{}", PART - 100, PART + 99, video.len()))));
    assert_eq!(r.bytes, video[PART - 100..PART + 100].to_vec());
    assert!(r.header("etag").is_some());

    // Views: counted per student when the player starts (twice here), shown on their page.
    let views = format!("/media/{file_id}/views?{}", url.split_once('?').unwrap().1);
    assert_eq!(student.send("POST", &views, b"").status, 204);
    assert_eq!(student.send("POST", &views, b"").status, 204);
    // A copied link counts nothing for someone else, nor from another site.
    let mut visitor = app.client(&host);
    assert_eq!(visitor.send("POST", &views, b"").status, 403);
    student.origin = Some("https://evil.example".into());
    assert_eq!(student.send("POST", &views, b"").status, 403);
    student.origin = None;
    let student_id = app.sql_rows(&format!("SELECT id FROM users WHERE email = '{email}'"))[0]["id"].as_i64().unwrap();
    let admin_page = school.owner.get(&format!("/admin/students/{student_id}")).body;
    assert!(admin_page.contains("Vidéos regardées") && admin_page.contains("démo lavis.mp4"), "{admin_page}");
    let row = &app.sql_rows(&format!("SELECT views FROM video_views WHERE file_id = '{file_id}'"))[0];
    assert_eq!(row["views"].as_i64(), Some(2));

    // Nobody else gets the bytes: a visitor, a bare URL, another school's host, an expired link.
    assert_eq!(visitor.get(&url).status, 403);
    assert_eq!(student.get(&format!("/media/{file_id}")).status, 403);
    assert!(video_src(&visitor.get(&format!("/courses/video/lessons/{lesson}")).body).is_none());
    let other = open_school(app);
    assert_eq!(app.client(&app.school_host(&other.slug)).get(&url).status, 404);
    student.now_ms = Some(now_ms() + 11 * 60_000);
    assert_eq!(student.get(&url).status, 403, "expired");
    student.now_ms = None;
    // A block cannot point at another school's video.
    let mut other = other;
    let c2 = other.create_course("Autre", "autre", "published");
    let l2 = other.create_lesson(c2, "Autre", "x", "published");
    let r = other.owner.post("/admin/api/save_block", &[("course_id", &c2.to_string()), ("lesson_id", &l2.to_string()), ("block_id", ""), ("kind", "video"), ("text", ""), ("url", &format!("/media/{file_id}")), ("label", ""), ("title", "")]);
    assert!(r.location().contains("error=video_not_uploaded"), "{}", r.location());
}

#[test]
fn uploads_in_parts_are_refused_at_once_when_too_big_over_quota_or_not_what_they_claim() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "refus-parts", "published");
    let lesson = school.create_lesson(course, "Leçon", "x", "published");
    let stored = |app: &Worker, school: &School| {
        app.sql_count(&format!("SELECT (SELECT COUNT(*) FROM files f JOIN schools s ON s.id = f.school_id WHERE s.slug = '{0}') + (SELECT COUNT(*) FROM uploads u JOIN schools s ON s.id = u.school_id WHERE s.slug = '{0}' AND u.aborted_at IS NULL) AS n", school.slug))
    };
    // 2.3 GB: over the video limit, said with both figures.
    let r = start(&mut school.owner, "video", course, lesson, "film.mp4", 2_469_606_195);
    assert_eq!((r.status, json(&r)["error"].as_str()), (422, Some("file_too_big")));
    assert_eq!(json(&r)["message"].as_str(), Some("Ce fichier fait 2,3\u{a0}Go ; la limite est de 2\u{a0}Go."));
    // A lesson file's limit is 50 MB.
    let r = start(&mut school.owner, "lesson", course, lesson, "cours.pdf", 60 * 1024 * 1024);
    assert_eq!(json(&r)["error"].as_str(), Some("file_too_big"));
    // Over the school's storage.
    assert_eq!(app.client(&app.platform_host()).post(&format!("/_dev/storage_quota?school={}&bytes={}", school.slug, 5 * 1024 * 1024), &[]).status, 200);
    let r = start(&mut school.owner, "video", course, lesson, "film.mp4", 9 * 1024 * 1024);
    assert_eq!((r.status, json(&r)["error"].as_str()), (422, Some("file_over_quota")));
    assert!(json(&r)["message"].as_str().unwrap().contains("utilisés sur 5\u{a0}Mo"), "{}", r.body);
    // An open upload counts against the quota: two cannot both pass it.
    let first = start(&mut school.owner, "video", course, lesson, "a.mp4", 3 * 1024 * 1024);
    assert_eq!(first.status, 201);
    let r = start(&mut school.owner, "video", course, lesson, "b.mp4", 3 * 1024 * 1024);
    assert_eq!(json(&r)["error"].as_str(), Some("file_over_quota"), "the first upload's size is reserved");
    // An HTML page claiming to be a video: refused at its first part, the upload given up.
    let id = json(&first)["id"].as_str().unwrap().to_string();
    let mut page = b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec();
    page.resize(3 * 1024 * 1024, b' ');
    let r = school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/1"), &page);
    assert_eq!((r.status, json(&r)["error"].as_str(), json(&r)["final"].as_bool()), (422, Some("file_type_refused"), Some(true)));
    assert_eq!(school.owner.get(&format!("/admin/uploads/{id}")).status, 404, "given up");
    assert_eq!(stored(app, &school), 0, "nothing stored, nothing reserved");
    // Only videos and lesson files go in parts; only the team sends them; only to its school.
    let r = start(&mut school.owner, "cover", course, lesson, "a.png", 100);
    assert_eq!(r.status, 400);
    let mut visitor = app.client(&app.school_host(&school.slug));
    assert_eq!(start(&mut visitor, "video", course, lesson, "a.mp4", 100).status, 403);
    let mut other = open_school(app);
    assert_eq!(start(&mut other.owner, "video", course, lesson, "a.mp4", 100).status, 404, "another school's lesson");
    let mine = json(&start(&mut school.owner, "video", course, lesson, "c.mp4", 100))["id"].as_str().unwrap().to_string();
    assert_eq!(other.owner.get(&format!("/admin/uploads/{mine}")).status, 404, "another school's upload");
    assert_eq!(other.owner.send("PUT", &format!("/admin/uploads/{mine}/parts/1"), &mp4(100)).status, 404);
    // From another site: refused before anything.
    school.owner.origin = Some("https://evil.example".into());
    assert_eq!(start(&mut school.owner, "video", course, lesson, "d.mp4", 100).status, 403);
}

#[test]
fn a_small_video_goes_by_the_plain_form_and_a_big_one_is_told_to_go_in_parts() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "form-video", "published");
    let lesson = school.create_lesson(course, "Leçon", "x", "published");
    let path = format!("/admin/files/video?course_id={course}&lesson_id={lesson}");
    let r = school.owner.post_file(&path, "file", "court.mp4", &mp4(200_000));
    assert!(r.location().ends_with("ok=video_saved#blocks"), "{}", r.location());
    let r = school.owner.post_file(&path, "file", "long.mp4", &mp4(51 * 1024 * 1024));
    assert!(r.location().contains("error=file_form_too_big") && r.location().contains("limit=50"), "{}", r.location());
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("ce qui demande JavaScript"), "the way on is said");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM files WHERE lesson_id = {lesson}")), 1);
    // The lesson's editor offers the uploader (its form works without JavaScript).
    let editor = school.owner.get(&format!("/admin/courses/{course}/lessons/{lesson}")).body;
    assert!(editor.contains(&format!("action=\"/admin/files/video?course_id={course}&amp;lesson_id={lesson}\"")) && editor.contains("Envoyer une vidéo"));
}

#[test]
fn a_students_answer_carries_files_that_only_the_reviewers_open() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "devoir-fichiers", "published");
    let lesson = school.create_lesson(course, "Premier lavis", "Peignez un ciel.", "published");
    let r = school.owner.post(
        "/admin/api/save_task",
        &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("kind", "assignment"), ("prompt", "Envoyez une photo."), ("answer_kind", "text"), ("review_required", "on")],
    );
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let email = format!("photo-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let host = app.school_host(&school.slug);
    let mut student = login_with_code(app, &host, &email);
    let lesson_path = format!("/courses/devoir-fichiers/lessons/{lesson}");
    let attach = format!("{lesson_path}/answer_files");
    let page = student.get(&lesson_path).body;
    assert!(page.contains(&format!("action=\"{attach}\"")) && page.contains("Joindre le fichier"));

    // A photo, then a disguised script (refused), then the answer with the photo only.
    let mut photo = b"\xFF\xD8\xFF\xE0\x00\x10JFIF".to_vec();
    photo.extend((0..40_000).map(|i| (i % 241) as u8));
    let r = student.post_file(&attach, "file", "mon ciel.jpeg", &photo);
    assert!(r.location().ends_with("ok=answer_file_added#task"), "{}", r.location());
    let r = student.post_file(&attach, "file", "ciel.jpg", b"<script>alert(1)</script>");
    assert!(r.location().contains("error=file_type_refused"), "{}", r.location());
    let r = student.post("/api/submit_assignment", &[("slug", "devoir-fichiers"), ("lesson_id", &lesson.to_string()), ("text", "")]);
    assert!(r.location().contains("ok=answer_sent"), "a file stands for the text: {}", r.location());
    let page = student.get(&lesson_path).body;
    assert!(page.contains("mon ciel.jpg"), "the answer shows its file");
    // Sent: the file no longer waits for the next answer; a new file cannot be attached while pending.
    assert!(student.post_file(&attach, "file", "autre.jpg", &photo).location().contains("error=answer_already_sent"));

    // The reviewer opens it through a link signed for them; the student's link is theirs alone.
    let reviews = school.owner.get(&format!("/admin/reviews?course={course}")).body;
    let at = reviews.find("href=\"/media/").expect("the file in the review") + 6;
    let link = reviews[at..].split('"').next().unwrap().replace("&amp;", "&");
    let r = school.owner.get(&link);
    assert_eq!((r.status, r.bytes == photo), (200, true));
    assert_eq!(app.client(&host).get(&link).status, 403);
    let row = &app.sql_rows(&format!("SELECT f.use, f.submission_id IS NOT NULL AS sent FROM files f WHERE f.lesson_id = {lesson} AND f.deleted_at IS NULL"))[0];
    assert_eq!((row["use"].as_str(), row["sent"].as_i64()), (Some("answer"), Some(1)));
    // Someone not enrolled cannot attach anything.
    let outsider = format!("dehors-{}@example.com", school.slug);
    let other_course = school.create_course("Autre", "autre-cours", "published");
    school.add_student(other_course, &outsider, false);
    let mut outsider = login_with_code(app, &host, &outsider);
    assert_eq!(outsider.post_file(&attach, "file", "x.jpg", &photo).status, 404);
}

#[test]
fn the_cleaning_pass_gives_up_old_uploads_empties_the_trash_and_removes_stray_objects() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "menage", "published");
    let lesson = school.create_lesson(course, "Fiche", "x", "published");
    let keep = school.create_lesson(course, "Gardée", "x", "published");
    let platform = |app: &Worker| app.client(&app.platform_host());
    // An upload left half-way, a file of a lesson that is then deleted, a file that stays.
    let id = json(&start(&mut school.owner, "video", course, lesson, "a.mp4", PART + 10))["id"].as_str().unwrap().to_string();
    assert_eq!(school.owner.send("PUT", &format!("/admin/uploads/{id}/parts/1"), &mp4(PART)).status, 200);
    let pdf = b"%PDF-1.7\nhello".to_vec();
    assert!(school.owner.post_file(&format!("/admin/files/lesson?course_id={course}&lesson_id={lesson}"), "file", "a.pdf", &pdf).location().contains("ok=file_saved"));
    assert!(school.owner.post_file(&format!("/admin/files/lesson?course_id={course}&lesson_id={keep}"), "file", "b.pdf", &pdf).location().contains("ok=file_saved"));
    let r = school.owner.post("/admin/api/delete_lesson", &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let stray = "0123456789abcdef0123456789abcdef";
    assert_eq!(platform(app).post(&format!("/_dev/stray_object?school={}&id={stray}", school.slug), &[]).status, 200);
    let settings = school.owner.get("/admin/settings").body;
    assert!(settings.contains("utilisés sur 20\u{a0}Go (2 fichiers)"), "storage shown in settings");

    // Now: nothing is old enough to go.
    let sweep = |at: i64| json(&platform(app).post(&format!("/_dev/sweep_media?school={}&now={at}", school.slug), &[]));
    assert_eq!(sweep(now_ms()), serde_json::json!({ "abandoned_uploads": 0, "trashed_files": 0, "orphan_objects": 0 }));
    // A day later the upload is given up; the stray object goes after its grace hour.
    let report = sweep(now_ms() + 25 * 3600 * 1000);
    assert_eq!((report["abandoned_uploads"].as_u64(), report["orphan_objects"].as_u64(), report["trashed_files"].as_u64()), (Some(1), Some(1), Some(0)));
    assert_eq!(school.owner.get(&format!("/admin/uploads/{id}")).status, 404);
    // After the trash's 30 days, the deleted lesson's file goes; the other stays and is served.
    let report = sweep(now_ms() + 31 * 24 * 3600 * 1000);
    assert_eq!((report["trashed_files"].as_u64(), report["orphan_objects"].as_u64()), (Some(1), Some(0)), "{report}");
    let live = app.sql_rows(&format!("SELECT f.lesson_id FROM files f WHERE f.course_id = {course} AND f.deleted_at IS NULL"));
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["lesson_id"].as_i64(), Some(keep));
    let email = format!("menage-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let mut student = login_with_code(app, &app.school_host(&school.slug), &email);
    let page = student.get(&format!("/courses/menage/lessons/{keep}")).body;
    let at = page.find("href=\"/media/").expect("the kept file") + 6;
    let link = page[at..].split('"').next().unwrap().replace("&amp;", "&");
    assert_eq!(student.get(&link).bytes, pdf, "the live file's object was kept");
}

#[test]
fn the_school_logo_is_uploaded_in_settings_and_shown_on_its_pages() {
    let app = spawn_app();
    let mut school = open_school(app);
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0..900).map(|i| (i % 97) as u8));
    let r = school.owner.post_file("/admin/files/logo", "file", "logo.png", &png);
    assert!(r.location().ends_with("/admin/settings?ok=logo_saved#logo"), "{}", r.location());
    let mut visitor = app.client(&app.school_host(&school.slug));
    let home = visitor.get("/").body;
    const LOGO: &str = "class=\"brand\"><img src=\"";
    let at = home.find(LOGO).expect("the logo in the header") + LOGO.len();
    let src = home[at..].split('"').next().unwrap().to_string();
    let r = visitor.get(&src);
    assert_eq!((r.status, r.bytes == png), (200, true), "public, like the page");
    // A second logo replaces the first (its object goes).
    assert!(school.owner.post_file("/admin/files/logo", "file", "logo2.png", &png).location().contains("ok=logo_saved"));
    assert_eq!(visitor.get(&src).status, 404);
    // A banner image goes into the course's banner, public like the course page.
    let course = school.create_course("Aquarelle", "bandeau", "published");
    let r = school.owner.post_file(&format!("/admin/files/banner?course_id={course}"), "file", "bandeau.png", &png);
    assert!(r.location().ends_with("ok=image_inserted#presentation"), "{}", r.location());
    let page = visitor.get("/courses/bandeau").body;
    let at = page.find("src=\"/media/").expect("the banner image") + 5;
    let src = page[at..].split('"').next().unwrap().to_string();
    assert_eq!(visitor.get(&src).status, 200);
}

/// The first signed download link of a page.
fn download_link(page: &str) -> Option<String> {
    let at = page.find("href=\"/media/")? + 6;
    Some(page[at..].split('"').next()?.replace("&amp;", "&"))
}

#[test]
fn a_lesson_file_is_refused_to_a_student_of_another_offer_and_once_access_has_ended() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "offre-fichier", "published");
    let with_file = school.create_lesson(course, "Avec fiche", "FICHE", "published");
    let other = school.create_lesson(course, "Autre", "AUTRE", "published");
    let pdf = b"%PDF-1.7\nla fiche".to_vec();
    assert!(school.owner.post_file(&format!("/admin/files/lesson?course_id={course}&lesson_id={with_file}"), "file", "fiche.pdf", &pdf).location().contains("ok=file_saved"));
    // An offer that includes only the other lesson.
    let c = course.to_string();
    let r = school.owner.post("/admin/api/save_offer", &[("course_id", c.as_str()), ("offer_id", ""), ("name", "Essentiel"), ("summary", ""), ("price", ""), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on"), ("refund_ends_access", "on")]);
    assert!(r.location().contains("ok=offer_saved"), "{}", r.location());
    let offer = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course}"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/save_offer_level", &[("course_id", c.as_str()), ("offer_id", &offer), ("includes", "chosen"), ("reviews", "all"), ("lesson[]", &other.to_string())]);
    assert!(r.location().contains("ok="), "{}", r.location());
    // The team checks it from the lesson's editor, through a link signed for them.
    let editor = school.owner.get(&format!("/admin/courses/{course}/lessons/{with_file}")).body;
    let team_link = download_link(&editor).expect("the team's link");
    assert_eq!(school.owner.get(&team_link).bytes, pdf);
    let host = app.school_host(&school.slug);
    assert_eq!(app.client(&host).get(&team_link).status, 403);
    let student = |school: &mut School, who: &str| {
        let email = format!("{who}-{}@example.com", school.slug);
        school.add_student(course, &email, false);
        (email.clone(), login_with_code(app, &host, &email))
    };
    let (_, mut whole) = student(&mut school, "tout");
    let link = download_link(&whole.get(&format!("/courses/offre-fichier/lessons/{with_file}")).body).expect("the whole course's student gets the file");
    assert_eq!(whole.get(&link).bytes, pdf);

    // In the offer without that lesson: no link on the page, and another's link is refused.
    let (email, mut partial) = student(&mut school, "partiel");
    let id = school.student_id(&email).to_string();
    let enrollment = app.sql_rows(&format!("SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"))[0]["id"].as_i64().unwrap().to_string();
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &id), ("enrollment_id", &enrollment), ("action", "set_offer"), ("offer_id", &offer)]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let page = partial.get(&format!("/courses/offre-fichier/lessons/{with_file}")).body;
    assert!(!page.contains("FICHE") && download_link(&page).is_none(), "outside the offer: neither the lesson nor its file");
    assert_eq!(partial.get(&link).status, 403);

    // Access ended: no link any more, and the link from before is refused.
    let (email, mut ended) = student(&mut school, "fini");
    let early = download_link(&ended.get(&format!("/courses/offre-fichier/lessons/{with_file}")).body).expect("while the access lasts");
    let id = school.student_id(&email).to_string();
    let enrollment = app.sql_rows(&format!("SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}'"))[0]["id"].as_i64().unwrap().to_string();
    let yesterday = super::drip::chrono_date(now_ms() - 24 * 3600 * 1000);
    let r = school.owner.post("/admin/api/adjust_enrollment", &[("id", &id), ("enrollment_id", &enrollment), ("action", "set_end"), ("access_end", &yesterday)]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());
    let page = ended.get(&format!("/courses/offre-fichier/lessons/{with_file}")).body;
    assert!(!page.contains("FICHE") && download_link(&page).is_none(), "access ended: no file");
    // A link signed while the access lasted works for its 10 minutes at most.
    ended.now_ms = Some(now_ms() + 11 * 60_000);
    assert_eq!(ended.get(&early).status, 403, "the old link has expired");
}
