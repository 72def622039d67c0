//! Settings → E-mails: the six editable kinds, their texts per language, a preview with the
//! newest student's data, a test sent to the viewer, and the reset to the default.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// One kind in the list: which languages have the school's own text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KindRow {
    pub kind: String,
    pub edited: Vec<String>,
}

/// The editor of one kind in one language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Editor {
    pub kind: String,
    pub locale: String,
    pub subject: String,
    pub body: String,
    /// The school has its own text (reset shows).
    pub edited: bool,
    /// Whose data the preview shows.
    pub sample_name: String,
    pub sample_email: String,
    /// The preview (`None`: the text shown does not pass the check).
    pub preview: Option<(String, String)>,
}

crate::kernel::page_data! {
    pub async fn load_email_kinds() -> Result<Vec<KindRow>, AppError> {
        let (ctx, school_id) = owner()?;
        let _ = ctx;
        ssr_impl::kinds(school_id).await
    }
}

crate::kernel::page_data! {
    /// `typed`: the subject and text of the query (after a refusal or a preview), else the saved ones.
    pub async fn load_email_editor(kind: String, locale: String, typed: Option<(String, String)>) -> Result<Editor, AppError> {
        let (ctx, school_id) = owner()?;
        ssr_impl::editor(&ctx, school_id, &kind, &locale, typed).await
    }
}

/// One form, four buttons (`action`): save, preview, send me a test, reset.
#[server(prefix = "/admin/api", endpoint = "save_email")]
pub async fn save_email(kind: String, locale: String, subject: Option<String>, body: Option<String>, action: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save(&kind, &locale, subject.unwrap_or_default(), body.unwrap_or_default(), &action).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::emails::compose::Letter;
    use crate::features::emails::rules::SchoolTexts;
    use crate::features::emails::rules::{check, MailKind, TextError};
    use crate::kernel::db::{int, text, SchoolDb};
    use crate::kernel::i18n::{t, Locale};
    use crate::kernel::request::RequestContext;
    use crate::kernel::url::{encode, with_error};

    pub fn page(kind: MailKind, locale: Locale) -> String {
        format!("/admin/settings/emails/{}?lang={}", kind.code(), locale.code())
    }

    pub async fn kinds(school_id: i64) -> Result<Vec<KindRow>, AppError> {
        #[derive(Deserialize)]
        struct Row {
            kind: String,
            locale: String,
        }
        let db = crate::kernel::request::db()?;
        let saved: Vec<Row> = SchoolDb::new(&db, school_id).all("SELECT kind, locale FROM @email_templates ORDER BY locale DESC", &[]).await?;
        Ok(MailKind::ALL.iter().map(|k| KindRow { kind: k.code().into(), edited: saved.iter().filter(|r| r.kind == k.code()).map(|r| r.locale.clone()).collect() }).collect())
    }

    /// Whose data previews and tests show: the newest student (else the viewer), their
    /// newest course (else the school's) and its first lesson.
    #[derive(Deserialize, Default)]
    struct Sample {
        first_name: String,
        last_name: String,
        email: String,
        course_title: Option<String>,
        lesson_title: Option<String>,
    }

    async fn sample(sdb: &SchoolDb, ctx: &RequestContext) -> Result<Sample, AppError> {
        let found: Option<Sample> = sdb
            .first(
                "SELECT u.first_name, u.last_name, u.email, c.title AS course_title,
                    (SELECT l.title FROM @lessons l WHERE l.course_id = c.id ORDER BY l.position LIMIT 1) AS lesson_title
                 FROM @users u
                 LEFT JOIN @courses c ON c.id = COALESCE((SELECT e.course_id FROM @enrollments e WHERE e.user_id = u.id ORDER BY e.created_at DESC LIMIT 1),
                                                         (SELECT x.id FROM @courses x ORDER BY x.created_at DESC LIMIT 1))
                 ORDER BY (u.role = 'student') DESC, u.created_at DESC, u.id DESC LIMIT 1",
                &[],
            )
            .await?;
        Ok(found.unwrap_or_else(|| Sample { email: ctx.viewer.user.as_ref().map(|u| u.email.clone()).unwrap_or_default(), ..Sample::default() }))
    }

    /// Every field of `kind` with the sample's value (links lead to the school, never to a
    /// real login).
    fn values(kind: MailKind, locale: Locale, sample: &Sample, ctx: &RequestContext) -> Vec<(&'static str, String)> {
        let school = ctx.viewer.school.as_ref();
        let url = school.map(|s| ctx.config.school_url(&s.slug)).unwrap_or_default();
        let course = sample.course_title.clone().unwrap_or_else(|| t(locale, "email_sample_course").to_string());
        let lesson = sample.lesson_title.clone().unwrap_or_else(|| t(locale, "email_sample_lesson").to_string());
        kind.fields()
            .iter()
            .map(|field| {
                let value = match *field {
                    "first_name" => sample.first_name.clone(),
                    "last_name" => sample.last_name.clone(),
                    "school_name" => school.map(|s| s.name.clone()).unwrap_or_default(),
                    "course_title" => course.clone(),
                    "lesson_title" => lesson.clone(),
                    "login_link" => format!("{url}/login"),
                    "login_code" => "•••• ••••".into(),
                    "lessons" => format!("• {lesson}"),
                    "result" => t(locale, "email_sample_result").replace("{lesson}", &lesson),
                    "comment" => t(locale, "email_sample_comment").into(),
                    // A sample price, written as each language writes one.
                    "amount" => t(locale, "email_sample_amount").into(),
                    "lesson_link" => format!("{url}/courses"),
                    "offer_name" => t(locale, "email_sample_offer").into(),
                    "order_number" => "3f9a1c07".into(),
                    "certificate_link" => format!("{url}/account"),
                    _ => String::new(),
                };
                (*field, value)
            })
            .collect()
    }

    pub async fn editor(ctx: &RequestContext, school_id: i64, kind: &str, locale: &str, typed: Option<(String, String)>) -> Result<Editor, AppError> {
        let (Some(kind), Some(locale)) = (MailKind::parse(kind), Locale::parse(locale)) else { return Err(AppError::NotFound) };
        let db = crate::kernel::request::db()?;
        let sdb = SchoolDb::new(&db, school_id);
        let saved = crate::features::emails::server::load(&sdb, kind).await?;
        let edited = match locale {
            Locale::Fr => saved.fr.is_some(),
            Locale::En => saved.en.is_some(),
        };
        let (subject, body) = match typed {
            Some(t) => t,
            None => {
                let (s, b) = saved.text(kind, locale);
                (s.to_string(), b.to_string())
            }
        };
        let sample = sample(&sdb, ctx).await?;
        let preview = check(kind, &subject, &body).is_ok().then(|| {
            let mut texts = SchoolTexts::default();
            texts.set(locale, subject.clone(), body.clone());
            let email = Letter { kind, texts: &texts, values: values(kind, locale, &sample, ctx), footer: None }.compose(locale, &sample.email, "preview");
            (email.subject, email.html)
        });
        let sample_name = format!("{} {}", sample.first_name, sample.last_name).trim().to_string();
        Ok(Editor { kind: kind.code().into(), locale: locale.code().into(), subject, body, edited, sample_name, sample_email: sample.email, preview })
    }

    pub async fn save(kind: &str, locale: &str, subject: String, body: String, action: &str) -> Result<(), AppError> {
        // Browsers post a text box's line breaks as CRLF: stored as LF.
        let body = body.replace("\r\n", "\n");
        let (ctx, school_id) = owner()?;
        let (Some(kind), Some(locale)) = (MailKind::parse(kind), Locale::parse(locale)) else { return Err(AppError::BadRequest("kind".into())) };
        let page = page(kind, locale);
        let db = crate::kernel::request::db()?;
        let sdb = SchoolDb::new(&db, school_id);
        if action == "reset" {
            sdb.run("DELETE FROM @email_templates WHERE kind = ?2 AND locale = ?3", &[text(kind.code()), text(locale.code())]).await?;
            redirect(&format!("{page}&ok=email_reset_done"));
            return Ok(());
        }
        // What was typed comes back with any answer but a save.
        let typed = |page: String| format!("{page}&subject={}&body={}", encode(&subject), encode(&body));
        if let Err(refused) = check(kind, &subject, &body) {
            let (key, fields) = match refused {
                TextError::SubjectRequired => ("email_subject_required", String::new()),
                TextError::BodyRequired => ("email_body_required", String::new()),
                TextError::TooLong => ("email_text_too_long", String::new()),
                TextError::UnknownFields(names) => ("email_unknown_fields", names.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(", ")),
            };
            let url = with_error(&format!("/admin/settings/emails/{}", kind.code()), key, &[("lang", locale.code()), ("fields", &fields), ("subject", &subject), ("body", &body)]);
            redirect(&url);
            return Ok(());
        }
        match action {
            "preview" => redirect(&format!("{}#preview", typed(format!("{page}&preview=1")))),
            "test" => {
                let to = ctx.viewer.user.as_ref().map(|u| u.email.clone()).ok_or(AppError::LoginRequired)?;
                let sample = sample(&sdb, &ctx).await?;
                let mut texts = SchoolTexts::default();
                texts.set(locale, subject.clone(), body.clone());
                let mut email = Letter { kind, texts: &texts, values: values(kind, locale, &sample, &ctx), footer: None }.compose(locale, &to, "email_test");
                email.subject = format!("[{}] {}", t(ctx.viewer.locale, "email_test_prefix"), email.subject);
                crate::kernel::db::batch(&db, vec![crate::kernel::mail::enqueue(&db, Some(school_id), &email, ctx.now_ms)?]).await?;
                redirect(&typed(format!("{page}&ok=email_test_sent")));
            }
            _ => {
                sdb.run(
                    "INSERT INTO @email_templates (kind, locale, subject, body, updated_at) VALUES (?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (school_id, kind, locale) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at",
                    &[text(kind.code()), text(locale.code()), text(subject.trim()), text(&body), int(ctx.now_ms)],
                )
                .await?;
                redirect(&format!("{page}&ok=saved"));
            }
        }
        Ok(())
    }
}
