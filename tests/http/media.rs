//! Media on R2 (issue 16, so far: course covers), black-box through the real worker with
//! wrangler dev's local R2.

use atelier_tests::*;

/// A PNG as far as its first bytes go, `len` bytes long, each byte telling its position.
fn png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    bytes.extend((bytes.len()..len).map(|i| (i % 251) as u8));
    bytes
}

fn upload_cover(school: &mut School, course: i64, name: &str, content: &[u8]) -> Response {
    school.owner.post_file(&format!("/admin/files/cover?course_id={course}"), "file", name, content)
}

fn files(app: &Worker, school: &School, live: bool) -> i64 {
    app.sql_count(&format!(
        "SELECT COUNT(*) AS n FROM files f JOIN schools s ON s.id = f.school_id WHERE s.slug = '{}' AND f.deleted_at IS {}",
        school.slug,
        if live { "NULL" } else { "NOT NULL" }
    ))
}

#[test]
fn an_uploaded_cover_is_stored_checked_and_served_with_ranges_and_caching() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "couverture", "published");
    let image = png(5_000);
    let r = upload_cover(&mut school, course, "ma couverture.PNG", &image);
    assert!(r.location().ends_with("ok=cover_saved#cover"), "{} {}", r.location(), r.body);
    let row = &app.sql_rows(&format!("SELECT f.id, f.size, f.content_type, f.name, f.use FROM files f JOIN schools s ON s.id = f.school_id WHERE s.slug = '{}'", school.slug))[0];
    let id = row["id"].as_str().unwrap().to_string();
    assert_eq!((row["size"].as_i64(), row["content_type"].as_str(), row["name"].as_str(), row["use"].as_str()), (Some(5_000), Some("image/png"), Some("ma couverture.png"), Some("cover")));

    // The course page shows it; anyone gets it, cacheable, never sniffed into something else.
    let host = app.school_host(&school.slug);
    let mut visitor = app.client(&host);
    assert!(visitor.get("/courses/couverture").body.contains(&format!("src=\"/media/{id}\"")));
    let r = visitor.get(&format!("/media/{id}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.bytes, image, "the same bytes");
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert!(r.header("cache-control").unwrap_or("").contains("public"));
    let etag = r.header("etag").expect("an ETag").to_string();
    assert_eq!(visitor.get_with(&format!("/media/{id}"), &[("If-None-Match", &etag)]).status, 304);

    // Ranges: a browser seeking gets exactly the bytes it asked for.
    let r = visitor.get_with(&format!("/media/{id}"), &[("Range", "bytes=100-199")]);
    assert_eq!((r.status, r.header("content-range")), (206, Some("bytes 100-199/5000")));
    assert_eq!(r.bytes, image[100..200].to_vec());
    let r = visitor.get_with(&format!("/media/{id}"), &[("Range", "bytes=-10")]);
    assert_eq!((r.status, r.bytes.clone()), (206, image[4_990..].to_vec()));
    let r = visitor.get_with(&format!("/media/{id}"), &[("Range", "bytes=5000-")]);
    assert_eq!((r.status, r.header("content-range")), (416, Some("bytes */5000")));

    // Another school's host does not serve it.
    let other = open_school(app);
    assert_eq!(app.client(&app.school_host(&other.slug)).get(&format!("/media/{id}")).status, 404);

    // A new cover replaces it: the old one is gone, from the bucket too.
    let r = upload_cover(&mut school, course, "autre.png", &png(300));
    assert!(r.location().contains("ok=cover_saved"));
    assert_eq!(visitor.get(&format!("/media/{id}")).status, 404);
    assert_eq!((files(app, &school, true), files(app, &school, false)), (1, 1));
}

#[test]
fn disguised_oversized_and_over_quota_files_are_refused_with_their_reason_and_nothing_is_stored() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "refus", "published");
    // An HTML page named .jpg: its content decides.
    let r = upload_cover(&mut school, course, "photo.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>");
    assert!(r.location().contains("error=file_type_refused"), "{}", r.location());
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("son contenu a été vérifié, pas son nom"), "the reason is shown");
    let r = upload_cover(&mut school, course, "logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
    assert!(r.location().contains("error=file_type_refused"));
    // Over the cover's 10 MB.
    let r = upload_cover(&mut school, course, "grande.png", &png(10 * 1024 * 1024 + 10));
    assert!(r.location().contains("error=file_too_big"), "{}", r.location());
    // Over the school's storage.
    let r = app.client(&app.platform_host()).post(&format!("/_dev/storage_quota?school={}&bytes=1000", school.slug), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let r = upload_cover(&mut school, course, "petite.png", &png(2_000));
    assert!(r.location().contains("error=file_over_quota") && r.location().contains("quota=1"), "{}", r.location());
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("Le stockage de votre école est plein"), "{page}");
    assert_eq!(files(app, &school, true) + files(app, &school, false), 0, "nothing stored");
    // A visitor cannot upload.
    let mut visitor = app.client(&app.school_host(&school.slug));
    assert_eq!(visitor.post_file(&format!("/admin/files/cover?course_id={course}"), "file", "a.png", &png(100)).status, 403);
}

/// The first signed media link in a page (`/media/{id}?v=…&s=…`), as a browser reads it.
fn media_link(page: &str) -> Option<String> {
    let at = page.find("href=\"/media/")? + 6;
    Some(page[at..].split('"').next()?.replace("&amp;", "&"))
}

#[test]
fn a_lesson_file_is_served_only_through_a_fresh_link_signed_for_who_may_read_the_lesson() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "fichiers", "published");
    let lesson = school.create_lesson(course, "Fiche", "TEXTE", "published");
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    pdf.extend((0..3_000).map(|i| (i % 199) as u8));
    let r = school.owner.post_file(&format!("/admin/files/lesson?course_id={course}&lesson_id={lesson}"), "file", "fiche technique.pdf", &pdf);
    assert!(r.location().ends_with("ok=file_saved#files"), "{} {}", r.location(), r.body);
    assert!(school.owner.get(&format!("/admin/courses/{course}/lessons/{lesson}")).body.contains("fiche technique.pdf"));
    // A script named .pdf is refused like any disguised file.
    let r = school.owner.post_file(&format!("/admin/files/lesson?course_id={course}&lesson_id={lesson}"), "file", "x.pdf", b"<script>alert(1)</script>");
    assert!(r.location().contains("error=file_type_refused") && !r.location().contains('#'), "{}", r.location());

    // An enrolled student gets the file through the lesson's link.
    let email = format!("eleve-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let host = app.school_host(&school.slug);
    let mut student = login_with_code(app, &host, &email);
    let page = student.get(&format!("/courses/fichiers/lessons/{lesson}")).body;
    let link = media_link(&page).expect("a download link");
    let r = student.get(&link);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.bytes, pdf);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r.header("content-disposition").unwrap_or("").starts_with("attachment"), "downloads with its name");
    assert!(r.header("cache-control").unwrap_or("").contains("no-store"));
    // Without its signature, for someone else, or once expired: refused.
    let bare = link.split('?').next().unwrap().to_string();
    assert_eq!(student.get(&bare).status, 403);
    let mut visitor = app.client(&host);
    assert_eq!(visitor.get(&link).status, 403, "a copied link does not work for another viewer");
    student.now_ms = Some(now_ms() + 11 * 60_000);
    assert_eq!(student.get(&link).status, 403, "expired");
    student.now_ms = None;
    // A visitor reading the lesson's page gets no link at all.
    assert!(media_link(&visitor.get(&format!("/courses/fichiers/lessons/{lesson}")).body).is_none());
    // Another school's host does not serve it.
    let other = open_school(app);
    let id = bare.trim_start_matches("/media/").to_string();
    assert_eq!(app.client(&app.school_host(&other.slug)).get(&format!("/media/{id}")).status, 404);
    // Removed: gone for everyone.
    let r = school.owner.post("/admin/api/delete_lesson_file", &[("course_id", &course.to_string()), ("lesson_id", &lesson.to_string()), ("file_id", &id)]);
    assert!(r.location().contains("ok=file_deleted"), "{}", r.location());
    assert_eq!(student.get(&link).status, 404);
    assert!(media_link(&student.get(&format!("/courses/fichiers/lessons/{lesson}")).body).is_none());
}

/// The first image of a page that comes from the school's media (`src="/media/…"`).
fn media_image(page: &str) -> Option<String> {
    let at = page.find("src=\"/media/")? + 5;
    Some(page[at..].split('"').next()?.replace("&amp;", "&"))
}

#[test]
fn an_image_put_into_a_lesson_shows_to_its_readers_only_unless_the_lesson_is_a_trial() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "images", "published");
    let lesson = school.create_lesson(course, "Le ciel", "Regardez :", "published");
    let image = png(1_200);
    let r = school.owner.post_file(&format!("/admin/files/lesson_image?course_id={course}&lesson_id={lesson}"), "file", "ciel [bleu].png", &image);
    assert!(r.location().ends_with("ok=image_inserted"), "{} {}", r.location(), r.body);
    let md = app.sql_rows(&format!("SELECT content_md FROM lessons WHERE id = {lesson}"))[0]["content_md"].as_str().unwrap().to_string();
    assert!(md.starts_with("Regardez :\n\n![ciel  bleu](/media/") && md.ends_with(")\n"), "{md:?}");

    let email = format!("lecteur-{}@example.com", school.slug);
    school.add_student(course, &email, false);
    let host = app.school_host(&school.slug);
    let mut student = login_with_code(app, &host, &email);
    let src = media_image(&student.get(&format!("/courses/images/lessons/{lesson}")).body).expect("the image");
    assert!(src.contains("?v=") && src.contains("&s="), "signed for the reader: {src}");
    let r = student.get(&src);
    assert_eq!((r.status, r.bytes == image), (200, true));
    let bare = src.split('?').next().unwrap().to_string();
    assert_eq!(app.client(&host).get(&bare).status, 403, "not public");
    // A trial lesson's image is public, like the lesson (and its embed).
    school.set_trial(course, lesson, true);
    let mut visitor = app.client(&host);
    assert!(media_image(&visitor.get(&format!("/courses/images/lessons/{lesson}")).body).is_some());
    assert_eq!(visitor.get(&bare).status, 200);
}
