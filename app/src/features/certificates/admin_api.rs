//! The creator's side of certificates (admin Worker): a course's template with its preview,
//! the certificates issued, reissuing them (one, a course's, or chosen students'), and a
//! student's certificates on their page.

use crate::features::certificates::rules::Template;
use crate::features::certificates::types::IssuedRow;
use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateSettings {
    pub course_id: i64,
    pub course_title: String,
    pub template: Template,
    /// The sheet with a sample student's name and today's date.
    pub preview_svg: String,
    pub issued: Vec<IssuedRow>,
    pub total: i64,
    /// Certificates issued before the template's last change: what "reissue" would update.
    pub outdated: i64,
}

/// How many certificates a course page lists (the rest: the report's CSV).
pub const LISTED: i64 = 50;

crate::kernel::page_data! {
    pub async fn load_certificate_settings(course_id: i64) -> Result<CertificateSettings, AppError> {
        ssr_impl::settings(course_id).await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_certificate_template")]
pub async fn save_certificate_template(course_id: String, enabled: Option<String>, title: String, body: String, signer_name: String, signer_role: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save(&course_id, enabled.is_some(), &title, &body, &signer_name, &signer_role).await }).await
}

/// Reissues certificates: one (`id`), or a course's (`course_id`); `tell` notifies and
/// emails each student. `back`: the page the form was on.
#[server(prefix = "/admin/api", endpoint = "reissue_certificates")]
pub async fn reissue_certificates(course_id: Option<String>, id: Option<String>, tell: Option<String>, back: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::reissue(course_id.as_deref(), id.as_deref(), tell.is_some(), back.as_deref()).await }).await
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::certificates::rules::{lines, Values};
    use crate::features::certificates::server::{reissue as reissue_rows, template, Issuer, Reissue};
    use crate::features::certificates::sheet::{layout, svg, Rgb, Sheet};
    use crate::kernel::access::Permission;
    use crate::kernel::db::int;
    use crate::kernel::i18n::{t, Locale};

    use crate::features::certificates::server::ISSUED;

    #[derive(Deserialize)]
    struct School {
        name: String,
        default_locale: String,
        brand_color: String,
        logo_url: Option<String>,
    }

    pub async fn settings(course_id: i64) -> Result<CertificateSettings, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, Permission::ManageCourses)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let results = sdb
            .batch(vec![
                sdb.stmt("SELECT c.title, s.name, s.default_locale, s.brand_color, s.logo_url, (SELECT t.updated_at FROM @certificate_templates t WHERE t.course_id = c.id) AS changed FROM @courses c JOIN schools s ON s.id = ?1 WHERE c.id = ?2", &[int(course_id)])?,
                sdb.stmt(&format!("{ISSUED} WHERE c.course_id = ?2 ORDER BY c.issued_at DESC, c.id LIMIT ?3"), &[int(course_id), int(LISTED)])?,
                sdb.stmt(
                    "SELECT COUNT(*) AS total, SUM(c.updated_at < COALESCE((SELECT t.updated_at FROM @certificate_templates t WHERE t.course_id = c.course_id), 0)) AS outdated FROM @certificates c WHERE c.course_id = ?2",
                    &[int(course_id)],
                )?,
            ])
            .await?;
        let head: serde_json::Value = crate::kernel::db::rows(&results[0])?.into_iter().next().ok_or(AppError::NotFound)?;
        let school: School = serde_json::from_value(head.clone()).map_err(|_| AppError::Internal)?;
        let course_title = head["title"].as_str().unwrap_or("").to_string();
        let counts: serde_json::Value = crate::kernel::db::rows(&results[2])?.into_iter().next().unwrap_or_default();
        let school_locale = Locale::parse(&school.default_locale).unwrap_or_default();
        let template = template(&sdb, course_id, school_locale).await?;
        let preview = preview(&ctx, &school, &course_title, &template);
        Ok(CertificateSettings {
            course_id,
            course_title,
            template,
            preview_svg: preview,
            issued: crate::kernel::db::rows::<IssuedRow>(&results[1])?,
            total: counts["total"].as_i64().unwrap_or(0),
            outdated: counts["outdated"].as_i64().unwrap_or(0),
        })
    }

    /// The template drawn for a sample student who finished today.
    fn preview(ctx: &crate::kernel::request::RequestContext, school: &School, course_title: &str, template: &Template) -> String {
        let locale = Locale::parse(&school.default_locale).unwrap_or_default();
        let values = Values {
            student_name: t(locale, "certificate_sample_name").to_string(),
            course_title: course_title.to_string(),
            date: crate::kernel::time::long_date(ctx.now_ms, ctx.viewer.time_zone(), locale),
            school_name: school.name.clone(),
        };
        let school_url = ctx.config.school_url(&ctx.viewer.school.as_ref().map(|s| s.slug.clone()).unwrap_or_default());
        let sheet = Sheet {
            school_name: school.name.clone(),
            has_logo: school.logo_url.is_some(),
            title: crate::features::certificates::rules::fill(&template.title, &values),
            lines: lines(&template.body, &values),
            date: values.date.clone(),
            date_label: t(locale, "certificate_date_label").to_string(),
            signer_name: template.signer_name.clone(),
            signer_role: template.signer_role.clone(),
            verify: t(locale, "certificate_verify_at").replace("{url}", &format!("{school_url}/certificates/…")),
            color: Rgb::parse(&school.brand_color).unwrap_or(crate::features::certificates::sheet::INK),
        };
        svg(&layout(&sheet), school.logo_url.as_deref(), &t(ctx.viewer.locale, "certificate_preview"))
    }

    pub async fn save(course_id: &str, enabled: bool, title: &str, body: &str, signer_name: &str, signer_role: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, Permission::ManageCourses)?;
        let course_id = parse_id(course_id)?;
        let page = format!("/admin/courses/{course_id}/certificate");
        let template = match Template::parse(enabled, title, body, signer_name, signer_role) {
            Ok(t) => t,
            Err(e) => {
                let fields = match &e {
                    crate::features::certificates::rules::TemplateError::UnknownFields(f) => f.iter().map(|f| format!("{{{{{f}}}}}")).collect::<Vec<_>>().join(", "),
                    _ => String::new(),
                };
                // What was typed comes back with the message (unless it is too long for an address).
                let keep = |v: &str| if v.len() <= 1500 { v.to_string() } else { String::new() };
                redirect(&format!(
                    "{}#template",
                    crate::kernel::url::with_error(&page, e.code(), &[("fields", &fields), ("title", &keep(title)), ("body", &keep(body)), ("signer_name", &keep(signer_name)), ("signer_role", &keep(signer_role))])
                ));
                return Ok(());
            }
        };
        let sdb = crate::kernel::request::school_db(school_id)?;
        let exists: Option<serde_json::Value> = sdb.first("SELECT id FROM @courses WHERE id = ?2", &[int(course_id)]).await?;
        if exists.is_none() {
            return Err(AppError::NotFound);
        }
        sdb.batch(vec![crate::features::certificates::server::save_template(&sdb, course_id, &template, ctx.now_ms)?]).await?;
        redirect(&format!("{page}?ok=certificate_template_saved#template"));
        Ok(())
    }

    pub async fn reissue(course_id: Option<&str>, id: Option<&str>, tell: bool, back: Option<&str>) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, user_id) = require_staff(&ctx.viewer, Permission::ManageStudents)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let issuer = Issuer { now: ctx.now_ms, config: &ctx.config };
        let (which, default_back) = match (id, course_id) {
            (Some(id), _) => (Reissue::One(id), "/admin/students".to_string()),
            (None, Some(course)) => {
                let course_id = parse_id(course)?;
                (Reissue::Course { course_id, user_ids: None }, format!("/admin/courses/{course_id}/certificate"))
            }
            (None, None) => return Err(AppError::BadRequest("course_id or id".into())),
        };
        let count = reissue_rows(&sdb, &issuer, which, tell, Some(user_id)).await?;
        let back = back.and_then(crate::kernel::next::safe_next).map(str::to_string).unwrap_or(default_back);
        let (path, anchor) = back.split_once('#').map(|(p, a)| (p.to_string(), format!("#{a}"))).unwrap_or((back.clone(), String::new()));
        let sep = if path.contains('?') { '&' } else { '?' };
        redirect(&format!("{path}{sep}ok=certificates_reissued&count={count}{anchor}"));
        Ok(())
    }

}
