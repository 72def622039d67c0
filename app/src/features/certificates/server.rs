//! Certificates on the server: issuing one when a course is finished, reading one for its
//! page and its PDF, reissuing after a template change. Every statement goes through the
//! query layer (`@certificates`...).

use crate::features::certificates::rules::{finished, lines, statement, Required, Template, Values};
use crate::features::certificates::sheet::{Rgb, Sheet};
use crate::kernel::db::{batch, int, rows, text, SchoolDb};
use crate::kernel::error::AppError;
use crate::kernel::i18n::{t, Locale};
use serde::Deserialize;

/// The name a certificate carries: first and last name, else the name the student gave.
pub const STUDENT_NAME: &str = "COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.display_name)";

/// A certificate with what its page needs of its school and course.
#[derive(Debug, Clone, Deserialize)]
pub struct CertificateRow {
    pub id: String,
    pub user_id: i64,
    pub course_id: i64,
    pub student_name: String,
    pub course_title: String,
    pub title: String,
    pub body: String,
    pub signer_name: String,
    pub signer_role: String,
    pub completed_at: i64,
    pub issued_at: i64,
    pub updated_at: i64,
    pub school_name: String,
    pub default_locale: String,
    pub time_zone: String,
    pub brand_color: String,
    pub logo_url: Option<String>,
    pub course_slug: String,
    pub school_id: i64,
}

const SELECT: &str = "SELECT c.id, c.user_id, c.course_id, c.student_name, c.course_title, c.title, c.body, c.signer_name, c.signer_role,
        c.completed_at, c.issued_at, c.updated_at, s.name AS school_name, s.default_locale, s.time_zone, s.brand_color, s.logo_url, co.slug AS course_slug, s.id AS school_id
     FROM @certificates c JOIN schools s ON s.id = ?1 JOIN @courses* co ON co.id = c.course_id";

/// A certificate of this school by its public id (another school's is not found).
pub async fn find(sdb: &SchoolDb, id: &str) -> Result<Option<CertificateRow>, AppError> {
    // Ids are 32 hex digits: anything else is not looked up.
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sdb.first(&format!("{SELECT} WHERE c.id = ?2"), &[text(&id.to_ascii_lowercase())]).await
}

/// A student's certificate for a course, if issued.
pub async fn of_student(sdb: &SchoolDb, user_id: i64, course_id: i64) -> Result<Option<CertificateRow>, AppError> {
    sdb.first(&format!("{SELECT} WHERE c.user_id = ?2 AND c.course_id = ?3"), &[int(user_id), int(course_id)]).await
}

impl CertificateRow {
    /// The sheet is written in the school's language.
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.default_locale).unwrap_or_default()
    }

    pub fn date(&self, locale: Locale) -> String {
        crate::kernel::time::long_date(self.completed_at, &self.time_zone, locale)
    }

    pub fn path(&self) -> String {
        format!("/certificates/{}", self.id)
    }

    /// What the sheet shows; `school_url` makes the verification address.
    pub fn sheet(&self, school_url: &str) -> Sheet {
        let locale = self.locale();
        let values = Values { student_name: self.student_name.clone(), course_title: self.course_title.clone(), date: self.date(locale), school_name: self.school_name.clone() };
        Sheet {
            school_name: self.school_name.clone(),
            has_logo: self.logo_url.is_some(),
            title: crate::features::certificates::rules::fill(&self.title, &values),
            lines: lines(&self.body, &values),
            date: values.date.clone(),
            date_label: t(locale, "certificate_date_label").to_string(),
            signer_name: self.signer_name.clone(),
            signer_role: self.signer_role.clone(),
            verify: t(locale, "certificate_verify_at").replace("{url}", &format!("{school_url}{}", self.path())),
            color: Rgb::parse(&self.brand_color).unwrap_or(crate::features::certificates::sheet::INK),
        }
    }

    /// "This certificate was issued to … for … on …", in the viewer's language.
    pub fn statement(&self, locale: Locale) -> String {
        statement(locale, &self.student_name, &self.course_title, &self.date(locale))
    }
}

/// A student who gives their name: their certificates issued without one take it (a
/// name given later is the creator's to put on, by a reissue).
pub fn name_unnamed(sdb: &SchoolDb, user_id: i64, name: &str) -> Result<worker::D1PreparedStatement, AppError> {
    sdb.stmt("UPDATE @certificates SET student_name = ?3 WHERE user_id = ?2 AND student_name = ''", &[int(user_id), text(name)])
}

/// A course's template as saved, or the default in the school's language.
pub async fn template(sdb: &SchoolDb, course_id: i64, school_locale: Locale) -> Result<Template, AppError> {
    #[derive(Deserialize)]
    struct Row {
        enabled: i64,
        title: String,
        body: String,
        signer_name: String,
        signer_role: String,
    }
    let row: Option<Row> = sdb.first("SELECT enabled, title, body, signer_name, signer_role FROM @certificate_templates WHERE course_id = ?2", &[int(course_id)]).await?;
    Ok(match row {
        Some(r) => Template { enabled: r.enabled != 0, title: r.title, body: r.body, signer_name: r.signer_name, signer_role: r.signer_role },
        None => Template::default_for(school_locale),
    })
}

pub fn save_template(sdb: &SchoolDb, course_id: i64, t: &Template, now: i64) -> Result<worker::D1PreparedStatement, AppError> {
    sdb.stmt(
        "INSERT INTO @certificate_templates (course_id, enabled, title, body, signer_name, signer_role, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (school_id, course_id) DO UPDATE SET enabled = excluded.enabled, title = excluded.title, body = excluded.body,
           signer_name = excluded.signer_name, signer_role = excluded.signer_role, updated_at = excluded.updated_at",
        &[int(course_id), int(t.enabled as i64), text(&t.title), text(&t.body), text(&t.signer_name), text(&t.signer_role), int(now)],
    )
}

/// Everything issuing needs to know of a student in a course, read in one batch.
#[derive(Deserialize)]
struct LessonState {
    id: i64,
    checkpoint: i64,
    completed: i64,
}

#[derive(Deserialize)]
struct EnrollmentState {
    status: String,
    passed: Option<String>,
    outside: Option<String>,
}

/// Whom a certificate is told to, and in what words: read with `RECIPIENT` (on `u` the
/// student, `co` the course, `s` the school).
#[derive(Deserialize)]
struct Recipient {
    email: String,
    locale: Option<String>,
    mail_off: String,
    name: String,
    course_title: String,
    course_slug: String,
    school_name: String,
    school_slug: String,
    default_locale: String,
}

const RECIPIENT: &str = "u.email, u.locale, u.mail_off, {name} AS name, co.title AS course_title, co.slug AS course_slug,
     s.name AS school_name, s.slug AS school_slug, s.default_locale";

fn recipient_columns() -> String {
    RECIPIENT.replace("{name}", STUDENT_NAME)
}

impl Recipient {
    fn school_locale(&self) -> Locale {
        Locale::parse(&self.default_locale).unwrap_or_default()
    }
}

/// The notification and (unless the student turned them off) the email telling a student of
/// their certificate `id`, in their language: issued (in the school's words, `texts`) or
/// updated by a reissue (`None`). Both are written only if
/// the batch finds that certificate (`kernel::mail::enqueue_when`): issued by another request
/// at the same moment, it is that request's to tell.
fn tell(sdb: &SchoolDb, issuer: &Issuer<'_>, user_id: i64, who: &Recipient, id: &str, texts: Option<&crate::features::emails::rules::SchoolTexts>) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
    let updated = texts.is_none();
    let kind = crate::kernel::states::NotificationKind::Certificate;
    let exists = "SELECT 1 FROM @certificates x WHERE x.id = ?8";
    let locale = who.locale.as_deref().and_then(Locale::parse).unwrap_or(who.school_locale());
    let title = t(locale, if updated { "note_certificate_updated" } else { "note_certificate" }).replace("{course}", &who.course_title);
    let link = format!("/courses/{}/completed", who.course_slug);
    let notice = crate::features::notifications::server::Notice { kind, title: &title, body: "", link: &link };
    let mut writes = vec![crate::features::notifications::server::notify_when(sdb, user_id, &notice, issuer.now, exists, text(id))?];
    if !who.mail_off.split(',').any(|k| k == kind.as_str()) {
        let url = format!("{}/certificates/{id}", issuer.config.school_url(&who.school_slug));
        let email = match texts {
            Some(texts) => {
                let values = vec![("school_name", who.school_name.clone()), ("course_title", who.course_title.clone()), ("certificate_link", url)];
                crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Certificate, texts, values, footer: None }.compose(locale, &who.email, "certificate")
            }
            None => certificate_email(locale, &who.email, &who.school_name, &who.name, &who.course_title, &url, true),
        };
        writes.push(crate::kernel::mail::enqueue_when(sdb, &email, issuer.now, exists, text(id))?);
    }
    Ok(writes)
}

#[derive(Deserialize)]
struct Context {
    #[serde(flatten)]
    who: Recipient,
    enabled: Option<i64>,
    existing: Option<String>,
}

fn ids(list: Option<&str>) -> Vec<i64> {
    list.unwrap_or("").split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

/// What issuing needs from the request.
pub struct Issuer<'a> {
    pub now: i64,
    pub config: &'a crate::kernel::config::Config,
}

/// Issues the student's certificate for the course if they finished it (every lesson of
/// their offer done, checkpoints passed; `rules::finished`), certificates are on for the
/// course, and none was issued yet; the certificate, its notification and its email are
/// one batch, and the notification and email are written only if this request's
/// certificate was (two requests finishing the course at once issue one, told once).
/// Two round trips: the reads, then the writes (only when something is issued).
pub async fn issue_if_finished(sdb: &SchoolDb, issuer: &Issuer<'_>, user_id: i64, course_id: i64) -> Result<Outcome, AppError> {
    let db = sdb.d1();
    let reads = vec![
        sdb.stmt(
            "SELECT l.id, l.checkpoint, EXISTS (SELECT 1 FROM @completions cp WHERE cp.user_id = ?2 AND cp.lesson_id = l.id) AS completed
             FROM @lessons l WHERE l.course_id = ?3 AND l.status = 'published'",
            &[int(user_id), int(course_id)],
        )?,
        sdb.stmt(&format!("SELECT e.status, {} FROM @enrollments e WHERE e.user_id = ?2 AND e.course_id = ?3", crate::kernel::db::student_drip_columns()), &[int(user_id), int(course_id)])?,
        sdb.stmt(
            &format!(
                "SELECT {}, t.enabled, (SELECT x.id FROM @certificates x WHERE x.user_id = u.id AND x.course_id = co.id) AS existing
                 FROM @users u JOIN @courses co ON co.id = ?3 JOIN schools s ON s.id = ?1 LEFT JOIN @certificate_templates t ON t.course_id = co.id
                 WHERE u.id = ?2",
                recipient_columns()
            ),
            &[int(user_id), int(course_id)],
        )?,
        crate::features::emails::server::read(sdb, crate::features::emails::rules::MailKind::Certificate)?,
    ];
    let results = batch(db, reads).await?;
    let lessons: Vec<LessonState> = rows(&results[0])?;
    let Some(enrollment) = rows::<EnrollmentState>(&results[1])?.into_iter().next() else { return Ok(Outcome::NotFinished) };
    let Some(c) = rows::<Context>(&results[2])?.into_iter().next() else { return Ok(Outcome::NotFinished) };
    if let Some(id) = c.existing {
        return Ok(Outcome::Certificate(id));
    }
    let required: Vec<Required> = lessons.iter().map(|l| Required { lesson_id: l.id, completed: l.completed != 0, checkpoint: l.checkpoint != 0 }).collect();
    let done = finished(&required, &ids(enrollment.outside.as_deref()), &ids(enrollment.passed.as_deref()));
    if !done || enrollment.status != "active" {
        return Ok(Outcome::NotFinished);
    }
    if c.enabled == Some(0) {
        return Ok(Outcome::NoCertificate);
    }
    let id = crate::kernel::token::new_public_id();
    let default = Template::default_for(c.who.school_locale());
    let mut writes = vec![sdb.stmt(
        &format!(
            "INSERT INTO @certificates (id, user_id, course_id, student_name, course_title, title, body, signer_name, signer_role, completed_at, issued_at, updated_at)
             SELECT ?2, u.id, co.id, {STUDENT_NAME}, co.title, COALESCE(t.title, ?5), COALESCE(t.body, ?6), COALESCE(t.signer_name, ''), COALESCE(t.signer_role, ''), ?7, ?7, ?7
             FROM @users u JOIN @courses co ON co.id = ?4 LEFT JOIN @certificate_templates t ON t.course_id = co.id
             WHERE u.id = ?3 AND COALESCE(t.enabled, 1) = 1
             ON CONFLICT (school_id, user_id, course_id) DO NOTHING"
        ),
        &[text(&id), int(user_id), int(course_id), text(&default.title), text(&default.body), int(issuer.now)],
    )?];
    // In the student's history, with the course.
    writes.push(sdb.stmt(
        "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) SELECT NULL, x.user_id, 'certificate_issued', ?3, 'student', ?4 FROM @certificates x WHERE x.id = ?2",
        &[text(&id), text(&serde_json::json!({"course": c.who.course_title}).to_string()), int(issuer.now)],
    )?);
    // Told in the student's language, only if this certificate is the one written.
    let texts = crate::features::emails::server::from_result(&results[3])?;
    writes.extend(tell(sdb, issuer, user_id, &c.who, &id, Some(&texts))?);
    sdb.batch(writes).await?;
    // Another request may have issued it first: the student's certificate is that one.
    let issued = sdb.first::<serde_json::Value>("SELECT id FROM @certificates WHERE user_id = ?2 AND course_id = ?3", &[int(user_id), int(course_id)]).await?;
    Ok(issued.and_then(|r| r["id"].as_str().map(str::to_string)).map_or(Outcome::NoCertificate, Outcome::Certificate))
}

/// Where a student stands with a course's end (`issue_if_finished`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    NotFinished,
    /// Finished; the course gives no certificate.
    NoCertificate,
    /// Finished, with this certificate (issued now or before).
    Certificate(String),
}

/// The email of a certificate issued (or updated after a reissue): the public link, which
/// needs no login.
pub fn certificate_email(locale: Locale, to: &str, school_name: &str, name: &str, course: &str, url: &str, updated: bool) -> crate::kernel::mail::Email {
    use crate::kernel::html::escape;
    let (subject_key, lead_key) = if updated { ("mail_certificate_updated_subject", "mail_certificate_updated_lead") } else { ("mail_certificate_subject", "mail_certificate_lead") };
    let subject = t(locale, subject_key).replace("{course}", course);
    let greeting = if name.is_empty() { t(locale, "mail_hello").to_string() } else { t(locale, "mail_hello_name").replace("{name}", name) };
    let lead = t(locale, lead_key).replace("{course}", course).replace("{school}", school_name);
    let button = t(locale, "certificate_view");
    let text_body = format!("{greeting}\n\n{lead}\n\n{button} : {url}\n\n— {school_name}");
    let html = format!(
        "<p>{}</p><p>{}</p><p><a href=\"{}\" style=\"display:inline-block;padding:.6rem 1rem;background:#1f232b;color:#fff;border-radius:.4rem;text-decoration:none\">{}</a></p><p>— {}</p>",
        escape(&greeting),
        escape(&lead),
        escape(url),
        escape(button),
        escape(school_name)
    );
    crate::kernel::mail::Email { to: to.to_string(), subject: subject.clone(), text: text_body, html: crate::kernel::mail::document(locale, &subject, &html), kind: "certificate", login_request_id: None }
}

/// Which certificates a reissue takes: one, or every certificate of a course (optionally
/// only some students').
pub enum Reissue<'a> {
    One(&'a str),
    Course { course_id: i64, user_ids: Option<&'a [i64]> },
}

/// Rewrites certificates from their course's template as it is now, and the names as they
/// are now; the id (the verification address) stays. With `tell`, each student gets a
/// notification and an email in their language; `actor`: the team member, in each
/// student's history. Returns how many were reissued.
pub async fn reissue(sdb: &SchoolDb, issuer: &Issuer<'_>, which: Reissue<'_>, tell: bool, actor: Option<i64>) -> Result<usize, AppError> {
    let (filter, args) = match &which {
        Reissue::One(id) => ("c.id = ?2", vec![text(id)]),
        Reissue::Course { course_id, user_ids: None } => ("c.course_id = ?2", vec![int(*course_id)]),
        Reissue::Course { course_id, user_ids: Some(users) } => (
            "c.course_id = ?2 AND c.user_id IN (SELECT value FROM json_each(?3))",
            vec![int(*course_id), text(&serde_json::to_string(users).map_err(|_| AppError::Internal)?)],
        ),
    };
    #[derive(Deserialize)]
    struct Target {
        id: String,
        user_id: i64,
        #[serde(flatten)]
        who: Recipient,
    }
    let targets: Vec<Target> = sdb
        .all(
            &format!(
                "SELECT c.id, c.user_id, {} FROM @certificates c JOIN @users u ON u.id = c.user_id JOIN @courses* co ON co.id = c.course_id JOIN schools s ON s.id = ?1
                 WHERE {filter}",
                recipient_columns()
            ),
            &args,
        )
        .await?;
    if targets.is_empty() {
        return Ok(0);
    }
    let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let ids_json = serde_json::to_string(&ids).map_err(|_| AppError::Internal)?;
    let default = Template::default_for(targets[0].who.school_locale());
    let mut writes = vec![sdb.stmt(
        &format!(
            "UPDATE @certificates SET
                student_name = (SELECT {STUDENT_NAME} FROM @users u WHERE u.id = certificates.user_id),
                course_title = (SELECT co.title FROM @courses* co WHERE co.id = certificates.course_id),
                title = COALESCE((SELECT t.title FROM @certificate_templates t WHERE t.course_id = certificates.course_id), ?3),
                body = COALESCE((SELECT t.body FROM @certificate_templates t WHERE t.course_id = certificates.course_id), ?4),
                signer_name = COALESCE((SELECT t.signer_name FROM @certificate_templates t WHERE t.course_id = certificates.course_id), ''),
                signer_role = COALESCE((SELECT t.signer_role FROM @certificate_templates t WHERE t.course_id = certificates.course_id), ''),
                updated_at = ?5
             WHERE id IN (SELECT value FROM json_each(?2))"
        ),
        &[text(&ids_json), text(&default.title), text(&default.body), int(issuer.now)],
    )?];
    if let Some(actor) = actor {
        writes.push(sdb.stmt(
            "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at)
             SELECT ?3, c.user_id, 'certificate_reissued', json_object('course', c.course_title, 'told', ?4), 'admin', ?5 FROM @certificates c WHERE c.id IN (SELECT value FROM json_each(?2))",
            &[text(&ids_json), int(actor), text(if tell { "yes" } else { "no" }), int(issuer.now)],
        )?);
    }
    if tell {
        for target in &targets {
            writes.extend(self::tell(sdb, issuer, target.user_id, &target.who, &target.id, None)?);
        }
    }
    sdb.batch(writes).await?;
    Ok(targets.len())
}

/// Certificates issued, with their student's email (`types::IssuedRow`): add a `WHERE`.
pub const ISSUED: &str = "SELECT c.id, c.user_id, c.student_name, u.email, c.course_title, c.completed_at, c.issued_at, c.updated_at
     FROM @certificates c JOIN @users u ON u.id = c.user_id";
