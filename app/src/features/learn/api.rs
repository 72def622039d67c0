//! The student's side: the school's home (catalogue and "my courses"), a course, a lesson,
//! marking a lesson complete. Drafts and lessons the viewer may not read never leave here.

use crate::features::learn::types::{CourseCard, CoursePage, LessonPage};
use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolHome {
    pub catalogue: Vec<CourseCard>,
    /// In progress: access open, not every lesson done.
    pub mine: Vec<CourseCard>,
    /// Access that starts later ("starts on").
    pub upcoming: Vec<CourseCard>,
    /// Every lesson done, or access ended (still listed; content rules as for any access).
    pub expired: Vec<CourseCard>,
    /// The school's welcome text (Settings → Appearance), as safe HTML; empty: none.
    pub welcome_html: String,
    /// The picture at the top of the school's home.
    pub cover_url: Option<String>,
}

crate::kernel::page_data! {
    pub async fn load_school_home() -> Result<SchoolHome, AppError> { ssr_impl::load_school_home().await }
}

crate::kernel::page_data! {
    /// `as_offer`: the owner previews the course as a new student of that offer sees it.
    pub async fn load_course(slug: String, as_offer: Option<i64>) -> Result<CoursePage, AppError> { ssr_impl::load_course(&slug, as_offer).await }
}

crate::kernel::page_data! {
    /// `start`: where the lesson's video starts (a timecode link without JavaScript: `?t=83`).
    pub async fn load_lesson(slug: String, lesson_id: i64, start: Option<u32>) -> Result<LessonPage, AppError> { ssr_impl::load_lesson(&slug, lesson_id, start.unwrap_or(0)).await }
}

crate::kernel::page_data! {
    /// `/courses/{slug}/continue`: where the student left off (emails' "continue" links).
    pub async fn continue_course(slug: String) -> Result<String, AppError> { ssr_impl::continue_target(&slug).await }
}

#[server(endpoint = "mark_complete")]
pub async fn mark_complete(slug: String, lesson_id: i64) -> Result<(), AppError> {
    send(async move { ssr_impl::mark_complete(&slug, lesson_id).await }).await
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::learn::types::LessonLink;
    use crate::kernel::access::{progress_percent, student_lesson_access, EnrollmentWindow, Role, Status};
    use crate::features::drip::rows::{CourseSchedule, EnrollmentSchedule};
    use crate::features::drip::rules::{availability, Availability, LessonRules, Locked, RuleColumns};
    use crate::kernel::states::{EnrollmentStatus, ProgramLayout};
    use crate::kernel::db::{batch, int, rows, text};
    use crate::features::offers::levels::{first_offer_with, upgrade_price, LessonRef, Level, Tier};
    use crate::features::offers::rules::OfferStatus;
    use crate::features::offers::server::OfferRow;
    use crate::kernel::request::db;

    #[derive(Deserialize)]
    struct CardRow {
        id: i64,
        slug: String,
        title: String,
        description: String,
        cover_url: String,
        #[serde(flatten)]
        schedule: CourseSchedule,
        /// `None`: not enrolled (the LEFT JOIN found nothing).
        #[serde(flatten)]
        enrollment: Option<EnrollmentSchedule>,
        last_lesson_id: Option<i64>,
        /// Their certificate of the course, if issued.
        certificate: Option<String>,
    }

    #[derive(Deserialize)]
    struct CardLesson {
        id: i64,
        course_id: i64,
        title: String,
        /// The rule columns as JSON (`LESSON_RULES_JSON`).
        rules: String,
        completed: i64,
    }

    /// The dashboard: each enrolled course with its progress over *released* lessons (the
    /// same drip engine as the course page), expired courses apart, the rest as catalogue.
    pub async fn load_school_home() -> Result<SchoolHome, AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let db = crate::kernel::request::school_db(school.id)?;
        let user_id = ctx.viewer.user.as_ref().map(|u| u.id).unwrap_or(0);
        let results = db
            .batch(vec![
                db.stmt(
                    "SELECT c.id, c.slug, c.title, c.description, c.cover_url, c.access_mode, c.cohort_start, c.access_days,
                        e.access_start, e.access_end, e.shift_days, e.release_all, e.last_lesson_id,
                        (SELECT group_concat(x.lesson_id) FROM @lesson_unlocks x WHERE x.enrollment_id = e.id) AS unlocked, {drip},
                        (SELECT x.id FROM @certificates x WHERE x.user_id = ?2 AND x.course_id = c.id) AS certificate
                     FROM @courses c
                     LEFT JOIN @enrollments e ON e.course_id = c.id AND e.user_id = ?2 AND e.status = 'active'
                     WHERE c.status = 'published'
                     ORDER BY c.created_at"
                        .replace("{drip}", &crate::kernel::db::student_drip_columns())
                        .as_str(),
                    &[int(user_id)],
                )?,
                db.stmt(
                    &format!(
                        "SELECT l.id, l.course_id, l.title, {},
                            EXISTS (SELECT 1 FROM @completions cp WHERE cp.user_id = ?2 AND cp.lesson_id = l.id) AS completed
                         FROM @lessons l JOIN @enrollments e ON e.course_id = l.course_id AND e.user_id = ?2 AND e.status = 'active'
                         WHERE l.status = 'published'
                         ORDER BY l.course_id, l.position, l.id",
                        crate::kernel::db::LESSON_RULES_JSON
                    ),
                    &[int(user_id)],
                )?,
                db.stmt("SELECT welcome_html, cover_url FROM schools WHERE id = ?1", &[])?,
            ])
            .await?;
        let (rows, lessons) = (crate::kernel::db::rows::<CardRow>(&results[0])?, crate::kernel::db::rows::<CardLesson>(&results[1])?);
        let look = crate::kernel::db::rows::<serde_json::Value>(&results[2])?.into_iter().next().unwrap_or_default();
        let welcome_html = look["welcome_html"].as_str().unwrap_or("").to_string();
        let cover_url = look["cover_url"].as_str().map(str::to_string);
        let now = ctx.now_ms;
        let mut home = SchoolHome { catalogue: vec![], mine: vec![], upcoming: vec![], expired: vec![], welcome_html, cover_url };
        for r in rows {
            let end = r.enrollment.as_ref().and_then(|e| e.access_end(&r.schedule));
            let starts = r.enrollment.as_ref().map(|e| e.access_start).filter(|s| *s > now);
            let enrolled_now = r.enrollment.is_some() && starts.is_none() && end.is_none_or(|e| e > now);
            let expired = r.enrollment.is_some() && end.is_some_and(|e| e <= now);
            let course_lessons: Vec<&CardLesson> = lessons.iter().filter(|l| l.course_id == r.id).collect();
            let (released, completed, next_lesson) = match &r.enrollment {
                Some(enrollment) => {
                    let rules: Vec<LessonRules> = course_lessons
                        .iter()
                        .map(|l| RuleColumns::from_json(&l.rules).rules(l.id))
                        .collect();
                    let student = enrollment.student(&r.schedule);
                    let done: Vec<i64> = course_lessons.iter().filter(|l| l.completed != 0).map(|l| l.id).collect();
                    let states = availability(&rules, r.schedule.mode(), &student, &done, now, ctx.viewer.time_zone());
                    // Where "continue" leads, by the same rule as the course page.
                    let program: Vec<LessonLink> = course_lessons
                        .iter()
                        .zip(&states)
                        .map(|(l, a)| LessonLink {
                            id: l.id,
                            title: l.title.clone(),
                            status: Status::Published,
                            completed: l.completed != 0,
                            locked: !a.is_open() || !enrolled_now,
                            trial: false,
                            note: None,
                            module: String::new(),
                            duration_minutes: None,
                        })
                        .collect();
                    let next = crate::features::learn::rules::continue_at(&program, r.last_lesson_id).map(|l| crate::features::learn::types::ContinueLink {
                        href: format!("/courses/{}/lessons/{}", r.slug, l.id),
                        title: l.title.clone(),
                        started: r.last_lesson_id.is_some(),
                    });
                    (crate::features::drip::rules::released_count(&states, &rules, &done), done.len(), next)
                }
                None => (0, 0, None),
            };
            // Finished (as certificates count it): the course moves to "completed".
            let finished = r.enrollment.as_ref().is_some_and(|e| {
                let ids = |list: &Option<String>| -> Vec<i64> { list.as_deref().unwrap_or("").split(',').filter_map(|s| s.trim().parse().ok()).collect() };
                let required: Vec<crate::features::certificates::rules::Required> = course_lessons
                    .iter()
                    .map(|l| crate::features::certificates::rules::Required { lesson_id: l.id, completed: l.completed != 0, checkpoint: RuleColumns::from_json(&l.rules).checkpoint.unwrap_or(0) != 0 })
                    .collect();
                crate::features::certificates::rules::finished(&required, &ids(&e.outside), &ids(&e.passed))
            });
            let card = CourseCard {
                slug: r.slug,
                title: r.title,
                description: r.description,
                cover_url: r.cover_url,
                released_lessons: released as i64,
                completed_lessons: completed as i64,
                access_end: end,
                access_start: starts,
                next_lesson: next_lesson.filter(|_| enrolled_now && !finished),
                certificate: r.certificate,
            };
            if enrolled_now && !finished {
                home.mine.push(card);
            } else if starts.is_some() && !expired {
                home.upcoming.push(card);
            } else if expired || (enrolled_now && finished) {
                home.expired.push(card);
            } else {
                home.catalogue.push(card);
            }
        }
        Ok(home)
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct CourseRow {
        pub(crate) id: i64,
        slug: String,
        title: String,
        description: String,
        cover_url: String,
        author_name: String,
        author_bio: String,
        banner_html: String,
        status: String,
        #[serde(flatten)]
        schedule: CourseSchedule,
        program_layout: ProgramLayout,
        show_durations: i64,
    }
    #[derive(Debug, Clone, Deserialize)]
    pub struct LessonRow {
        id: i64,
        title: String,
        status: String,
        trial: i64,
        completed: i64,
        module: String,
        duration_minutes: Option<i64>,
        /// The rule columns as JSON (`LESSON_RULES_JSON`).
        rules: String,
    }
    #[derive(Debug, Clone, Deserialize)]
    pub struct EnrollmentRow {
        status: EnrollmentStatus,
        #[serde(flatten)]
        schedule: EnrollmentSchedule,
        /// The lesson the student last opened, and where they were in its video (seconds).
        #[serde(default)]
        last_lesson_id: Option<i64>,
        #[serde(default)]
        last_position: Option<i64>,
    }
    #[derive(Deserialize)]
    struct ContentRow {
        content_html: String,
        /// JSON array of the blocks' JSON texts, in order.
        blocks: Option<String>,
    }

    /// Which course page a request is for: `/courses/{slug}` or `/courses/{slug}/lessons/{id}`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PageKey {
        pub slug: String,
        pub lesson_id: Option<i64>,
    }

    impl PageKey {
        pub fn from_path(path: &str) -> Option<PageKey> {
            let rest = path.strip_prefix("/courses/")?;
            let mut parts = rest.split('/');
            let slug = parts.next().filter(|s| !s.is_empty())?.to_string();
            match (parts.next(), parts.next(), parts.next()) {
                (None, _, _) => Some(PageKey { slug, lesson_id: None }),
                (Some("lessons"), Some(id), None) => Some(PageKey { slug, lesson_id: Some(id.parse().ok()?) }),
                _ => None,
            }
        }
    }

    /// A course or lesson page's reads, made in the viewer's batch (`kernel::request`).
    pub struct PagePrefetch(pub PageKey);

    impl crate::kernel::request::Prefetch for PagePrefetch {
        fn statements(&self, db: &worker::D1Database, on: &crate::kernel::request::PrefetchScope) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
            statements(db, &Scope::Lookup { school_slug: on.school_slug, session_id: on.session_id }, &self.0)
        }
        fn decode(&self, results: &[worker::D1Result]) -> Result<crate::kernel::request::Prefetched, AppError> {
            Ok(crate::kernel::request::Prefetched::new((self.0.clone(), decode(&self.0, results)?)))
        }
        fn for_session_user(&self) -> bool {
            true
        }
    }

    /// How the page's queries find the school and the student: by ids once the viewer is
    /// known, or by subdomain and session id when they run in the viewer's own batch.
    pub enum Scope<'a> {
        Ids { school_id: i64, user_id: i64 },
        Lookup { school_slug: &'a str, session_id: &'a str },
    }

    /// A lesson's task as stored (`lesson_tasks`).
    #[derive(Debug, Clone, Deserialize)]
    pub struct TaskRow {
        pub kind: String,
        pub prompt: String,
        pub answer_kind: String,
        pub review_required: i64,
        pub pass_percent: i64,
        pub max_attempts: i64,
        pub questions_json: String,
        pub checkpoint: i64,
    }

    /// One of the viewer's answers to the lesson's task.
    #[derive(Debug, Clone, Deserialize)]
    pub struct SubmissionRow {
        pub id: i64,
        pub attempt: i64,
        pub status: crate::kernel::states::SubmissionStatus,
        pub answer_text: String,
        pub answer_link: String,
        pub answers_json: String,
        pub score: Option<i64>,
        pub max_score: Option<i64>,
        pub comment: String,
        pub created_at: i64,
    }

    /// Everything a course or lesson page reads. Enrollment and completions are only ever
    /// used once the session they were read for has been verified.
    #[derive(Debug, Clone)]
    pub struct CourseData {
        course: Option<CourseRow>,
        lessons: Vec<LessonRow>,
        enrollment: Option<EnrollmentRow>,
        /// The lesson's HTML and its blocks (JSON).
        content: Option<(String, String)>,
        task: Option<TaskRow>,
        /// The viewer's answers to the lesson's task, latest first.
        submissions: Vec<SubmissionRow>,
        /// A lesson page's files to download.
        files: Vec<FileRow>,
        /// The course's open offers (course page only).
        offers: Vec<crate::features::offers::server::OfferRow>,
    }

    pub fn statements(db: &worker::D1Database, scope: &Scope, key: &PageKey) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
        // ?1 the school, ?2 the course's slug, ?3 the student (or the lesson).
        let (sdb, user_expr, user_arg) = match scope {
            Scope::Ids { school_id, user_id } => (crate::kernel::db::SchoolDb::new(db, *school_id), "?3", int(*user_id)),
            Scope::Lookup { school_slug, session_id } => (crate::kernel::db::SchoolDb::by_slug(db, school_slug), "(SELECT s.user_id FROM @sessions s WHERE s.id = ?3)", text(session_id)),
        };
        let sql = |template: &str| template.replace("{user}", user_expr).replace("{rules}", crate::kernel::db::LESSON_RULES_JSON).replace("{drip}", &crate::kernel::db::student_drip_columns());
        let slug = text(&key.slug);
        let mut statements = vec![
            sdb.stmt("SELECT id, slug, title, description, cover_url, author_name, author_bio, banner_html, status, access_mode, cohort_start, access_days, program_layout, show_durations FROM @courses WHERE slug = ?2", &[slug.clone()])?,
            sdb.stmt(
                &sql("SELECT l.id, l.title, l.status, l.trial, l.module, l.duration_minutes, {rules},
                    (SELECT COUNT(*) FROM @completions cp WHERE cp.user_id = {user} AND cp.lesson_id = l.id) AS completed
                 FROM @lessons l JOIN @courses c ON c.id = l.course_id
                 WHERE c.slug = ?2
                 ORDER BY l.position, l.id"),
                &[slug.clone(), user_arg.clone()],
            )?,
            sdb.stmt(
                &sql("SELECT e.access_start, e.access_end, e.status, e.shift_days, e.release_all, e.last_lesson_id,
                    (SELECT v.position_s FROM @video_views v WHERE v.user_id = e.user_id AND v.lesson_id = e.last_lesson_id ORDER BY v.last_at DESC LIMIT 1) AS last_position,
                    (SELECT group_concat(u.lesson_id) FROM @lesson_unlocks u WHERE u.enrollment_id = e.id) AS unlocked, {drip}
                 FROM @enrollments e JOIN @courses c ON c.id = e.course_id
                 WHERE c.slug = ?2 AND e.user_id = {user}"),
                &[slug.clone(), user_arg.clone()],
            )?,
        ];
        statements.push(sdb.stmt(&crate::features::offers::server::offers_of_course(user_expr), &[slug.clone(), user_arg.clone()])?);
        match key.lesson_id {
            None => {}
            Some(id) => {
            statements.push(sdb.stmt(
                "SELECT l.content_html,
                    (SELECT json_group_array(json_array(b.block_json, b.html)) FROM (SELECT lb.block_json, lb.html FROM @lesson_blocks lb WHERE lb.lesson_id = l.id ORDER BY lb.position, lb.id) b) AS blocks
                 FROM @lessons l JOIN @courses c ON c.id = l.course_id
                 WHERE c.slug = ?2 AND l.id = ?3",
                &[slug, int(id)],
            )?);
            statements.push(sdb.stmt(
                "SELECT t.kind, t.prompt, t.answer_kind, t.review_required, t.pass_percent, t.max_attempts, t.questions_json, l.checkpoint
                 FROM @lesson_tasks t JOIN @lessons l ON l.id = t.lesson_id
                 WHERE t.lesson_id = ?2",
                &[int(id)],
            )?);
            statements.push(sdb.stmt(
                &sql("SELECT id, attempt, status, answer_text, answer_link, answers_json, score, max_score, comment, created_at FROM @submissions
                 WHERE lesson_id = ?2 AND user_id = {user} ORDER BY attempt DESC LIMIT 50"),
                &[int(id), user_arg.clone()],
            )?);
            // The lesson's files, and the viewer's own files in answers (sent or still drafts).
            statements.push(sdb.stmt(
                &sql("SELECT f.id, f.name, f.size, f.use, f.submission_id FROM @files f
                 WHERE f.lesson_id = ?2 AND (f.use = 'lesson_file' OR (f.use = 'answer' AND f.owner_id = {user}))
                 ORDER BY f.created_at, f.id"),
                &[int(id), user_arg.clone()],
            )?);
            }
        }
        Ok(statements)
    }

    /// The statements' results, in `statements`' order: the fourth is the offers, then a
    /// lesson page's content, task and answers.
    pub fn decode(key: &PageKey, results: &[worker::D1Result]) -> Result<CourseData, AppError> {
        let get = |i: usize| results.get(i).ok_or(AppError::Internal);
        let lesson = |i: usize| if key.lesson_id.is_some() { results.get(i + 1) } else { None };
        Ok(CourseData {
            course: rows::<CourseRow>(get(0)?)?.into_iter().next(),
            lessons: rows::<LessonRow>(get(1)?)?,
            enrollment: rows::<EnrollmentRow>(get(2)?)?.into_iter().next(),
            offers: rows(get(3)?)?,
            content: match lesson(3) {
                Some(r) => rows::<ContentRow>(r)?.into_iter().next().map(|c| (c.content_html, c.blocks.unwrap_or_default())),
                None => None,
            },
            task: match lesson(4) {
                Some(r) => rows::<TaskRow>(r)?.into_iter().next(),
                None => None,
            },
            submissions: match lesson(5) {
                Some(r) => rows::<SubmissionRow>(r)?,
                None => vec![],
            },
            files: match lesson(6) {
                Some(r) => rows::<FileRow>(r)?,
                None => vec![],
            },
        })
    }

    pub(crate) struct Bundle {
        pub(crate) course: CourseRow,
        lessons: Vec<LessonRow>,
        enrollment: Option<EnrollmentRow>,
        content: Option<(String, String)>,
        pub(crate) task: Option<TaskRow>,
        pub(crate) submissions: Vec<SubmissionRow>,
        offers: Vec<crate::features::offers::server::OfferRow>,
        files: Vec<FileRow>,
        pub(crate) preview: bool,
    }

    /// A file of the lesson (`files`).
    #[derive(Debug, Clone, Deserialize)]
    pub struct FileRow {
        id: String,
        name: String,
        size: i64,
        #[serde(rename = "use")]
        use_: String,
        /// An answer's file: the answer it was sent with (`None`: a draft).
        submission_id: Option<i64>,
    }

    impl Bundle {
        /// How many files the viewer attached for their next answer.
        pub(crate) fn answer_drafts(&self) -> usize {
            self.files.iter().filter(|f| f.use_ == "answer" && f.submission_id.is_none()).count()
        }

        fn window(&self) -> Option<EnrollmentWindow> {
            self.enrollment.as_ref().map(|e| EnrollmentWindow {
                access_start: chrono::DateTime::from_timestamp_millis(e.schedule.access_start).unwrap_or_default(),
                access_end: e.schedule.access_end(&self.course.schedule).and_then(chrono::DateTime::from_timestamp_millis),
                revoked: e.status != EnrollmentStatus::Active,
            })
        }

        fn published(&self) -> Vec<&LessonRow> {
            self.lessons.iter().filter(|l| Status::parse(&l.status) == Status::Published).collect()
        }

        /// Drip: each published lesson's availability for this student now (`None` when not
        /// enrolled). A rule that does not parse opens never: the creator sees the error.
        fn drip(&self, now: i64, zone: &str) -> Option<Vec<(i64, Availability)>> {
            let e = self.enrollment.as_ref()?;
            let published = self.published();
            let rules: Vec<LessonRules> = published
                .iter()
                .map(|l| RuleColumns::from_json(&l.rules).rules(l.id))
                .collect();
            let mode = self.course.schedule.mode();
            let student = e.schedule.student(&self.course.schedule);
            let completed: Vec<i64> = published.iter().filter(|l| l.completed > 0).map(|l| l.id).collect();
            let states = availability(&rules, mode, &student, &completed, now, zone);
            Some(rules.iter().map(|r| r.lesson_id).zip(states).collect())
        }

        /// The program as this viewer sees it: each visible lesson with its state (done, open,
        /// locked with when or why), and the progress over released lessons (open now, or
        /// done), as the course page, the player and the dashboard count it.
        fn program(&self, now: i64, zone: &str, locale: crate::kernel::i18n::Locale) -> Program {
            let drip = self.drip(now, zone).unwrap_or_default();
            let state_of = |id: i64| drip.iter().find(|(l, _)| *l == id).map(|(_, a)| *a);
            let lessons: Vec<LessonLink> = self
                .lessons
                .iter()
                .filter(|l| self.preview || Status::parse(&l.status) == Status::Published)
                .map(|l| {
                    let state = state_of(l.id);
                    let trial = self.open_as_trial(l);
                    LessonLink {
                        id: l.id,
                        title: l.title.clone(),
                        status: Status::parse(&l.status),
                        completed: l.completed > 0,
                        locked: !self.preview && !trial && !state.is_some_and(|a| a.is_open()),
                        trial,
                        note: match state {
                            Some(Availability::OutsideOffer) => Some(self.outside_note(l.id, locale)),
                            state => state.and_then(|a| drip_note(a, now, zone, locale)),
                        },
                        module: l.module.clone(),
                        duration_minutes: l.duration_minutes,
                    }
                })
                .collect();
            let released: Vec<&LessonLink> = lessons.iter().filter(|l| l.status == Status::Published && (state_of(l.id).is_some_and(|a| a.is_open()) || l.completed)).collect();
            let (released, done) = (released.len(), released.iter().filter(|l| l.completed).count());
            Program { lessons, released, done }
        }

        /// Where this student goes on (`continue_at`), as a link: the lesson, and in its video
        /// where they were.
        fn continue_link(&self, program: &[LessonLink]) -> Option<crate::features::learn::types::ContinueLink> {
            let last = self.enrollment.as_ref().and_then(|e| e.last_lesson_id);
            let lesson = crate::features::learn::rules::continue_at(program, last)?;
            let at = self.enrollment.as_ref().filter(|e| e.last_lesson_id == Some(lesson.id)).and_then(|e| e.last_position).filter(|p| *p > 0);
            Some(crate::features::learn::types::ContinueLink {
                href: match at {
                    Some(t) => format!("/courses/{}/lessons/{}?t={t}#video", self.course.slug, lesson.id),
                    None => format!("/courses/{}/lessons/{}", self.course.slug, lesson.id),
                },
                title: lesson.title.clone(),
                started: last.is_some(),
            })
        }

        /// Has this student finished the course (`certificates::rules::finished`), counting
        /// `also_done` as done (the lesson a request is completing) and, with `passed`, its
        /// answer as approved (a quiz passed, an assignment accepted)?
        pub(crate) fn finished(&self, also_done: Option<i64>, passed: bool) -> bool {
            let Some(e) = self.enrollment.as_ref().filter(|e| e.status == EnrollmentStatus::Active) else { return false };
            let ids = |list: &Option<String>| -> Vec<i64> { list.as_deref().unwrap_or("").split(',').filter_map(|s| s.trim().parse().ok()).collect() };
            let required: Vec<crate::features::certificates::rules::Required> = self
                .published()
                .into_iter()
                .map(|l| crate::features::certificates::rules::Required {
                    lesson_id: l.id,
                    completed: l.completed > 0 || also_done == Some(l.id),
                    checkpoint: RuleColumns::from_json(&l.rules).checkpoint.unwrap_or(0) != 0,
                })
                .collect();
            let mut approved = ids(&e.schedule.passed);
            approved.extend(also_done.filter(|_| passed));
            crate::features::certificates::rules::finished(&required, &ids(&e.schedule.outside), &approved)
        }

        /// The course's and a lesson's titles.
        pub(crate) fn titles(&self, lesson_id: i64) -> (String, String) {
            (self.course.title.clone(), self.lessons.iter().find(|l| l.id == lesson_id).map(|l| l.title.clone()).unwrap_or_default())
        }

        /// May this viewer read this lesson now as a student of the course (access and drip)?
        pub(crate) fn open_to_student(&self, lesson_id: i64, now: i64, zone: &str) -> bool {
            let Some(lesson) = self.lessons.iter().find(|l| l.id == lesson_id) else { return false };
            let window = self.window();
            let decision = student_lesson_access(Status::parse(&self.course.status), Status::parse(&lesson.status), window.as_ref(), chrono::DateTime::from_timestamp_millis(now).unwrap_or_default());
            decision.is_ok() && self.drip(now, zone).is_some_and(|d| d.iter().any(|(id, a)| *id == lesson_id && a.is_open()))
        }

        /// Why an enrolled student cannot read this lesson now, in their words: access ended
        /// (and when), not started yet, or the lesson's drip state. `None`: not enrolled.
        fn locked_reason(&self, lesson_id: i64, ctx: &crate::kernel::request::RequestContext) -> Option<String> {
            use crate::kernel::access::{enrollment_access, Denial};
            use crate::kernel::i18n::t;
            let (now, zone, locale) = (ctx.now_ms, ctx.viewer.time_zone(), ctx.viewer.locale);
            let window = self.window();
            let when = |ms: i64| crate::kernel::time::weekday_date_time(ms, zone, locale);
            match enrollment_access(window.as_ref(), chrono::DateTime::from_timestamp_millis(now).unwrap_or_default()) {
                Err(Denial::NotEnrolled) => None,
                Err(Denial::AccessExpired) => {
                    let end = window.and_then(|w| w.access_end).map(|e| e.timestamp_millis()).unwrap_or(now);
                    Some(t(locale, "access_ended_on").replace("{when}", &crate::kernel::time::date_time(end, zone, locale)))
                }
                Err(Denial::AccessNotStarted) => Some(t(locale, "access_starts_on").replace("{when}", &when(self.enrollment.as_ref().map_or(now, |e| e.schedule.access_start)))),
                Err(_) => Some(t(locale, "access_revoked_lead").to_string()),
                Ok(()) => match self.drip(now, zone)?.into_iter().find(|(id, _)| *id == lesson_id).map(|(_, a)| a)? {
                    Availability::OutsideOffer => Some(self.outside_note(lesson_id, locale)),
                    state => drip_note(state, now, zone, locale),
                },
            }
        }

        /// The course's published lessons as offer levels see them.
        fn lesson_refs(&self) -> Vec<LessonRef<'_>> {
            self.published().into_iter().map(|l| LessonRef { id: l.id, module: &l.module }).collect()
        }

        /// The offer this student joined through (`None`: the whole course, or not enrolled).
        fn own_offer(&self) -> Option<&OfferRow> {
            let id = self.enrollment.as_ref()?.schedule.offer_id?;
            self.offers.iter().find(|o| o.id == id)
        }

        /// "In the «Complet» offer": the first open offer that includes a lesson outside the
        /// student's own.
        fn outside_note(&self, lesson_id: i64, locale: crate::kernel::i18n::Locale) -> String {
            use crate::kernel::i18n::t;
            let levels: Vec<(&OfferRow, Level)> = self.offers.iter().filter(|o| o.status == OfferStatus::Open).map(|o| (o, o.level())).collect();
            let module = self.lessons.iter().find(|l| l.id == lesson_id).map(|l| l.module.as_str()).unwrap_or("");
            match first_offer_with(&levels, &LessonRef { id: lesson_id, module }) {
                Some(o) => t(locale, "lesson_in_offer").replace("{offer}", &o.name),
                None => t(locale, "lesson_not_in_offer").to_string(),
            }
        }

        /// The open offers a visitor sees, or, for a student who joined through an offer, the
        /// upgrades from it with the difference to pay.
        fn offer_cards(&self, now: i64, zone: &str, locale: crate::kernel::i18n::Locale) -> Vec<crate::features::offers::types::OfferCard> {
            let open = self.offers.iter().filter(|o| o.status == OfferStatus::Open);
            let Some(own) = self.own_offer().filter(|_| self.enrollment.as_ref().is_some_and(|e| e.status == EnrollmentStatus::Active)) else {
                return open.map(|o| o.card(now, zone, locale)).collect();
            };
            let (course, own_level) = (self.lesson_refs(), own.level());
            let from = Tier { offer_id: own.id, price_minor: own.price_minor, level: &own_level };
            open.filter_map(|o| {
                let level = o.level();
                let pay = upgrade_price(&from, &Tier { offer_id: o.id, price_minor: o.price_minor, level: &level }, &course)?;
                let mut card = o.card(now, zone, locale);
                card.upgrade = Some(crate::features::offers::rules::Money { minor: pay, currency: o.currency }.format(locale));
                Some(card)
            })
            .collect()
        }

        /// A trial lesson is public while it and its course are published.
        fn open_as_trial(&self, lesson: &LessonRow) -> bool {
            lesson.trial != 0 && Status::parse(&lesson.status) == Status::Published && Status::parse(&self.course.status) == Status::Published
        }

        /// May this viewer read this lesson now? Creators preview everything; anyone reads a
        /// trial lesson.
        fn readable(&self, lesson_id: i64, now: i64, zone: &str) -> bool {
            self.preview
                || self.lessons.iter().find(|l| l.id == lesson_id).is_some_and(|l| self.open_as_trial(l))
                || self.open_to_student(lesson_id, now, zone)
        }
    }

    /// A program and its progress (`Bundle::program`).
    pub(crate) struct Program {
        pub lessons: Vec<LessonLink>,
        pub released: usize,
        pub done: usize,
    }

    /// What a student reads next to a lesson's title.
    fn drip_note(a: Availability, now: i64, zone: &str, locale: crate::kernel::i18n::Locale) -> Option<String> {
        use crate::kernel::time::{hours_until, weekday_date_time};
        use crate::kernel::i18n::t;
        // "Closes in N hours" shows as long before as the digest warns of it.
        use crate::features::drip::rules::CLOSING_SOON_MS;
        match a {
            Availability::Open { closes_at: Some(c) } if c - now <= CLOSING_SOON_MS => Some(crate::kernel::i18n::tn(locale, "closes_in_hours", hours_until(now, c))),
            Availability::Open { .. } => None,
            Availability::Locked(Locked::Until(at)) => Some(t(locale, "opens_at").replace("{when}", &weekday_date_time(at, zone, locale))),
            Availability::Locked(Locked::PreviousNotDone) => Some(t(locale, "opens_after_previous").to_string()),
            Availability::Locked(Locked::Checkpoint(_)) => Some(t(locale, "opens_after_checkpoint").to_string()),
            Availability::Closed { since } => Some(t(locale, "closed_since").replace("{when}", &weekday_date_time(since, zone, locale))),
            Availability::Expired { .. } => Some(t(locale, "access_expired_short").to_string()),
            // Said with the offer's name by `Bundle::outside_note`.
            Availability::OutsideOffer => Some(t(locale, "lesson_not_in_offer").to_string()),
        }
    }

    /// Everything a course or lesson page needs. Usually already read in the same D1 batch
    /// as the viewer (one round trip for the whole page); otherwise one batch here.
    pub(crate) async fn load(slug: &str, lesson_id: Option<i64>) -> Result<(crate::kernel::request::RequestContext, Bundle), AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let key = PageKey { slug: slug.to_string(), lesson_id };
        let user_id = ctx.viewer.user.as_ref().map(|u| u.id).unwrap_or(0);
        let preview = ctx.viewer.user.as_ref().is_some_and(|u| u.role == Role::Owner);
        let prefetched = ctx.prefetched::<(PageKey, CourseData)>().filter(|(k, _)| *k == key).map(|(_, data)| data.clone());
        let data = match prefetched {
            Some(data) => data,
            None => {
                let db = db()?;
                let statements = statements(&db, &Scope::Ids { school_id: school.id, user_id }, &key)?;
                decode(&key, &batch(&db, statements).await?)?
            }
        };
        let course = data.course.ok_or(AppError::NotAvailable)?;
        let mut bundle = Bundle { course, lessons: data.lessons, enrollment: data.enrollment, content: data.content, task: data.task, submissions: data.submissions, offers: data.offers, files: data.files, preview };
        // An assignment the student's offer does not have reviewed is accepted as sent.
        let reviewed = lesson_id.is_none_or(|id| bundle.own_offer().is_none_or(|o| o.level().reviews(id)));
        if let Some(task) = bundle.task.as_mut().filter(|_| !reviewed) {
            task.review_required = 0;
        }
        Ok((ctx, bundle))
    }

    /// Where "continue" leads this student in this course now (`kernel::next::ContinueResolver`):
    /// the lesson's path, or the course page when no lesson is open to them.
    pub fn resolve_continue<'a>(db: &'a worker::D1Database, school_id: i64, user_id: i64, slug: &'a str, now: i64, zone: &'a str) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>> + 'a>> {
        Box::pin(async move {
            let key = PageKey { slug: slug.to_string(), lesson_id: None };
            let data = decode(&key, &batch(db, statements(db, &Scope::Ids { school_id, user_id }, &key).ok()?).await.ok()?).ok()?;
            let course = data.course?;
            let b = Bundle { course, lessons: data.lessons, enrollment: data.enrollment, content: None, task: None, submissions: vec![], offers: data.offers, files: vec![], preview: false };
            let program = b.program(now, zone, crate::kernel::i18n::Locale::Fr);
            Some(b.continue_link(&program.lessons).map(|l| l.href).unwrap_or_else(|| format!("/courses/{slug}")))
        })
    }

    /// `/courses/{slug}/continue` for a logged-in viewer: where it leads (else the course).
    pub async fn continue_target(slug: &str) -> Result<String, AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let Some(user) = ctx.viewer.user.as_ref() else { return Err(AppError::LoginRequired) };
        let db = db()?;
        Ok(resolve_continue(&db, school.id, user.id, slug, ctx.now_ms, ctx.viewer.time_zone()).await.unwrap_or_else(|| format!("/courses/{slug}")))
    }

    fn now_utc(ctx: &crate::kernel::request::RequestContext) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(ctx.now_ms).unwrap_or_default()
    }

    pub async fn load_course(slug: &str, as_offer: Option<i64>) -> Result<CoursePage, AppError> {
        let (ctx, mut b) = load(slug, None).await?;
        // "Preview as a student of this offer": a student of it who joined now, instead of
        // the owner's preview of everything.
        let previewed = as_offer.filter(|_| b.preview).and_then(|id| b.offers.iter().find(|o| o.id == id).cloned());
        if let Some(offer) = &previewed {
            let outside: Vec<String> = offer.level().outside(&b.lesson_refs()).iter().map(i64::to_string).collect();
            b.enrollment = Some(EnrollmentRow {
                status: EnrollmentStatus::Active,
                schedule: EnrollmentSchedule {
                    access_start: offer.access_window(ctx.now_ms).0,
                    access_end: offer.access_window(ctx.now_ms).1,
                    shift_days: 0,
                    release_all: 0,
                    unlocked: None,
                    passed: None,
                    offer_id: Some(offer.id),
                    outside: Some(outside.join(",")),
                },
                last_lesson_id: None,
                last_position: None,
            });
            b.preview = false;
        }
        let course_status = Status::parse(&b.course.status);
        if course_status != Status::Published && !b.preview {
            return Err(AppError::NotAvailable);
        }
        let (now, zone, locale) = (ctx.now_ms, ctx.viewer.time_zone().to_string(), ctx.viewer.locale);
        let window = b.window();
        let enrolled = crate::kernel::access::enrollment_access(window.as_ref(), now_utc(&ctx)).is_ok();
        let Program { lessons: visible, released, done } = b.program(now, &zone, locale);
        let continue_to = (enrolled && !b.preview).then(|| b.continue_link(&visible)).flatten();
        // A student whose access ended (or was ended) is told so and when, never "log in".
        let expired_note = match (&b.enrollment, window.as_ref().and_then(|w| w.access_end)) {
            (Some(e), _) if e.status != EnrollmentStatus::Active => Some(crate::kernel::i18n::t(locale, "access_revoked_lead").to_string()),
            (Some(_), Some(end)) if end.timestamp_millis() <= now => Some(
                crate::kernel::i18n::t(locale, "access_ended_on").replace("{when}", &crate::kernel::time::date_time(end.timestamp_millis(), &zone, locale)),
            ),
            // A cohort that has not started yet: when it does.
            (Some(e), _) if e.schedule.access_start > now => Some(
                crate::kernel::i18n::t(locale, "access_starts_on").replace("{when}", &crate::kernel::time::weekday_date_time(e.schedule.access_start, &zone, locale)),
            ),
            _ => None,
        };
        let offers = b.offer_cards(now, &zone, locale);
        let finished = enrolled && !b.preview && b.finished(None, false);
        Ok(CoursePage {
            slug: b.course.slug,
            title: b.course.title,
            description: b.course.description,
            cover_url: b.course.cover_url,
            author_name: b.course.author_name,
            author_bio: b.course.author_bio,
            banner_html: b.course.banner_html,
            status: course_status,
            enrolled,
            preview: b.preview,
            lessons: visible,
            by_modules: b.course.program_layout == ProgramLayout::Modules,
            show_durations: b.course.show_durations != 0,
            progress_percent: progress_percent(done, released),
            expired_note,
            offers,
            previewing_offer: previewed.map(|o| o.name),
            continue_to,
            finished,
        })
    }

    pub async fn load_lesson(slug: &str, lesson_id: i64, start: u32) -> Result<LessonPage, AppError> {
        let (ctx, b) = load(slug, Some(lesson_id)).await?;
        let Some(index) = b.lessons.iter().position(|l| l.id == lesson_id) else {
            return Err(AppError::NotAvailable);
        };
        // A locked or closed lesson's content never leaves the server: its student is told
        // why and when instead; a visitor is asked to log in and comes back here.
        if !b.readable(lesson_id, ctx.now_ms, ctx.viewer.time_zone()) {
            let lesson = &b.lessons[index];
            let published = Status::parse(&lesson.status) == Status::Published && Status::parse(&b.course.status) == Status::Published;
            if !published {
                return Err(AppError::NotAvailable);
            }
            if ctx.viewer.user.is_none() {
                return Err(AppError::LoginRequired);
            }
            let reason = b.locked_reason(lesson_id, &ctx).ok_or(AppError::NotAvailable)?;
            let outside = b.drip(ctx.now_ms, ctx.viewer.time_zone()).is_some_and(|d| d.iter().any(|(id, a)| *id == lesson_id && *a == Availability::OutsideOffer));
            let visible: Vec<&LessonRow> = b.published();
            let program = b.program(ctx.now_ms, ctx.viewer.time_zone(), ctx.viewer.locale);
            let around = crate::features::learn::rules::neighbours(&program.lessons, lesson_id);
            let (previous, next) = (around.previous.cloned(), around.next.cloned());
            return Ok(LessonPage {
                course_slug: b.course.slug.clone(),
                course_title: b.course.title.clone(),
                id: lesson.id,
                title: lesson.title.clone(),
                html: String::new(),
                completed: lesson.completed > 0,
                preview: false,
                trial_visitor: false,
                previous,
                next,
                position: visible.iter().position(|l| l.id == lesson_id).map_or(0, |p| p + 1),
                total: visible.len(),
                task: None,
                locked: Some(reason),
                outside_offer: outside,
                files: vec![],
                progress_percent: progress_percent(program.done, program.released),
                program: program.lessons,
                next_locked: None,
                finished: false,
            });
        }
        let lesson = &b.lessons[index];
        let trial_visitor = !b.preview && !b.open_to_student(lesson_id, ctx.now_ms, ctx.viewer.time_zone());
        let visible: Vec<&LessonRow> = b.lessons.iter().filter(|l| b.preview || Status::parse(&l.status) == Status::Published).collect();
        let pos = visible.iter().position(|l| l.id == lesson_id).unwrap_or(0);
        let program = b.program(ctx.now_ms, ctx.viewer.time_zone(), ctx.viewer.locale);
        let around = crate::features::learn::rules::neighbours(&program.lessons, lesson_id);
        let (previous, next, next_locked) = (around.previous.cloned(), around.next.cloned(), around.next_locked.cloned());
        // Where the student is: "continue" and the emails that say so lead back here. Written
        // after the response, and only when it changes (a lesson read again writes nothing).
        let moved = b.enrollment.as_ref().is_some_and(|e| e.last_lesson_id != Some(lesson_id));
        if let (Some(user), false, false, true) = (ctx.viewer.user.as_ref(), b.preview, trial_visitor, moved) {
            let sdb = crate::kernel::request::school_db(require_school(&ctx)?.id)?;
            let (user_id, course_id, now) = (user.id, b.course.id, ctx.now_ms);
            crate::kernel::request::after_response(async move {
                let _ = sdb.run("UPDATE @enrollments SET last_lesson_id = ?2, last_seen_at = ?3 WHERE user_id = ?4 AND course_id = ?5", &[int(lesson_id), int(now), int(user_id), int(course_id)]).await;
            })
            .await;
        }
        Ok(LessonPage {
            course_slug: b.course.slug.clone(),
            course_title: b.course.title.clone(),
            id: lesson.id,
            title: lesson.title.clone(),
            html: {
                // The Markdown text, then the blocks (a video starts at `start`).
                let (text, blocks) = b.content.clone().unwrap_or_default();
                let blocks: Vec<(String, Option<String>)> = serde_json::from_str(&blocks).unwrap_or_default();
                let rendered: String = blocks.iter().map(|(json, html)| crate::features::lessons::blocks::shown(json, html.as_deref(), start, ctx.viewer.locale)).collect();
                let html = format!("{}{rendered}", crate::features::lessons::blocks::link_timecodes(&text));
                // Images uploaded into the text: signed for this viewer, like the files.
                let viewer = ctx.session_id.clone().unwrap_or_else(|| ctx.csrf.clone());
                let html = crate::features::media::server::sign_images(&html, &ctx.config.pepper, &viewer, ctx.now_ms);
                // Uploaded videos carry who watches and when (a visitor: the school's address).
                let who = ctx.viewer.user.as_ref().map(|u| u.email.clone()).or_else(|| ctx.viewer.school.as_ref().map(|s| s.slug.clone())).unwrap_or_default();
                let today = crate::kernel::time::date(ctx.now_ms, ctx.viewer.time_zone(), ctx.viewer.locale);
                crate::features::lessons::blocks::fill_watermark(&html, &who, &today)
            },
            completed: lesson.completed > 0,
            preview: b.preview,
            trial_visitor,
            // A trial visitor's way on is the course page, not the next (closed) lesson.
            previous: previous.filter(|_| !trial_visitor),
            next: next.filter(|_| !trial_visitor),
            position: pos + 1,
            total: visible.len(),
            // A trial visitor reads the lesson, they do not answer it.
            task: b.task.as_ref().filter(|_| !trial_visitor).map(|t| {
                let mut view = crate::features::learn::answers::ssr_impl::task_view(t, &b.submissions);
                // The student's files: those waiting for the next answer, and the latest answer's.
                let answer_files = |sent: Option<i64>| b.files.iter().filter(|f| f.use_ == "answer" && f.submission_id == sent).map(|f| download_link(&ctx, f)).collect::<Vec<_>>();
                view.draft_files = answer_files(None);
                if let Some(latest) = view.latest.as_mut() {
                    latest.files = answer_files(b.submissions.first().map(|s| s.id));
                }
                view
            }),
            locked: None,
            outside_offer: false,
            // Readable now: each file through a URL signed for this viewer, for minutes.
            files: b.files.iter().filter(|f| f.use_ == "lesson_file").map(|f| download_link(&ctx, f)).collect(),
            // A trial visitor sees no program: their way on is the course page.
            progress_percent: progress_percent(program.done, program.released),
            program: if trial_visitor { vec![] } else { program.lessons },
            next_locked: next_locked.filter(|_| !trial_visitor),
            finished: !trial_visitor && !b.preview && b.finished(None, false),
        })
    }

    /// A file as a link signed for this viewer (minutes), with its size in their words.
    fn download_link(ctx: &crate::kernel::request::RequestContext, f: &FileRow) -> crate::features::learn::types::DownloadLink {
        let viewer = ctx.session_id.clone().unwrap_or_else(|| ctx.csrf.clone());
        crate::features::learn::types::DownloadLink {
            id: f.id.clone(),
            name: f.name.clone(),
            size: crate::features::media::rules::human_size(f.size.max(0) as u64, ctx.viewer.locale == crate::kernel::i18n::Locale::Fr),
            href: crate::features::media::server::signed_url(&ctx.config.pepper, &f.id, &viewer, ctx.now_ms),
        }
    }

    /// A lesson done by a student (once: a second time keeps the first date).
    pub(crate) fn completion(sdb: &crate::kernel::db::SchoolDb, user_id: i64, lesson_id: i64, now: i64) -> Result<worker::D1PreparedStatement, AppError> {
        sdb.stmt("INSERT OR IGNORE INTO @completions (user_id, lesson_id, completed_at) VALUES (?2, ?3, ?4)", &[int(user_id), int(lesson_id), int(now)])
    }

    /// A student just finished the course: their certificate (`certificates::server`).
    pub(crate) async fn finish(sdb: &crate::kernel::db::SchoolDb, ctx: &crate::kernel::request::RequestContext, user_id: i64, course_id: i64) -> Result<(), AppError> {
        let issuer = crate::features::certificates::server::Issuer { now: ctx.now_ms, config: &ctx.config };
        crate::features::certificates::server::issue_if_finished(sdb, &issuer, user_id, course_id).await.map(|_| ())
    }

    pub async fn mark_complete(slug: &str, lesson_id: i64) -> Result<(), AppError> {
        let (ctx, b) = load(slug, Some(lesson_id)).await?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let school = require_school(&ctx)?;
        let index = b.lessons.iter().position(|l| l.id == lesson_id).ok_or(AppError::NotAvailable)?;
        // Progress is a student's: reading a trial lesson is not enough.
        if b.preview || !b.open_to_student(lesson_id, ctx.now_ms, ctx.viewer.time_zone()) {
            return Err(AppError::NotAvailable);
        }
        let sdb = crate::kernel::request::school_db(school.id)?;
        sdb.batch(vec![completion(&sdb, user.id, lesson_id, ctx.now_ms)?]).await?;
        // The lesson that finishes the course: the certificate, and the congratulations.
        if b.finished(Some(lesson_id), false) {
            finish(&sdb, &ctx, user.id, b.course.id).await?;
            redirect(&format!("/courses/{slug}/completed"));
            return Ok(());
        }
        // On to the next lesson only when it is open (completing this one may be what opens
        // it); otherwise back to the course, which says when the next one opens.
        let mut after = b;
        if let Some(l) = after.lessons.get_mut(index) {
            l.completed = 1;
        }
        let next = after.lessons[index + 1..].iter().find(|l| Status::parse(&l.status) == Status::Published);
        match next {
            Some(n) if after.open_to_student(n.id, ctx.now_ms, ctx.viewer.time_zone()) => redirect(&format!("/courses/{slug}/lessons/{}", n.id)),
            Some(n) => redirect(&format!("/courses/{slug}?ok=lesson_completed&next={}#lesson-{}", n.id, n.id)),
            None => redirect(&format!("/courses/{slug}?ok=lesson_completed")),
        }
        Ok(())
    }
}
