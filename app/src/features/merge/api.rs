//! The merge page's data and its one action (admin Worker).

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// What `/admin/students/merge` shows: the two accounts as typed, and the plan or why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergePage {
    pub keep: String,
    pub merge: String,
    pub plan: Option<crate::features::merge::rules::Plan>,
    /// Why these two cannot be merged (an i18n key).
    pub refusal: Option<String>,
    pub fingerprint: String,
}

crate::kernel::page_data! {
    pub async fn load_merge(keep: String, merge: String) -> Result<MergePage, AppError> {
        ssr_impl::load(keep, merge).await
    }
}

/// Merges `merge` into `keep` (ids), if the plan is still the one confirmed.
#[server(prefix = "/admin/api", endpoint = "merge_accounts")]
pub async fn merge_accounts(keep: String, merge: String, fingerprint: String) -> Result<(), AppError> {
    send(async move { ssr_impl::run(&keep, &merge, &fingerprint).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::merge::server;
    use crate::kernel::access::Permission;

    pub async fn load(keep: String, merge: String) -> Result<MergePage, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, Permission::ManageStudents)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let mut page = MergePage { keep: keep.trim().to_string(), merge: merge.trim().to_string(), plan: None, refusal: None, fingerprint: String::new() };
        if page.keep.is_empty() || page.merge.is_empty() {
            return Ok(page);
        }
        let (Some(k), Some(m)) = (server::find(&sdb, &page.keep).await?, server::find(&sdb, &page.merge).await?) else {
            page.refusal = Some(crate::features::merge::rules::Refusal::NotFound.key().into());
            return Ok(page);
        };
        match server::plan(&sdb, k, m, ctx.now_ms).await? {
            Ok(plan) => {
                page.fingerprint = plan.fingerprint();
                page.plan = Some(plan);
            }
            Err(refusal) => page.refusal = Some(refusal.key().into()),
        }
        Ok(page)
    }

    pub async fn run(keep: &str, merge: &str, fingerprint: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, Permission::ManageStudents)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let id = |s: &str| s.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()));
        let (k, m) = (id(keep)?, id(merge)?);
        let page = format!("/admin/students/merge?keep={k}&merge={m}");
        let plan = match server::plan(&sdb, k, m, ctx.now_ms).await? {
            Ok(plan) => plan,
            Err(refusal) => {
                redirect(&crate::kernel::url::with_error(&page, refusal.key(), &[]));
                return Ok(());
            }
        };
        // Something changed since the confirmation was shown: show it again.
        if plan.fingerprint() != fingerprint.trim() {
            redirect(&crate::kernel::url::with_error(&page, "merge_changed", &[]));
            return Ok(());
        }
        server::merge(&sdb, &plan, actor, ctx.now_ms).await?;
        redirect(&format!("/admin/students/{k}?ok=accounts_merged"));
        Ok(())
    }
}
