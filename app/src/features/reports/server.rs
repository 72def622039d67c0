//! A course's report: the students × lessons matrix, completions over the last 30 days (an
//! SVG drawn here), assignment analysis per lesson, quiz results, survey answers; and the
//! same as CSV files (formula-safe, `kernel::csv::write_file`). One D1 batch reads it all.

use crate::features::tasks::rules::{Given, Question};
use crate::kernel::error::AppError;
use crate::kernel::i18n::{t, Locale};
use crate::kernel::db::{int, rows, SchoolDb};
use crate::features::exports::server::{course_students, StudentRow};
use serde::Deserialize;
use worker::D1Database;

/// Students shown in the page's matrix (the CSV has them all).
pub const MATRIX_PAGE_ROWS: i64 = 300;

pub use crate::features::reports::api::{AssignmentStats, CourseReport, MatrixRow, QuizResult, ReportLesson, SurveyQuestionSummary, SurveySummary};

#[derive(Deserialize)]
struct CourseRow {
    id: i64,
    slug: String,
    title: String,
    students: i64,
}
#[derive(Deserialize)]
struct LessonRow {
    id: i64,
    title: String,
    task: String,
    questions_json: String,
}
#[derive(Deserialize)]
struct HourRow {
    hour: i64,
    n: i64,
}
#[derive(Deserialize)]
struct SurveyRow {
    email: String,
    lesson_id: i64,
    answers_json: String,
}
#[derive(Deserialize)]
struct QuizRow {
    email: String,
    lesson_title: String,
    attempts: i64,
    best_points: Option<i64>,
    max_points: Option<i64>,
    passed: i64,
}

impl QuizRow {
    fn result(self) -> QuizResult {
        QuizResult { email: self.email, lesson_title: self.lesson_title, attempts: self.attempts, best_points: self.best_points.unwrap_or(0), max_points: self.max_points.unwrap_or(0), passed: self.passed != 0 }
    }
}

/// The latest submission per (lesson, student) of a course's assignments.
const LATEST_ASSIGNMENTS: &str = "FROM @submissions s JOIN @lessons* l ON l.id = s.lesson_id
    JOIN @users u ON u.id = s.user_id
    WHERE s.course_id = ?2 AND s.kind = 'assignment'
    AND s.attempt = (SELECT MAX(s2.attempt) FROM @submissions s2 WHERE s2.lesson_id = s.lesson_id AND s2.user_id = s.user_id)";

/// Per student and quiz: attempts, best score, passed (scoped SQL, `?2` the course).
const QUIZ_RESULTS: &str = "SELECT u.email, l.title AS lesson_title, COUNT(*) AS attempts, MAX(s.score) AS best_points, MAX(s.max_score) AS max_points, MAX(s.status = 'approved') AS passed
    FROM @submissions s JOIN @users u ON u.id = s.user_id JOIN @lessons* l ON l.id = s.lesson_id
    WHERE s.course_id = ?2 AND s.kind = 'quiz' GROUP BY s.lesson_id, s.user_id ORDER BY l.position, u.email";

/// Every survey answer of a course.
const SURVEY_ANSWERS: &str = "SELECT u.email, s.lesson_id, s.answers_json FROM @submissions s JOIN @users u ON u.id = s.user_id
    WHERE s.course_id = ?2 AND s.kind = 'survey' ORDER BY s.lesson_id, u.email";

const LESSONS: &str = "SELECT l.id, l.title, COALESCE(t.kind, '') AS task, COALESCE(t.questions_json, '[]') AS questions_json
    FROM @lessons l LEFT JOIN @lesson_tasks t ON t.lesson_id = l.id
    WHERE l.course_id = ?2 AND l.status = 'published' ORDER BY l.position, l.id";

/// The report, or `None` when the course is not this school's. The matrix shows one page of
/// `MATRIX_PAGE_ROWS` students (`page` from 1; the CSV has them all), `now` ends the
/// chart's 30 days.
pub async fn load(db: &D1Database, school_id: i64, course_id: i64, page: i64, now: i64, zone: &str, locale: Locale) -> Result<Option<CourseReport>, AppError> {
    let args = [int(course_id)];
    let since = now - crate::features::reports::rules::CHART_DAYS * crate::kernel::session::DAY_MS;
    let db = SchoolDb::new(db, school_id);
    let results = db
        .batch(vec![
            db.stmt(
                "SELECT id, slug, title, (SELECT COUNT(*) FROM @enrollments e WHERE e.course_id = c.id AND e.status = 'active') AS students
                 FROM @courses c WHERE id = ?2",
                &args,
            )?,
            db.stmt(LESSONS, &args)?,
            db.stmt(&format!("{} LIMIT ?3 OFFSET ?4", course_students()), &[int(course_id), int(MATRIX_PAGE_ROWS), int((page - 1) * MATRIX_PAGE_ROWS)])?,
            db.stmt(
                "SELECT cp.completed_at / 3600000 AS hour, COUNT(*) AS n FROM @completions cp JOIN @lessons* l ON l.id = cp.lesson_id
                 WHERE l.course_id = ?2 AND cp.completed_at >= ?3 GROUP BY hour",
                &[int(course_id), int(since)],
            )?,
            db.stmt(
                &format!(
                    "SELECT s.lesson_id, l.title AS lesson_title, COUNT(*) AS submitted,
                        SUM(s.status = 'pending') AS pending, SUM(s.status = 'approved') AS approved, SUM(s.status = 'returned') AS returned
                     {LATEST_ASSIGNMENTS} GROUP BY s.lesson_id ORDER BY l.position, l.id"
                ),
                &args,
            )?,
            db.stmt(QUIZ_RESULTS, &args)?,
            db.stmt(SURVEY_ANSWERS, &args)?,
        ])
        .await?;
    let Some(course) = rows::<CourseRow>(&results[0])?.into_iter().next() else { return Ok(None) };
    let lessons = rows::<LessonRow>(&results[1])?;
    let matrix = rows::<StudentRow>(&results[2])?
        .into_iter()
        .map(|s| {
            let done: std::collections::HashMap<String, i64> = serde_json::from_str(&s.completed).unwrap_or_default();
            // Progress over what the student's offer includes.
            let outside = s.outside();
            let cells: Vec<Option<i64>> = lessons.iter().map(|l| done.get(&l.id.to_string()).copied().filter(|_| !outside.contains(&l.id))).collect();
            let count = cells.iter().filter(|c| c.is_some()).count();
            let included = lessons.iter().filter(|l| !outside.contains(&l.id)).count();
            MatrixRow {
                email: s.email,
                name: format!("{} {}", s.first_name, s.last_name).trim().to_string(),
                percent: crate::kernel::access::progress_percent(count, included),
                certificate: s.certificate.clone(),
                done: cells,
                outside: lessons.iter().map(|l| outside.contains(&l.id)).collect(),
                offer: s.offer_name.unwrap_or_default(),
            }
        })
        .collect();
    // Completions per local day (hour buckets converted to the school's dates here).
    let tz = crate::kernel::time::zone(zone);
    let per_day: Vec<(chrono::NaiveDate, u32)> =
        rows::<HourRow>(&results[3])?.into_iter().map(|h| (crate::features::drip::rules::local_date(h.hour * 3_600_000, tz), h.n.max(0) as u32)).collect();
    let today = crate::features::drip::rules::local_date(now, tz);
    let first = today - chrono::Duration::days(crate::features::reports::rules::CHART_DAYS - 1);
    let chart_svg = crate::features::reports::rules::completion_chart(&crate::features::reports::rules::daily_series(&per_day, first, today), &t(locale, "report_chart_title").replace("{course}", &course.title));
    let quizzes = rows::<QuizRow>(&results[5])?.into_iter().map(QuizRow::result).collect();
    let survey_rows = rows::<SurveyRow>(&results[6])?;
    let surveys = lessons.iter().filter(|l| l.task == "survey").map(|l| summarize_survey(l, &survey_rows)).collect();
    Ok(Some(CourseReport {
        id: course.id,
        slug: course.slug,
        title: course.title,
        students: course.students,
        lessons: lessons.iter().map(|l| ReportLesson { id: l.id, title: l.title.clone(), task: l.task.clone() }).collect(),
        matrix,
        chart_svg,
        assignments: rows::<AssignmentStats>(&results[4])?,
        quizzes,
        surveys,
        page,
        pages: (course.students + MATRIX_PAGE_ROWS - 1) / MATRIX_PAGE_ROWS,
    }))
}

fn questions(l: &LessonRow) -> Vec<Question> {
    serde_json::from_str(&l.questions_json).unwrap_or_default()
}

/// A survey answer as text: the chosen choices joined, or the typed text.
fn answer_text(q: &Question, g: &Given) -> String {
    if q.choices.is_empty() {
        g.text.clone()
    } else {
        g.chosen.iter().filter_map(|i| q.choices.get(*i)).map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")
    }
}

fn summarize_survey(l: &LessonRow, answers: &[SurveyRow]) -> SurveySummary {
    let qs = questions(l);
    let mine: Vec<Vec<Given>> = answers.iter().filter(|a| a.lesson_id == l.id).map(|a| serde_json::from_str(&a.answers_json).unwrap_or_default()).collect();
    SurveySummary {
        lesson_title: l.title.clone(),
        answers: mine.len() as i64,
        questions: qs
            .iter()
            .enumerate()
            .map(|(i, q)| SurveyQuestionSummary {
                text: q.text.clone(),
                counts: q.choices.iter().enumerate().map(|(c, choice)| (choice.text.clone(), mine.iter().filter(|g| g.get(i).is_some_and(|g| g.chosen.contains(&c))).count() as i64)).collect(),
                texts: if q.choices.is_empty() { mine.iter().filter_map(|g| g.get(i)).map(|g| g.text.clone()).filter(|t| !t.is_empty()).collect() } else { vec![] },
            })
            .collect(),
    }
}

fn stamp(ms: i64, zone: &str) -> String {
    use chrono::TimeZone;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| crate::kernel::time::zone(zone).from_utc_datetime(&d.naive_utc()).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A report file: `assignments` (every latest answer), `quizzes` (per student and quiz) or
/// `surveys` (one row per answer to a question). `None`: no such course or file.
pub async fn file(db: &D1Database, school_id: i64, course_id: i64, kind: &str, format: crate::kernel::spreadsheet::Format, zone: &str, locale: Locale) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let args = [int(course_id)];
    let db = SchoolDb::new(db, school_id);
    let Some(course) = db.first::<serde_json::Value>("SELECT slug FROM @courses WHERE id = ?2", &args).await? else {
        return Ok(None);
    };
    let slug = course["slug"].as_str().unwrap_or("course").to_string();
    let out: Vec<Vec<String>> = match kind {
        "assignments" => {
            #[derive(Deserialize)]
            struct Row {
                email: String,
                lesson_title: String,
                attempt: i64,
                status: String,
                answer_text: String,
                answer_link: String,
                comment: String,
                created_at: i64,
            }
            let found: Vec<Row> = db
                .all(&format!("SELECT u.email, l.title AS lesson_title, s.attempt, s.status, s.answer_text, s.answer_link, s.comment, s.created_at {LATEST_ASSIGNMENTS} ORDER BY l.position, u.email"), &args)
                .await?;
            let mut out = vec![["email", "lesson", "attempt", "status", "submitted_at", "answer", "link", "comment"].map(String::from).to_vec()];
            out.extend(found.into_iter().map(|r| vec![r.email, r.lesson_title, r.attempt.to_string(), t(locale, &format!("review_status_{}", r.status)).to_string(), stamp(r.created_at, zone), r.answer_text, r.answer_link, r.comment]));
            out
        }
        "quizzes" => {
            let results: Vec<QuizRow> = db.all(QUIZ_RESULTS, &args).await?;
            let mut out = vec![["email", "quiz", "attempts", "best_points", "max_points", "percent", "passed"].map(String::from).to_vec()];
            out.extend(results.into_iter().map(QuizRow::result).map(|q| {
                let percent = crate::features::tasks::rules::Score { points: q.best_points.max(0) as u32, max: q.max_points.max(0) as u32 }.percent();
                vec![q.email, q.lesson_title, q.attempts.to_string(), q.best_points.to_string(), q.max_points.to_string(), percent.to_string(), t(locale, if q.passed { "yes" } else { "no" }).to_string()]
            }));
            out
        }
        "surveys" => {
            let lessons: Vec<LessonRow> = db.all(LESSONS, &args).await?;
            let answers: Vec<SurveyRow> = db.all(SURVEY_ANSWERS, &args).await?;
            let mut out = vec![["email", "lesson", "question", "answer"].map(String::from).to_vec()];
            for a in &answers {
                let Some(l) = lessons.iter().find(|l| l.id == a.lesson_id) else { continue };
                let given: Vec<Given> = serde_json::from_str(&a.answers_json).unwrap_or_default();
                for (q, g) in questions(l).iter().zip(&given) {
                    out.push(vec![a.email.clone(), l.title.clone(), q.text.clone(), answer_text(q, g)]);
                }
            }
            out
        }
        _ => return Ok(None),
    };
    Ok(Some((format!("{kind}-{slug}.{}", format.extension()), format.write(kind, &out))))
}

/// Who reads a course's report: the owner and assistants (every course), a curator (the
/// courses assigned to them).
pub async fn may_read(db: &D1Database, viewer: &crate::kernel::viewer::Viewer, course_id: i64) -> Result<Option<i64>, AppError> {
    use crate::kernel::access::{Permission, Role};
    let (Some(school), Some(user)) = (&viewer.school, &viewer.user) else { return Ok(None) };
    if user.role.may(Permission::ManageStudents) {
        return Ok(Some(school.id));
    }
    if user.role != Role::Curator {
        return Ok(None);
    }
    let assigned: Option<serde_json::Value> =
        SchoolDb::new(db, school.id).first("SELECT 1 AS ok FROM @course_curators WHERE course_id = ?2 AND user_id = ?3", &[int(course_id), int(user.id)]).await?;
    Ok(assigned.map(|_| school.id))
}
