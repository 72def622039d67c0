//! A lesson's files for the creator (admin Worker): the list, and removing one. Uploading
//! is the Worker's multipart handler (worker/src/admin_files.rs).

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// A file attached to a lesson, as the creator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedFile {
    pub id: String,
    pub name: String,
    /// "12 MB".
    pub size: String,
    pub content_type: String,
    /// A link signed for this team member (minutes), to check the file.
    pub href: String,
}

crate::kernel::page_data! {
    pub async fn load_lesson_files(course_id: i64, lesson_id: i64) -> Result<Vec<AttachedFile>, AppError> {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageCourses)?;
        #[derive(Deserialize)]
        struct Row {
            id: String,
            name: String,
            size: i64,
            content_type: String,
        }
        let rows: Vec<Row> = crate::kernel::request::school_db(school_id)?
            .all(
                "SELECT f.id, f.name, f.size, f.content_type FROM @files f JOIN @lessons l ON l.id = f.lesson_id
                 WHERE f.lesson_id = ?2 AND l.course_id = ?3 AND f.use = 'lesson_file' ORDER BY f.created_at, f.id",
                &[int(lesson_id), int(course_id)],
            )
            .await?;
        let french = ctx.viewer.locale == crate::kernel::i18n::Locale::Fr;
        let viewer = ctx.session_id.clone().unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|r| AttachedFile {
                href: crate::features::media::server::signed_url(&ctx.config.pepper, &r.id, &viewer, ctx.now_ms),
                id: r.id,
                name: r.name,
                size: crate::features::media::rules::human_size(r.size.max(0) as u64, french),
                content_type: r.content_type,
            })
            .collect())
    }
}

/// Removes a lesson's file: its row is marked deleted and its object goes.
#[server(prefix = "/admin/api", endpoint = "delete_lesson_file")]
pub async fn delete_lesson_file(course_id: String, lesson_id: String, file_id: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, text};
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageCourses)?;
        let (course_id, lesson_id) = (parse_id(&course_id)?, parse_id(&lesson_id)?);
        let sdb = crate::kernel::request::school_db(school_id)?;
        let found: Option<serde_json::Value> = sdb
            .first(
                "SELECT f.id FROM @files f JOIN @lessons l ON l.id = f.lesson_id WHERE f.id = ?2 AND f.lesson_id = ?3 AND l.course_id = ?4 AND f.use = 'lesson_file'",
                &[text(file_id.trim()), int(lesson_id), int(course_id)],
            )
            .await?;
        if found.is_some() {
            let bucket = crate::kernel::request::env()?.bucket(crate::features::media::server::BUCKET)?;
            crate::features::media::server::remove(&bucket, &sdb, &[file_id.trim().to_string()], ctx.now_ms).await?;
        }
        redirect(&format!("/admin/courses/{course_id}/lessons/{lesson_id}?ok=file_deleted#files"));
        Ok(())
    })
    .await
}

/// One uploaded video as one student watched it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoViews {
    pub course_title: String,
    pub lesson_title: String,
    pub video_name: String,
    pub views: i64,
    pub first_at: i64,
    pub last_at: i64,
}

crate::kernel::page_data! {
    /// Which uploaded videos a student played, how often, first and last (newest first).
    pub async fn load_video_views(id: i64) -> Result<Vec<VideoViews>, AppError> {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        crate::kernel::request::school_db(school_id)?
            .all(
                "SELECT c.title AS course_title, l.title AS lesson_title, f.name AS video_name, v.views, v.first_at, v.last_at
                 FROM @video_views v JOIN @files* f ON f.id = v.file_id JOIN @lessons* l ON l.id = v.lesson_id JOIN @courses* c ON c.id = l.course_id
                 WHERE v.user_id = ?2 ORDER BY v.last_at DESC LIMIT 200",
                &[int(id)],
            )
            .await
    }
}

/// The school's storage and logo, for the settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageSummary {
    /// "1.2 GB"
    pub used: String,
    pub quota: String,
    pub percent: u32,
    pub files: i64,
    pub logo_url: Option<String>,
}

crate::kernel::page_data! {
    pub async fn load_storage() -> Result<StorageSummary, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageSettings)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let (used, quota) = crate::features::media::server::storage(&sdb).await?;
        let row: Option<serde_json::Value> = sdb.first("SELECT (SELECT COUNT(*) FROM @files f) AS files, (SELECT s.logo_url FROM schools s WHERE s.id = ?1) AS logo_url", &[]).await?;
        let french = ctx.viewer.locale == crate::kernel::i18n::Locale::Fr;
        let size = |b: u64| crate::features::media::rules::human_size(b, french);
        Ok(StorageSummary {
            used: size(used),
            quota: size(quota),
            percent: (used.saturating_mul(100) / quota.max(1)).min(100) as u32,
            files: row.as_ref().and_then(|r| r["files"].as_i64()).unwrap_or(0),
            logo_url: row.as_ref().and_then(|r| r["logo_url"].as_str()).map(str::to_string),
        })
    }
}
