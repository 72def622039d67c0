//! The student's side of certificates, one page for two addresses: `/certificates/:id` (the
//! public verification page) and `/courses/:slug/completed` (the congratulations, with the
//! certificate issued there if the completion that finished the course could not).

use crate::features::certificates::types::CertificatePage;
#[cfg(feature = "ssr")]
use crate::features::certificates::types::{CertificateView, Completion};
use crate::kernel::error::AppError;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    /// `id`: a certificate's public id (anyone with it sees the certificate and the sentence that
    /// verifies it; unknown: 404). `course`: the viewer's completion of that course.
    pub async fn load_certificate(id: Option<String>, course: Option<String>) -> Result<CertificatePage, AppError> {
        use crate::features::certificates::server::{find, issue_if_finished, Issuer, Outcome};
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let sdb = crate::kernel::request::school_db(school.id)?;
        let Some(slug) = course else {
            let row = find(&sdb, id.as_deref().unwrap_or("")).await?.ok_or(AppError::NotFound)?;
            return Ok(CertificatePage { completion: None, certificate: Some(ssr_impl::view_of(&ctx, &row)) });
        };
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let course: serde_json::Value = sdb.first("SELECT id, title FROM @courses WHERE slug = ?2", &[crate::kernel::db::text(&slug)]).await?.ok_or(AppError::NotAvailable)?;
        let (course_id, title) = (course["id"].as_i64().unwrap_or(0), course["title"].as_str().unwrap_or("").to_string());
        let outcome = issue_if_finished(&sdb, &Issuer { now: ctx.now_ms, config: &ctx.config }, user.id, course_id).await?;
        let certificate = match &outcome {
            Outcome::Certificate(id) => find(&sdb, id).await?.map(|row| ssr_impl::view_of(&ctx, &row)),
            _ => None,
        };
        let first_name = user.display_name.split_whitespace().next().unwrap_or("").to_string();
        Ok(CertificatePage { completion: Some(Completion { slug, course_title: title, first_name, finished: outcome != Outcome::NotFinished }), certificate })
    }
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::certificates::server::CertificateRow;
    use crate::features::certificates::sheet::{layout, svg};

    /// The certificate's page, in the viewer's language around a sheet in the school's.
    pub fn view_of(ctx: &crate::kernel::request::RequestContext, row: &CertificateRow) -> CertificateView {
        use crate::kernel::i18n::t;
        let locale = ctx.viewer.locale;
        let school_url = ctx.config.school_url(&ctx.viewer.school.as_ref().map(|s| s.slug.clone()).unwrap_or_default());
        let url = format!("{school_url}{}", row.path());
        let sheet = row.sheet(&school_url);
        let label = format!("{} – {}", sheet.title, row.statement(locale));
        let date = chrono::DateTime::from_timestamp_millis(row.completed_at).unwrap_or_default();
        let linkedin = format!(
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}&certUrl={}&certId={}",
            crate::kernel::url::encode(&row.course_title),
            crate::kernel::url::encode(&row.school_name),
            chrono::Datelike::year(&date),
            chrono::Datelike::month(&date),
            crate::kernel::url::encode(&url),
            row.id
        );
        CertificateView {
            id: row.id.clone(),
            statement: row.statement(locale),
            svg: svg(&layout(&sheet), row.logo_url.as_deref(), &label),
            pdf_href: format!("{}.pdf", row.path()),
            url,
            course_title: row.course_title.clone(),
            course_href: format!("/courses/{}", row.course_slug),
            school_name: row.school_name.clone(),
            updated: (row.updated_at > row.issued_at).then(|| t(locale, "certificate_updated_on").replace("{date}", &crate::kernel::time::long_date(row.updated_at, &row.time_zone, locale))),
            own: ctx.viewer.user.as_ref().is_some_and(|u| u.id == row.user_id),
            name_missing: row.student_name.trim().is_empty(),
            linkedin_href: linkedin,
        }
    }
}
