//! Media, big files: an upload in parts (R2 multipart through the admin Worker). The page
//! starts an upload (its size is checked against the use's limit and the school's storage
//! at once), sends its parts of `PART_SIZE` one request each, may ask which parts arrived
//! after a dropped connection and send only the rest, then completes it: the object is put
//! together by R2 and gets its `files` row, then is put to use like a file sent in one go.
//!
//! The first part decides what the file is (its first bytes, never its name): a file of a
//! refused type is aborted at its first part, before anything else is sent.

use crate::features::media::rules::{self, part_count, part_len, parts_checksum, MediaType, Place, Refusal, Use, PART_SIZE};
use crate::features::media::server::{self as media, object_key};
use crate::kernel::db::{int, opt_int, text, SchoolDb};
use crate::kernel::error::AppError;
use serde::{Deserialize, Serialize};

/// What the page knows of an upload: enough to send the parts still missing.
#[derive(Debug, Clone, Serialize)]
pub struct UploadState {
    pub id: String,
    pub size: u64,
    pub part_size: u64,
    pub parts: u64,
    /// The parts that arrived (numbers from 1).
    pub done: Vec<u64>,
    /// The stored file, once complete.
    pub file_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct UploadRow {
    id: String,
    owner_id: i64,
    #[serde(rename = "use")]
    use_: Use,
    name: String,
    size: i64,
    part_size: i64,
    file_id: String,
    r2_upload_id: String,
    content_type: Option<String>,
    course_id: Option<i64>,
    lesson_id: Option<i64>,
    completed_at: Option<i64>,
    aborted_at: Option<i64>,
    /// `[[number, sha256], ...]`
    parts_json: String,
}

impl UploadRow {
    fn parts(&self) -> Vec<(u64, String)> {
        serde_json::from_str::<Vec<(u64, String)>>(&self.parts_json).unwrap_or_default()
    }

    fn state(&self) -> UploadState {
        let mut done: Vec<u64> = self.parts().into_iter().map(|(n, _)| n).collect();
        done.sort_unstable();
        UploadState {
            id: self.id.clone(),
            size: self.size as u64,
            part_size: self.part_size as u64,
            parts: part_count(self.size as u64, self.part_size as u64),
            done,
            file_id: self.completed_at.map(|_| self.file_id.clone()),
        }
    }
}

/// Why a part or an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartRefusal {
    /// The file itself (type, size, storage): the upload is over.
    File(Refusal),
    /// No such upload in this school, or it was aborted.
    Unknown,
    /// A part number outside the file, or a part of the wrong length.
    BadPart { expected: u64, got: u64 },
    /// Completing before every part arrived: the missing ones.
    Missing(Vec<u64>),
}

const UPLOAD_COLUMNS: &str = "u.id, u.owner_id, u.use, u.name, u.size, u.part_size, u.file_id, u.r2_upload_id, u.content_type, u.course_id, u.lesson_id, u.completed_at, u.aborted_at,
    (SELECT json_group_array(json_array(p.number, p.sha256)) FROM @upload_parts p WHERE p.upload_id = u.id) AS parts_json";

async fn load(sdb: &SchoolDb, id: &str) -> Result<Option<UploadRow>, AppError> {
    sdb.first(&format!("SELECT {UPLOAD_COLUMNS} FROM @uploads u WHERE u.id = ?2"), &[text(id)]).await
}

/// Starts an upload of `size` bytes named `name`: refused at once when the use does not
/// take files that big or the school's storage cannot hold it (nothing is stored then).
pub async fn start(bucket: &worker::Bucket, sdb: &SchoolDb, owner_id: i64, place: Place, name: &str, size: u64, now: i64) -> Result<Result<UploadState, Refusal>, AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    if size == 0 {
        return Ok(Err(Refusal::Empty));
    }
    if size > place.use_().max_bytes() {
        return Ok(Err(Refusal::TooBig { size, limit: place.use_().max_bytes() }));
    }
    let (used, quota) = media::storage(sdb).await?;
    if used.saturating_add(size) > quota {
        return Ok(Err(Refusal::Quota { used, size, quota }));
    }
    let (id, file_id) = (crate::kernel::token::new_public_id(), crate::kernel::token::new_public_id());
    let multipart = bucket.create_multipart_upload(object_key(school_id, &file_id)).execute().await?;
    let r2_upload_id = multipart.upload_id().await;
    sdb.run(
        "INSERT INTO @uploads (id, owner_id, use, name, size, part_size, file_id, r2_upload_id, course_id, lesson_id, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &[
            text(&id),
            int(owner_id),
            text(place.use_().as_str()),
            text(&name.chars().filter(|c| !c.is_control()).take(200).collect::<String>()),
            int(size as i64),
            int(PART_SIZE as i64),
            text(&file_id),
            text(&r2_upload_id),
            opt_int(place.course()),
            opt_int(place.lesson()),
            int(now),
        ],
    )
    .await?;
    Ok(Ok(UploadState { id, size, part_size: PART_SIZE, parts: part_count(size, PART_SIZE), done: vec![], file_id: None }))
}

/// Where an upload stands (which parts arrived), for the page resuming it.
pub async fn state(sdb: &SchoolDb, id: &str) -> Result<Option<UploadState>, AppError> {
    Ok(load(sdb, id).await?.filter(|u| u.aborted_at.is_none()).map(|u| u.state()))
}

/// Stores part `number` of an upload. Sending a part again replaces it (a retry after a
/// connection dropped before the answer came).
pub async fn put_part(bucket: &worker::Bucket, sdb: &SchoolDb, id: &str, number: u64, bytes: &[u8], now: i64) -> Result<Result<UploadState, PartRefusal>, AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    let Some(upload) = load(sdb, id).await?.filter(|u| u.aborted_at.is_none()) else { return Ok(Err(PartRefusal::Unknown)) };
    if upload.completed_at.is_some() {
        return Ok(Ok(upload.state()));
    }
    let Some(expected) = part_len(upload.size as u64, upload.part_size as u64, number) else {
        return Ok(Err(PartRefusal::BadPart { expected: 0, got: bytes.len() as u64 }));
    };
    if bytes.len() as u64 != expected {
        return Ok(Err(PartRefusal::BadPart { expected, got: bytes.len() as u64 }));
    }
    // The first bytes say what the file is: a refused type ends the upload here.
    let mut sniffed = None;
    if number == 1 {
        match rules::sniff(&bytes[..bytes.len().min(64)]).filter(|t| upload.use_.accepts(*t)) {
            Some(t) => sniffed = Some(t),
            None => {
                abort(bucket, sdb, &upload.id, now).await?;
                return Ok(Err(PartRefusal::File(Refusal::Type)));
            }
        }
    }
    let digest = {
        use sha2::Digest;
        crate::kernel::token::to_hex(&sha2::Sha256::digest(bytes))
    };
    let multipart = bucket.resume_multipart_upload(object_key(school_id, &upload.file_id), &upload.r2_upload_id)?;
    let part = multipart.upload_part(number as u16, bytes.to_vec()).await?;
    let mut writes = vec![sdb.stmt(
        "INSERT OR REPLACE INTO @upload_parts (upload_id, number, size, etag, sha256) VALUES (?2, ?3, ?4, ?5, ?6)",
        &[text(&upload.id), int(number as i64), int(expected as i64), text(&part.etag()), text(&digest)],
    )?];
    if let Some(t) = sniffed {
        writes.push(sdb.stmt("UPDATE @uploads SET content_type = ?3 WHERE id = ?2", &[text(&upload.id), text(t.content_type())])?);
    }
    sdb.batch(writes).await?;
    Ok(state(sdb, &upload.id).await?.ok_or(PartRefusal::Unknown))
}

/// What completing an upload gives: the stored file and where it goes.
pub struct Completed {
    pub file_id: String,
    pub media: MediaType,
    pub name: String,
    pub place: Place,
}

/// Puts the parts together into the object and records the file. Every part must have
/// arrived; completing twice gives the same file.
pub async fn complete(bucket: &worker::Bucket, sdb: &SchoolDb, id: &str, now: i64) -> Result<Result<Completed, PartRefusal>, AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    let Some(upload) = load(sdb, id).await?.filter(|u| u.aborted_at.is_none()) else { return Ok(Err(PartRefusal::Unknown)) };
    let media_type = upload.content_type.as_deref().and_then(MediaType::from_content_type);
    let Some(place) = Place::of_stored(upload.use_, upload.course_id, upload.lesson_id) else { return Ok(Err(PartRefusal::Unknown)) };
    let done = |u: &UploadRow, t: MediaType| Completed { file_id: u.file_id.clone(), media: t, name: media::clean_name(&u.name, t), place };
    if let (Some(_), Some(t)) = (upload.completed_at, media_type) {
        return Ok(Ok(done(&upload, t)));
    }
    let mut parts = upload.parts();
    parts.sort_by_key(|(n, _)| *n);
    let count = part_count(upload.size as u64, upload.part_size as u64);
    let missing: Vec<u64> = (1..=count).filter(|n| !parts.iter().any(|(p, _)| p == n)).collect();
    let Some(media_type) = media_type.filter(|_| missing.is_empty()) else { return Ok(Err(PartRefusal::Missing(missing))) };
    #[derive(Deserialize)]
    struct Etag {
        number: i64,
        etag: String,
    }
    let etags: Vec<Etag> = sdb.all("SELECT number, etag FROM @upload_parts WHERE upload_id = ?2 ORDER BY number", &[text(&upload.id)]).await?;
    let multipart = bucket.resume_multipart_upload(object_key(school_id, &upload.file_id), &upload.r2_upload_id)?;
    multipart.complete(etags.into_iter().map(|e| worker::UploadedPart::new(e.number as u16, e.etag))).await?;
    let digests: Vec<String> = parts.into_iter().map(|(_, d)| d).collect();
    let completed = done(&upload, media_type);
    sdb.batch(vec![
        sdb.stmt(
            "INSERT INTO @files (id, owner_id, use, name, size, content_type, sha256, course_id, lesson_id, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            &[
                text(&upload.file_id),
                int(upload.owner_id),
                text(upload.use_.as_str()),
                text(&completed.name),
                int(upload.size),
                text(media_type.content_type()),
                text(&parts_checksum(&digests)),
                opt_int(upload.course_id),
                opt_int(upload.lesson_id),
                int(now),
            ],
        )?,
        sdb.stmt("UPDATE @uploads SET completed_at = ?3 WHERE id = ?2", &[text(&upload.id), int(now)])?,
        sdb.stmt("DELETE FROM @upload_parts WHERE upload_id = ?2", &[text(&upload.id)])?,
    ])
    .await?;
    Ok(Ok(completed))
}

/// Gives an upload up: its parts are removed and its size no longer counts.
pub async fn abort(bucket: &worker::Bucket, sdb: &SchoolDb, id: &str, now: i64) -> Result<(), AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    let Some(upload) = load(sdb, id).await? else { return Ok(()) };
    if upload.completed_at.is_some() || upload.aborted_at.is_some() {
        return Ok(());
    }
    sdb.batch(vec![
        sdb.stmt("UPDATE @uploads SET aborted_at = ?3 WHERE id = ?2", &[text(&upload.id), int(now)])?,
        sdb.stmt("DELETE FROM @upload_parts WHERE upload_id = ?2", &[text(&upload.id)])?,
    ])
    .await?;
    if let Ok(multipart) = bucket.resume_multipart_upload(object_key(school_id, &upload.file_id), &upload.r2_upload_id) {
        // R2 forgets an unfinished upload after a week anyway.
        let _ = multipart.abort().await;
    }
    Ok(())
}

/// Puts a stored file to use at its place: a cover or logo replaces the current one (whose
/// object goes), an image is added at the end of its text, a video becomes a block at the
/// end of its lesson, a lesson file joins the lesson's list. The message key to show.
pub async fn attach(env: &worker::Env, sdb: &SchoolDb, place: Place, file_id: &str, name: &str, now: i64) -> Result<Result<&'static str, &'static str>, AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    let db = env.d1("DB")?;
    let bucket = env.bucket(media::BUCKET)?;
    let url = media::url(file_id);
    // The words an image is shown with: its name without extension or Markdown's brackets.
    let alt = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name).replace(['[', ']', '\n', '\r'], " ").trim().to_string();
    let image_line = |before: &str| format!("{}\n\n![{alt}]({url})\n", before.trim_end());
    let key = match place {
        Place::CourseCover { course } => {
            let old: Option<serde_json::Value> = sdb.first("SELECT cover_url FROM @courses WHERE id = ?2", &[int(course)]).await?;
            sdb.run("UPDATE @courses SET cover_url = ?3, updated_at = ?4 WHERE id = ?2", &[int(course), text(&url), int(now)]).await?;
            if let Some(previous) = old.as_ref().and_then(|o| o["cover_url"].as_str()).and_then(media::id_in_path) {
                media::remove(&bucket, sdb, &[previous.to_string()], now).await?;
            }
            "cover_saved"
        }
        Place::SchoolLogo | Place::SchoolCover => {
            let (read, write, saved) = if place == Place::SchoolLogo {
                ("SELECT logo_url AS url FROM schools WHERE id = ?1", "UPDATE schools SET logo_url = ?2 WHERE id = ?1", "logo_saved")
            } else {
                ("SELECT cover_url AS url FROM schools WHERE id = ?1", "UPDATE schools SET cover_url = ?2 WHERE id = ?1", "school_cover_saved")
            };
            let old: Option<serde_json::Value> = crate::kernel::db::first(&db, read, &[int(school_id)]).await?;
            crate::kernel::db::run(&db, write, &[int(school_id), text(&url)]).await?;
            if let Some(previous) = old.as_ref().and_then(|o| o["url"].as_str()).and_then(media::id_in_path) {
                media::remove(&bucket, sdb, &[previous.to_string()], now).await?;
            }
            saved
        }
        Place::CourseBanner { course: id } | Place::LessonImage { lesson: id, .. } => {
            // Added at the end of the banner's or the lesson's text, rendered once here.
            let (read, write) = if matches!(place, Place::CourseBanner { .. }) {
                ("SELECT banner_md AS md FROM @courses WHERE id = ?2", "UPDATE @courses SET banner_md = ?3, banner_html = ?4, updated_at = ?5 WHERE id = ?2")
            } else {
                ("SELECT content_md AS md FROM @lessons WHERE id = ?2", "UPDATE @lessons SET content_md = ?3, content_html = ?4, updated_at = ?5 WHERE id = ?2")
            };
            let row: Option<serde_json::Value> = sdb.first(read, &[int(id)]).await?;
            let markdown = image_line(row.as_ref().and_then(|r| r["md"].as_str()).unwrap_or(""));
            if markdown.len() > crate::features::lessons::markdown::MAX_MARKDOWN_BYTES {
                media::remove(&bucket, sdb, &[file_id.to_string()], now).await?;
                return Ok(Err("content_too_long"));
            }
            let html = crate::features::lessons::markdown::render_markdown(&markdown);
            sdb.run(write, &[int(id), text(&markdown), text(&html), int(now)]).await?;
            "image_inserted"
        }
        Place::LessonVideo { lesson, .. } => {
            let block = crate::features::lessons::blocks::Block::Video { url };
            let json = serde_json::to_string(&block).map_err(|_| AppError::Internal)?;
            sdb.batch(vec![
                sdb.stmt(
                    "INSERT INTO @lesson_blocks (lesson_id, position, block_json, created_at, updated_at)
                     VALUES (?2, COALESCE((SELECT MAX(position) FROM @lesson_blocks WHERE lesson_id = ?2), 0) + 1, ?3, ?4, ?4)",
                    &[int(lesson), text(&json), int(now)],
                )?,
                sdb.stmt("UPDATE @lessons SET updated_at = ?3 WHERE id = ?2", &[int(lesson), int(now)])?,
            ])
            .await?;
            "video_saved"
        }
        Place::LessonFile { .. } => "file_saved",
    };
    let _ = crate::kernel::content_version::bump(env, &db, school_id, now).await;
    Ok(Ok(key))
}

/// Whether the place exists in this school (a course, a lesson of that course).
pub async fn place_exists(sdb: &SchoolDb, place: Place) -> Result<bool, AppError> {
    let found: Option<serde_json::Value> = match (place.course(), place.lesson()) {
        (Some(c), Some(l)) => sdb.first("SELECT l.id FROM @lessons l WHERE l.id = ?3 AND l.course_id = ?2", &[int(c), int(l)]).await?,
        (Some(c), None) => sdb.first("SELECT c.id FROM @courses c WHERE c.id = ?2", &[int(c)]).await?,
        (None, _) => return Ok(true),
    };
    Ok(found.is_some())
}
