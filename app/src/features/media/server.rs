//! Media, the storage: each file is an R2 object (binding `MEDIA`) under
//! `schools/{school}/{id}` and a `files` row saying what it is, how big, its checksum and
//! where it is used. Objects are written before their row, and removed after theirs is
//! marked deleted, so a row never points at nothing.

use crate::features::media::rules::{check_upload, MediaType, Refusal, Use, SCHOOL_QUOTA_BYTES};
use crate::kernel::db::{int, opt_int, text, SchoolDb};
use crate::kernel::error::AppError;
use serde::Deserialize;

/// The R2 binding.
pub const BUCKET: &str = "MEDIA";

/// Where a school's file lives in the bucket.
pub fn object_key(school_id: i64, file_id: &str) -> String {
    format!("schools/{school_id}/{file_id}")
}

/// A stored file, as its row says.
#[derive(Debug, Clone, Deserialize)]
pub struct FileRow {
    pub id: String,
    pub school_id: i64,
    #[serde(rename = "use")]
    pub use_: Use,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub course_id: Option<i64>,
    pub lesson_id: Option<i64>,
    /// It belongs to a published trial lesson: public, like the lesson.
    pub in_trial: Option<i64>,
}

impl FileRow {
    /// Served to anyone: covers, and the media of a published trial lesson.
    pub fn is_public(&self) -> bool {
        self.use_.is_public() || self.in_trial == Some(1)
    }
}

const FILE_COLUMNS: &str = "f.id, f.school_id, f.use, f.name, f.size, f.content_type, f.sha256, f.course_id, f.lesson_id,
    (SELECT l.trial = 1 AND l.status = 'published' FROM @lessons l WHERE l.id = f.lesson_id) AS in_trial";

/// What the school stores now and may store, in bytes.
pub async fn storage(sdb: &SchoolDb) -> Result<(u64, u64), AppError> {
    let row: Option<serde_json::Value> = sdb
        .first(
            "SELECT COALESCE(SUM(f.size), 0)
                  + (SELECT COALESCE(SUM(u.size), 0) FROM @uploads u WHERE u.completed_at IS NULL AND u.aborted_at IS NULL) AS used,
                (SELECT s.storage_quota_bytes FROM schools s WHERE s.id = ?1) AS quota
             FROM @files f",
            &[],
        )
        .await?;
    let used = row.as_ref().and_then(|r| r["used"].as_u64()).unwrap_or(0);
    let quota = row.as_ref().and_then(|r| r["quota"].as_u64()).unwrap_or(SCHOOL_QUOTA_BYTES);
    Ok((used, quota))
}

/// A file to store: what it is for, its name, its bytes, and what it belongs to.
pub struct Upload<'a> {
    pub use_: Use,
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub owner_id: i64,
    pub course_id: Option<i64>,
    pub lesson_id: Option<i64>,
    /// A student's answer the file belongs to (`None` for a draft answer's file).
    pub submission_id: Option<i64>,
}

/// Checks and stores a file; its id, or why it was refused (nothing stored then).
pub async fn store(bucket: &worker::Bucket, sdb: &SchoolDb, upload: &Upload<'_>, now: i64) -> Result<Result<(String, MediaType), Refusal>, AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    let (used, quota) = storage(sdb).await?;
    let media = match check_upload(upload.use_, &upload.bytes[..upload.bytes.len().min(64)], upload.bytes.len() as u64, used, quota) {
        Ok(t) => t,
        Err(refused) => return Ok(Err(refused)),
    };
    let id = crate::kernel::token::new_public_id();
    let sha256 = {
        use sha2::Digest;
        crate::kernel::token::to_hex(&sha2::Sha256::digest(upload.bytes))
    };
    let metadata = worker::HttpMetadata { content_type: Some(media.content_type().to_string()), ..Default::default() };
    bucket.put(object_key(school_id, &id), upload.bytes.to_vec()).http_metadata(metadata).execute().await?;
    let name = clean_name(upload.name, media);
    sdb.run(
        "INSERT INTO @files (id, owner_id, use, name, size, content_type, sha256, course_id, lesson_id, created_at, submission_id) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &[
            text(&id),
            int(upload.owner_id),
            text(upload.use_.as_str()),
            text(&name),
            int(upload.bytes.len() as i64),
            text(media.content_type()),
            text(&sha256),
            opt_int(upload.course_id),
            opt_int(upload.lesson_id),
            int(now),
            opt_int(upload.submission_id),
        ],
    )
    .await?;
    Ok(Ok((id, media)))
}

/// A name to download the file with: the one it was sent with, without path or control
/// characters, ending with the extension of what it really is.
pub fn clean_name(sent: &str, media: MediaType) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control() && *c != '"').take(120).collect::<String>();
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(&base).trim();
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}.{}", media.extension())
}

/// A live file of this school.
pub async fn find(sdb: &SchoolDb, id: &str) -> Result<Option<FileRow>, AppError> {
    sdb.first(&format!("SELECT {FILE_COLUMNS} FROM @files f WHERE f.id = ?2"), &[text(id)]).await
}

/// Marks files deleted and removes their objects (a replaced cover, a removed file).
pub async fn remove(bucket: &worker::Bucket, sdb: &SchoolDb, ids: &[String], now: i64) -> Result<(), AppError> {
    let school_id = sdb.school_id().ok_or(AppError::Internal)?;
    for id in ids {
        sdb.run("UPDATE @files SET deleted_at = ?3 WHERE id = ?2", &[text(id), int(now)]).await?;
        bucket.delete(object_key(school_id, id)).await?;
    }
    Ok(())
}

/// Who a signed URL is for: the session's id, or for a visitor this browser's form token
/// (both from the request's cookies; the page signs with the same).
pub fn viewer_key(cookie_header: &str) -> Option<String> {
    use crate::kernel::cookies::{get, CSRF_COOKIE, SESSION_COOKIE};
    get(cookie_header, SESSION_COOKIE)
        .and_then(crate::kernel::token::SessionToken::parse)
        .map(|t| t.id)
        .or_else(|| get(cookie_header, CSRF_COOKIE).filter(|t| crate::kernel::request::is_csrf_token(t)).map(str::to_string))
}

/// A private file's URL for this viewer, working for `SIGNED_URL_TTL_MS` from `now`.
pub fn signed_url(key: &str, file_id: &str, viewer: &str, now: i64) -> String {
    let expires = now + crate::features::media::rules::SIGNED_URL_TTL_MS;
    format!("{}?v={expires}&s={}", url(file_id), crate::features::media::rules::sign_url(key, file_id, viewer, expires))
}

/// A lesson's HTML with each of its images and videos (`src="/media/{id}…"`) signed for
/// this viewer.
pub fn sign_images(html: &str, key: &str, viewer: &str, now: i64) -> String {
    const MARK: &str = "src=\"/media/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        let (before, from) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let id = from.get(..32).unwrap_or("");
        // An image's `"/media/{id}"`, or a video's `"/media/{id}#t=..."`.
        if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && (from[32..].starts_with('"') || from[32..].starts_with('#')) {
            let signed = signed_url(key, id, viewer, now);
            out.push_str(&crate::kernel::html::escape(signed.trim_start_matches("/media/")));
            rest = &from[32..];
        } else {
            rest = from;
        }
    }
    out.push_str(rest);
    out
}

/// The path a stored file is served at on its school's host.
pub fn url(id: &str) -> String {
    format!("/media/{id}")
}

pub use crate::features::media::rules::id_in_path;

/// Counts a view of an uploaded video for the session's student (the session checked like
/// any request's: its secret, not revoked, not expired). Whether it was counted.
///
/// `at`: not a new view but where the student is in the video (seconds), kept so that
/// "continue" starts it there.
pub async fn count_view(sdb: &SchoolDb, file_id: &str, token: &crate::kernel::token::SessionToken, now: i64, at: Option<i64>) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct Row {
        user_id: i64,
        secret_hash: String,
        expires_at: i64,
        absolute_expires_at: i64,
        last_seen_at: i64,
        revoked_at: Option<i64>,
        lesson_id: Option<i64>,
    }
    let row: Option<Row> = sdb
        .first(
            "SELECT s.user_id, s.secret_hash, s.expires_at, s.absolute_expires_at, s.last_seen_at, s.revoked_at,
                    (SELECT f.lesson_id FROM @files f WHERE f.id = ?3 AND f.use = 'video') AS lesson_id
             FROM @sessions s WHERE s.id = ?2",
            &[text(&token.id), text(file_id)],
        )
        .await?;
    let Some(row) = row else { return Ok(false) };
    let session = crate::kernel::session::SessionRow {
        secret_hash: row.secret_hash,
        expires_at: row.expires_at,
        absolute_expires_at: row.absolute_expires_at,
        last_seen_at: row.last_seen_at,
        revoked: row.revoked_at.is_some(),
    };
    let (crate::kernel::session::Verdict::Valid { .. }, Some(lesson_id)) = (crate::kernel::session::judge(token, &session, now), row.lesson_id) else { return Ok(false) };
    match at {
        Some(seconds) => {
            sdb.run("UPDATE @video_views SET position_s = ?4, last_at = ?5 WHERE file_id = ?2 AND user_id = ?3", &[text(file_id), int(row.user_id), int(seconds.clamp(0, 24 * 3600)), int(now)]).await?;
        }
        None => {
            sdb.run(
                "INSERT INTO @video_views (file_id, user_id, lesson_id, views, first_at, last_at) VALUES (?2, ?3, ?4, 1, ?5, ?5)
                 ON CONFLICT (file_id, user_id) DO UPDATE SET views = views + 1, last_at = excluded.last_at",
                &[text(file_id), int(row.user_id), int(lesson_id), int(now)],
            )
            .await?;
        }
    }
    Ok(true)
}
