//! The school's team: the owner invites assistants (students' side) and curators (assignment
//! reviews) by email, and removes them. Each role's reach is `kernel::access::Role::may`,
//! checked by every server function.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub status: String,
    /// A curator's courses.
    #[serde(default)]
    pub courses: Vec<i64>,
}

crate::kernel::page_data! {
    pub async fn load_team() -> Result<Vec<Member>, AppError> {
        let (_, school_id) = owner()?;
        let school = crate::kernel::request::school_db(school_id)?;
        let mut members: Vec<Member> = school.all("SELECT id, email, role, status FROM @users WHERE role IN ('owner', 'assistant', 'curator') ORDER BY role, email", &[]).await?;
        let assigned = crate::features::tasks::reviews::ssr_impl::curator_courses(school.d1(), school_id).await?;
        for m in &mut members {
            m.courses = assigned.iter().filter(|(u, _)| *u == m.id).map(|(_, c)| *c).collect();
        }
        Ok(members)
    }
}

/// A new member (or a student given a role) receives an invitation to log in.
#[server(prefix = "/admin/api", endpoint = "invite_member")]
pub async fn invite_member(email: String, role: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::access::Role;
        use crate::kernel::db::{batch, int, rows, text};
        let (ctx, school_id) = owner()?;
        let back = |key: &str| {
            redirect(&crate::kernel::url::with_error("/admin/team", key, &[("email", email.as_str())]));
            Ok(())
        };
        let Ok(parsed) = crate::kernel::email::Email::parse(&email) else { return back("email_invalid") };
        let role = Role::parse(&role);
        if !matches!(role, Role::Assistant | Role::Curator) {
            return back("team_role_invalid");
        }
        let sdb = crate::kernel::request::school_db(school_id)?;
        let results = sdb
            .batch(vec![
                sdb.stmt(
                    "INSERT INTO @users (email, role, created_at) VALUES (?2, ?3, ?4)
                     ON CONFLICT (school_id, email) DO UPDATE SET role = CASE WHEN role = 'owner' THEN role ELSE excluded.role END, status = 'active'",
                    &[text(parsed.as_str()), text(role.as_str()), int(ctx.now_ms)],
                )?,
                sdb.stmt("SELECT id, role, locale FROM @users WHERE email = ?2", &[text(parsed.as_str())])?,
            ])
            .await?;
        let db = sdb.d1();
        let user = rows::<serde_json::Value>(&results[1])?.into_iter().next().ok_or(AppError::Internal)?;
        if user["role"].as_str() == Some("owner") {
            return back("team_is_owner");
        }
        let school = require_school(&ctx)?;
        let school_ref = crate::features::login::server::SchoolRef { id: school.id, slug: &school.slug, name: &school.name };
        let locale = user["locale"].as_str().and_then(crate::kernel::i18n::Locale::parse).unwrap_or(ctx.viewer.locale);
        let (statements, _) = crate::features::login::server::issue(db, &ctx, &school_ref, user["id"].as_i64(), &parsed, locale, crate::features::login::server::Purpose::Invite, false)?;
        batch(db, statements).await?;
        redirect("/admin/team?ok=invitation_sent");
        Ok(())
    })
    .await
}

/// Back to being a student: the team pages are closed to them at once.
#[server(prefix = "/admin/api", endpoint = "remove_member")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    send(async move {
        let (_, school_id) = owner()?;
        let id = parse_id(&id)?;
        let school = crate::kernel::request::school_db(school_id)?;
        school.run("UPDATE @users SET role = 'student' WHERE id = ?2 AND role IN ('assistant', 'curator')", &[crate::kernel::db::int(id)]).await?;
        redirect("/admin/team?ok=saved");
        Ok(())
    })
    .await
}
