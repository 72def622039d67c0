//! The demo school (`/_dev/seed`, dev only): school `demo`, creator `creator@demo.test`, a
//! published course `welcome` with three lessons and a draft and a free offer (the first is a trial lesson,
//! with an embed URL), and `student@demo.test` enrolled. Idempotent: rows are created once; each run emails both a fresh login.

use app::kernel::viewer::SchoolInfo;
use app::kernel::email::Email;
use app::features::lessons::demo::LESSONS;
use app::kernel::error::AppError;
use app::kernel::i18n::Locale;
use app::kernel::config::Config;
use app::kernel::db::{batch, first, int, stmt, text};
use app::features::login::server::{issue, Purpose, SchoolRef};
use app::kernel::request::RequestContext;
use worker::Env;

pub const DEMO_SLUG: &str = "demo";
pub const CREATOR: &str = "creator@demo.test";
pub const STUDENT: &str = "student@demo.test";

/// The demo's quiz, in the editor's format (`tasks::rules::parse_questions`).
const DEMO_QUIZ: &str = "Q: Comment un élève se connecte-t-il ? | 2\n- Avec un mot de passe\n* Avec un code ou un lien reçu par e-mail\n\nQ+: Que peut contenir une leçon ?\n* Une vidéo\n* Un quiz\n- Un virus\n";

/// The stand-in's shared webhook signing secret (`tests/stripe/standin.mjs`).
const DEMO_WEBHOOK_SECRET: &str = "whsec_atelier_standin_0123456789abcdef";

pub async fn run(env: &Env, config: &Config) -> Result<String, AppError> {
    let db = env.d1("DB")?;
    let now = worker::Date::now().as_millis() as i64;
    let mut statements = vec![
        stmt(&db, "INSERT INTO schools (slug, name, default_locale, status, created_at) VALUES (?1, 'Atelier Démo', 'fr', 'active', ?2) ON CONFLICT (slug) DO UPDATE SET status = 'active'", &[text(DEMO_SLUG), int(now)])?,
        stmt(&db, "INSERT INTO users (school_id, email, display_name, role, created_at) SELECT id, ?2, 'Camille (créatrice)', 'owner', ?3 FROM schools WHERE slug = ?1 ON CONFLICT (school_id, email) DO NOTHING", &[text(DEMO_SLUG), text(CREATOR), int(now)])?,
        stmt(&db, "INSERT INTO users (school_id, email, display_name, role, created_at) SELECT id, ?2, 'Sam (élève)', 'student', ?3 FROM schools WHERE slug = ?1 ON CONFLICT (school_id, email) DO NOTHING", &[text(DEMO_SLUG), text(STUDENT), int(now)])?,
        stmt(
            &db,
            "INSERT INTO courses (school_id, slug, title, description, status, created_at, updated_at)
             SELECT id, 'welcome', 'Bienvenue chez Atelier', 'Un cours de démonstration en trois leçons.', 'published', ?2, ?2 FROM schools
             WHERE slug = ?1 AND NOT EXISTS (SELECT 1 FROM courses c WHERE c.school_id = schools.id AND c.slug = 'welcome' AND c.deleted_at IS NULL)",
            &[text(DEMO_SLUG), int(now)],
        )?,
    ];
    for (position, (title, status, md, html, open_rule, open_days)) in LESSONS.iter().enumerate() {
        let open_at = open_days.map(|_| text("09:00")).unwrap_or(wasm_bindgen::JsValue::NULL);
        statements.push(stmt(
            &db,
            "INSERT INTO lessons (school_id, course_id, title, content_md, content_html, position, status, created_at, updated_at, open_rule, open_days, open_at)
             SELECT c.school_id, c.id, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10 FROM courses c JOIN schools s ON s.id = c.school_id
             WHERE s.slug = ?1 AND c.slug = 'welcome' AND c.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.course_id = c.id AND l.title = ?2)",
            &[text(DEMO_SLUG), text(title), text(md), text(html), int(position as i64 + 1), text(status), int(now), text(open_rule), app::kernel::db::opt_int(*open_days), open_at],
        )?);
    }
    statements.push(stmt(
        &db,
        "INSERT INTO enrollments (school_id, user_id, course_id, access_start, status, created_at, next_notice_at, last_notice_at)
         SELECT s.id, u.id, c.id, ?3, 'active', ?3, ?3, ?3 FROM schools s JOIN users u ON u.school_id = s.id AND u.email = ?2
           JOIN courses c ON c.school_id = s.id AND c.slug = 'welcome' AND c.deleted_at IS NULL
         WHERE s.slug = ?1 ON CONFLICT (user_id, course_id) DO NOTHING",
        &[text(DEMO_SLUG), text(STUDENT), int(now)],
    )?);
    // A free offer, so visitors can join from the course page (made once).
    statements.push(stmt(
        &db,
        "INSERT INTO offers (school_id, course_id, name, summary, access_kind, access_days, position, created_at, updated_at)
         SELECT c.school_id, c.id, 'Découverte', 'Les trois leçons et leur quiz, à votre rythme.', 'days', 90, 1, ?2, ?2
         FROM courses c JOIN schools s ON s.id = c.school_id WHERE s.slug = ?1 AND c.slug = 'welcome' AND c.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.course_id = c.id)",
        &[text(DEMO_SLUG), int(now)],
    )?);
    // A paid offer too, sold through the demo school's test account on the local Stripe
    // stand-in (`cargo xtask dev` starts it; its webhook secret is the stand-in's).
    statements.push(stmt(
        &db,
        "INSERT INTO offers (school_id, course_id, name, summary, price_minor, currency, access_kind, position, created_at, updated_at)
         SELECT c.school_id, c.id, 'Complet', 'Les leçons, le quiz et l’accès à vie.', 4900, 'EUR', 'forever', 2, ?2, ?2
         FROM courses c JOIN schools s ON s.id = c.school_id WHERE s.slug = ?1 AND c.slug = 'welcome' AND c.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.course_id = c.id AND o.price_minor > 0)",
        &[text(DEMO_SLUG), int(now)],
    )?);
    // The first lesson is the course's free trial (its embed id is made once).
    statements.push(stmt(
        &db,
        "UPDATE lessons SET trial = 1, embed_id = COALESCE(embed_id, ?2)
         WHERE title = ?3 AND course_id = (SELECT c.id FROM courses c JOIN schools s ON s.id = c.school_id WHERE s.slug = ?1 AND c.slug = 'welcome' AND c.deleted_at IS NULL)",
        &[text(DEMO_SLUG), text(&app::kernel::token::new_public_id()), text(LESSONS[0].0)],
    )?);
    // The second lesson ends with a short quiz (Admin → the lesson → Devoir, quiz ou sondage).
    let quiz = app::features::tasks::rules::parse_questions(DEMO_QUIZ, app::features::tasks::rules::TaskKind::Quiz).map_err(|_| AppError::Internal)?;
    statements.push(stmt(
        &db,
        "INSERT INTO lesson_tasks (lesson_id, school_id, kind, prompt, pass_percent, max_attempts, questions_json, updated_at)
         SELECT l.id, l.school_id, 'quiz', 'Vérifiez ce que vous avez retenu.', 50, 3, ?3, ?4 FROM lessons l JOIN courses c ON c.id = l.course_id JOIN schools s ON s.id = c.school_id
         WHERE s.slug = ?1 AND c.slug = 'welcome' AND c.deleted_at IS NULL AND l.title = ?2
         ON CONFLICT (lesson_id) DO NOTHING",
        &[text(DEMO_SLUG), text(LESSONS[1].0), text(&serde_json::to_string(&quiz).map_err(|_| AppError::Internal)?), int(now)],
    )?);
    batch(&db, statements).await?;

    let school: serde_json::Value = first(&db, "SELECT id, name FROM schools WHERE slug = ?1", &[text(DEMO_SLUG)]).await?.ok_or(AppError::Internal)?;
    let school_id = school["id"].as_i64().ok_or(AppError::Internal)?;
    let name = school["name"].as_str().unwrap_or("").to_string();
    let school_info = SchoolInfo { id: school_id, slug: DEMO_SLUG.into(), name: name.clone(), time_zone: "Europe/Paris".into(), logo_url: None, brand_color: None, header_color: None };
    let ctx = RequestContext::for_system(config, now, school_info, Locale::Fr, "seed");
    let sdb = app::kernel::db::SchoolDb::new(&db, school_id);
    let mut mails = vec![];
    for address in [CREATOR, STUDENT] {
        let user: serde_json::Value = sdb.first("SELECT id FROM @users WHERE email = ?2", &[text(address)]).await?.ok_or(AppError::Internal)?;
        let email = Email::parse(address).map_err(|_| AppError::Internal)?;
        let school = SchoolRef { id: school_id, slug: DEMO_SLUG, name: &name };
        mails.extend(issue(&db, &ctx, &school, user["id"].as_i64(), &email, Locale::Fr, Purpose::Login, false)?.0);
    }
    batch(&db, mails).await?;
    if config.payments_key.is_some() {
        app::features::payments::server::connect(&sdb, config, "sk_test_demo_atelier_standin", DEMO_WEBHOOK_SECRET, true, app::features::offers::rules::Currency::Eur, now).await?;
    }
    app::kernel::content_version::bump(env, &db, school_id, now).await?;
    let trial: serde_json::Value = sdb
        .first("SELECT l.embed_id FROM @lessons l JOIN @courses c ON c.id = l.course_id WHERE c.slug = 'welcome' AND l.trial = 1 AND l.embed_id IS NOT NULL", &[])
        .await?
    .unwrap_or_default();
    let embed = trial["embed_id"].as_str().map(|id| format!("{}/embed/{id}", config.school_url(DEMO_SLUG)));
    Ok(serde_json::json!({ "school": config.school_url(DEMO_SLUG), "creator": CREATOR, "student": STUDENT, "trial_embed": embed }).to_string())
}
