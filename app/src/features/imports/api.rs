//! Student imports, the creator's steps: (1) upload (a multipart form the Worker handles,
//! `worker/src/admin_files.rs`), (2) preview — how the first row is read, totals, every row's
//! problems — with the options, (3) import, then the result with the rejects file and the log.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// Problems listed on the page (the log has all of them).
pub const PROBLEMS_SHOWN: i64 = 300;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnReading {
    pub header: String,
    /// The field it fills, or None (unknown column, not imported).
    pub field: Option<String>,
    /// The first row's value in this column.
    pub first_value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblems {
    pub line: usize,
    pub rejected: bool,
    pub messages: Vec<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    /// `students` or `statistics` (`rules::Kind`).
    pub kind: String,
    /// Statistics: rows left out (the student is not in the course; enrolling was not chosen).
    pub skipped: i64,
    pub file_name: String,
    pub separator: String,
    pub columns: Vec<ColumnReading>,
    pub unknown_columns: Vec<String>,
    pub total_rows: i64,
    pub rejected_rows: i64,
    pub warning_rows: i64,
    pub status: String,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub enrolled: i64,
    pub unchanged: i64,
    pub invited: i64,
    pub statements: i64,
    pub problems: Vec<RowProblems>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: String,
    pub kind: String,
    pub file_name: String,
    pub created_at: i64,
    pub status: String,
    pub total_rows: i64,
    pub rejected_rows: i64,
}

crate::kernel::page_data! {
    pub async fn recent_imports() -> Result<Vec<ImportSummary>, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        crate::kernel::request::school_db(school_id)?
            .all("SELECT id, kind, file_name, created_at, status, total_rows, rejected_rows FROM @imports ORDER BY created_at DESC LIMIT 20", &[])
            .await
    }
}

crate::kernel::page_data! {
    pub async fn load_import(id: String) -> Result<ImportView, AppError> {
        use crate::features::imports::rules::Columns;
        use crate::features::imports::server as imports;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = crate::kernel::request::school_db(school_id)?;
        let import = imports::load(&db, &id).await?.ok_or(AppError::NotFound)?;
        let columns: Columns = serde_json::from_str(&import.columns_json).map_err(|_| AppError::Internal)?;
        let first = imports::rows_of(&db, &id, false, 1).await?;
        let first_raw = first.first().map(|(r, _)| r.raw.clone()).unwrap_or_default();
        let problems = imports::rows_of(&db, &id, true, PROBLEMS_SHOWN).await?;
        let locale = ctx.viewer.locale;
        Ok(ImportView {
            id: import.id.clone(),
            kind: import.kind.clone(),
            skipped: import.skipped,
            file_name: import.file_name.clone(),
            separator: import.separator.clone(),
            columns: columns
                .header
                .iter()
                .zip(&columns.fields)
                .enumerate()
                .map(|(i, (h, f))| ColumnReading { header: h.clone(), field: f.map(|f| f.name().to_string()), first_value: first_raw.get(i).cloned().unwrap_or_default() })
                .collect(),
            unknown_columns: columns.unknown().into_iter().map(String::from).collect(),
            total_rows: import.total_rows,
            rejected_rows: import.rejected_rows,
            warning_rows: import.warning_rows,
            status: import.status.clone(),
            processed: import.processed,
            created: import.created,
            updated: import.updated,
            enrolled: import.enrolled,
            unchanged: import.unchanged,
            invited: import.invited,
            statements: import.statements,
            problems: problems
                .into_iter()
                .map(|(r, outcome)| RowProblems {
                    line: r.line,
                    rejected: r.is_rejected(),
                    messages: r.errors.iter().chain(&r.warnings).map(|p| p.message(locale)).collect(),
                    outcome,
                })
                .collect(),
        })
    }
}

/// Step 3: the options, then the import runs after the response (the page shows progress
/// and refreshes itself until it is done).
#[server(prefix = "/admin/api", endpoint = "run_import")]
pub async fn run_import(
    id: String,
    update_existing: Option<String>,
    grant_courses: Option<String>,
    invite_new: Option<String>,
    enroll_missing: Option<String>,
    certificates: Option<String>,
) -> Result<(), AppError> {
    send(async move {
        use crate::features::imports::rules::ImportOptions;
        use crate::features::imports::server as imports;
        let ctx = ctx()?;
        let (school_id, actor_id) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let school = require_school(&ctx)?;
        let db = crate::kernel::request::school_db(school_id)?;
        let options = ImportOptions {
            update_existing: update_existing.is_some(),
            grant_courses: grant_courses.is_some(),
            invite_new: invite_new.is_some(),
            enroll_missing: enroll_missing.is_some(),
            certificates: certificates.is_some(),
        };
        let page = format!("/admin/imports/{id}");
        let kind = crate::features::imports::rules::Kind::parse(&imports::load(&db, &id).await?.ok_or(AppError::NotFound)?.kind);
        if imports::claim(&db, &id, options, ctx.now_ms).await? {
            #[derive(Deserialize)]
            struct SchoolRow {
                default_locale: String,
            }
            let row: Option<SchoolRow> = db.first("SELECT default_locale FROM schools WHERE id = ?1", &[]).await?;
            let default_locale = row.and_then(|r| crate::kernel::i18n::Locale::parse(&r.default_locale)).unwrap_or_default();
            let job = async move {
                let info = imports::ImportSchool { slug: &school.slug, name: &school.name, time_zone: &school.time_zone, default_locale };
                if let Err(e) = imports::run(&db, &ctx, &info, actor_id, &id, kind, options).await {
                    worker::console_error!("import {id} stopped: {e:?}");
                }
            };
            crate::kernel::request::after_response(job).await;
        }
        redirect(&page);
        Ok(())
    })
    .await
}
