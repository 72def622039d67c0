//! Media, the cleaning pass (hourly cron, and `/_dev/sweep_media` in dev): uploads nobody
//! finished, the files of lessons and courses whose 30 days in the trash are over, and
//! objects no live row refers to. The one media code that works across schools.

use crate::features::media::server::object_key;
use crate::kernel::db::{int, text};
use crate::kernel::error::AppError;
use serde::Deserialize;

/// What one cleaning pass did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Sweep {
    /// Uploads in parts nobody finished in a day, given up.
    pub abandoned_uploads: usize,
    /// Files of lessons and courses deleted more than 30 days ago, removed.
    pub trashed_files: usize,
    /// Objects in the bucket no live row refers to, removed.
    pub orphan_objects: usize,
}

/// An object written less than this long ago is left alone by the sweep: its row may be on
/// its way (objects are written before their rows).
const ORPHAN_GRACE_MS: i64 = 3600 * 1000;

/// The cleaning pass (hourly cron): gives up abandoned uploads, removes the files of lessons
/// and courses whose 30 days in the trash are over, and removes objects no live row refers
/// to. Across schools (the one place that is not one school's request). Bounded per run.
///
/// `only`: one school's files (the dev endpoint, so that tests running side by side do not
/// sweep each other's uploads at a moved clock); the cron passes `None`.
pub async fn sweep(db: &worker::D1Database, bucket: &worker::Bucket, now: i64, only: Option<i64>) -> Result<Sweep, AppError> {
    let school = int(only.unwrap_or(0));
    use crate::features::media::rules::{DELETED_FILES_KEEP_MS, UPLOAD_ABANDONED_MS};
    let mut report = Sweep::default();
    // 1. Uploads left unfinished.
    #[derive(Deserialize)]
    struct Open {
        id: String,
        school_id: i64,
        file_id: String,
        r2_upload_id: String,
    }
    let open: Vec<Open> = crate::kernel::db::all(
        db,
        "SELECT id, school_id, file_id, r2_upload_id FROM uploads WHERE completed_at IS NULL AND aborted_at IS NULL AND created_at < ?1 AND (?2 = 0 OR school_id = ?2) LIMIT 100",
        &[int(now - UPLOAD_ABANDONED_MS), school.clone()],
    )
    .await?;
    for upload in &open {
        crate::kernel::db::batch(
            db,
            vec![
                crate::kernel::db::stmt(db, "UPDATE uploads SET aborted_at = ?2 WHERE id = ?1", &[text(&upload.id), int(now)])?,
                crate::kernel::db::stmt(db, "DELETE FROM upload_parts WHERE upload_id = ?1", &[text(&upload.id)])?,
            ],
        )
        .await?;
        if let Ok(multipart) = bucket.resume_multipart_upload(object_key(upload.school_id, &upload.file_id), &upload.r2_upload_id) {
            let _ = multipart.abort().await;
        }
        report.abandoned_uploads += 1;
    }
    // 2. Files whose lesson or course left the trash for good.
    #[derive(Deserialize)]
    struct Gone {
        id: String,
        school_id: i64,
    }
    let gone: Vec<Gone> = crate::kernel::db::all(
        db,
        "SELECT f.id, f.school_id FROM files f
         LEFT JOIN lessons l ON l.id = f.lesson_id LEFT JOIN courses c ON c.id = f.course_id
         WHERE f.deleted_at IS NULL AND (l.deleted_at < ?1 OR c.deleted_at < ?1) AND (?2 = 0 OR f.school_id = ?2)
         LIMIT 500",
        &[int(now - DELETED_FILES_KEEP_MS), school.clone()],
    )
    .await?;
    for file in &gone {
        crate::kernel::db::run(db, "UPDATE files SET deleted_at = ?2 WHERE id = ?1", &[text(&file.id), int(now)]).await?;
        bucket.delete(object_key(file.school_id, &file.id)).await?;
        report.trashed_files += 1;
    }
    // 3. Objects nothing refers to: a live file, or an upload still open.
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let prefix = match only {
            Some(id) => format!("schools/{id}/"),
            None => "schools/".to_string(),
        };
        let mut list = bucket.list().prefix(prefix).limit(1000);
        if let Some(c) = &cursor {
            list = list.cursor(c.clone());
        }
        let page = list.execute().await?;
        let objects = page.objects();
        let candidates: Vec<(String, String)> = objects
            .iter()
            .filter(|o| now - o.uploaded().as_millis() as i64 > ORPHAN_GRACE_MS)
            .filter_map(|o| {
                let key = o.key();
                let id = key.rsplit('/').next()?.to_string();
                Some((key, id))
            })
            .collect();
        if !candidates.is_empty() {
            let ids = serde_json::to_string(&candidates.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>()).map_err(|_| AppError::Internal)?;
            #[derive(Deserialize)]
            struct Kept {
                id: String,
            }
            let kept: Vec<Kept> = crate::kernel::db::all(
                db,
                "SELECT f.id FROM files f WHERE f.deleted_at IS NULL AND f.id IN (SELECT value FROM json_each(?1))
                 UNION SELECT u.file_id FROM uploads u WHERE u.aborted_at IS NULL AND u.file_id IN (SELECT value FROM json_each(?1))",
                &[text(&ids)],
            )
            .await?;
            let orphans: Vec<String> = candidates.into_iter().filter(|(_, id)| !kept.iter().any(|k| &k.id == id)).map(|(key, _)| key).collect();
            if !orphans.is_empty() {
                report.orphan_objects += orphans.len();
                bucket.delete_multiple(orphans).await?;
            }
        }
        if !page.truncated() {
            break;
        }
        cursor = page.cursor();
    }
    Ok(report)
}
