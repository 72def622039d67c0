//! The student directory: search and filters (all or any criterion), pages of 50, the
//! courses to filter by; a student's account switched off and on again (deactivation ends
//! their sessions at once and keeps everything else); the creator's note on a student.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub status: String,
    pub courses: i64,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryPage {
    /// The filter as a query string (for pagination, export and bulk links).
    pub query: String,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub students: Vec<DirectoryRow>,
    /// (slug, title) of the school's courses.
    pub courses: Vec<(String, String)>,
    /// (id, name) of the school's saved lists.
    pub lists: Vec<(i64, String)>,
    pub problems: Vec<String>,
}

/// Query pairs out of a `?a=b&c=d` string, percent-decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (crate::kernel::csrf::decode_component(k), crate::kernel::csrf::decode_component(v))
        })
        .collect()
}

crate::kernel::page_data! {
    pub async fn load_directory(query: String) -> Result<DirectoryPage, AppError> {
        ssr_impl::load_directory(&query).await
    }
}

#[server(prefix = "/admin/api", endpoint = "set_account_status")]
pub async fn set_account_status(id: String, status: String) -> Result<(), AppError> {
    send(async move { ssr_impl::set_account_status(&id, &status).await }).await
}

#[server(prefix = "/admin/api", endpoint = "save_student_profile")]
pub async fn save_student_profile(id: String, first_name: String, last_name: String, locale: String, note: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save_student_profile(&id, first_name, last_name, &locale, note).await }).await
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::students::directory::{DirectoryFilter, SqlValue, PAGE_SIZE};
    use crate::kernel::db::{int, rows, text};
    use crate::kernel::request::school_db;

    pub fn bind(values: &[SqlValue]) -> Vec<wasm_bindgen::JsValue> {
        values
            .iter()
            .map(|v| match v {
                SqlValue::Int(n) => int(*n),
                SqlValue::Text(s) => text(s),
            })
            .collect()
    }

    /// The filter's condition for this school, parameters from ?2 (?1 is the school).
    pub fn filter_condition(filter: &DirectoryFilter, now: i64, zone: &str) -> (String, Vec<SqlValue>) {
        filter.condition(2, now, day_start(zone))
    }

    /// A local date's first instant in the school's zone (the filters' dates).
    pub fn day_start(zone: &str) -> impl Fn(chrono::NaiveDate) -> i64 {
        let tz = crate::kernel::time::zone(zone);
        move |d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
    }

    #[derive(Deserialize, Clone)]
    struct Row {
        id: i64,
        email: String,
        display_name: String,
        status: String,
        courses: i64,
        last_login_at: Option<i64>,
    }

    #[derive(Deserialize, Clone)]
    struct Course {
        slug: String,
        title: String,
    }

    /// A directory page's reads: the page of students, how many match, the courses and the
    /// saved lists to filter by. The page and its count are two statements: a page in
    /// address order reads the school's address index and stops at its 50th student, where
    /// counting alongside (`COUNT(*) OVER ()`) sorted every match first (31 ms of SQLite for an
    /// unfiltered school of 50,000).
    fn statements(db: &crate::kernel::db::SchoolDb, filter: &DirectoryFilter, page: i64, now: i64, zone: &str) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
        let (condition, params) = filter_condition(filter, now, zone);
        let args = bind(&params);
        // The page's LIMIT and OFFSET follow the filter's parameters (?1 is the school).
        let n = args.len() + 1;
        let mut page_args = args;
        page_args.push(int(PAGE_SIZE));
        page_args.push(int((page - 1) * PAGE_SIZE));
        let (count, count_params) = filter.count(2, now, day_start(zone));
        Ok(vec![
            db.stmt(
                &format!(
                    "SELECT p.id, p.email, p.display_name, p.status, p.last_login_at,
                        (SELECT COUNT(*) FROM @enrollments e WHERE e.user_id = p.id AND e.status = 'active') AS courses
                     FROM (SELECT u.id, u.email, u.display_name, u.status, u.last_login_at
                           FROM @users u WHERE u.role = 'student' AND {condition}
                           ORDER BY u.email LIMIT ?{} OFFSET ?{}) p ORDER BY p.email",
                    n + 1,
                    n + 2
                ),
                &page_args,
            )?,
            db.stmt(&count, &bind(&count_params))?,
            db.stmt("SELECT slug, title FROM @courses ORDER BY title", &[])?,
            db.stmt("SELECT id, name FROM @saved_lists ORDER BY created_at DESC LIMIT 100", &[])?,
        ])
    }

    /// A count statement's `n`.
    fn count_of(result: &worker::D1Result) -> Result<i64, AppError> {
        Ok(rows::<serde_json::Value>(result)?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0))
    }

    /// The filter and page a query string asks for, with the words it did not understand.
    fn parse(query: &str) -> (DirectoryFilter, i64, Vec<&'static str>) {
        let pairs = query_pairs(query);
        let (filter, problems) = DirectoryFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let page = pairs.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<i64>().ok()).unwrap_or(1).max(1);
        (filter, page, problems)
    }

    /// The directory's reads in the viewer's own batch (`GET /admin/students`): one round
    /// trip, once this isolate knows the school's zone (date filters need it).
    pub struct DirectoryPrefetch {
        query: String,
        /// The time and zone the statements were made for (none: not made).
        made_for: std::cell::RefCell<Option<(i64, String)>>,
    }

    impl DirectoryPrefetch {
        pub fn new(query: &str) -> DirectoryPrefetch {
            DirectoryPrefetch { query: query.to_string(), made_for: Default::default() }
        }
    }

    /// What the prefetch read, with the query and zone it was read for.
    struct Read {
        query: String,
        zone: String,
        students: Vec<Row>,
        total: i64,
        courses: Vec<Course>,
        lists: Vec<serde_json::Value>,
    }

    impl crate::kernel::request::Prefetch for DirectoryPrefetch {
        fn statements(&self, db: &worker::D1Database, on: &crate::kernel::request::PrefetchScope) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
            let Some(zone) = crate::kernel::request::remembered_zone(on.school_slug) else { return Ok(vec![]) };
            let (filter, page, _) = parse(&self.query);
            let read = statements(&crate::kernel::db::SchoolDb::by_slug(db, on.school_slug), &filter, page, on.now_ms, &zone)?;
            *self.made_for.borrow_mut() = Some((on.now_ms, zone));
            Ok(read)
        }
        fn decode(&self, results: &[worker::D1Result]) -> Result<crate::kernel::request::Prefetched, AppError> {
            let read = match (self.made_for.borrow().clone(), results) {
                (Some((_, zone)), [students, count, courses, lists]) => {
                    Some(Read { query: self.query.clone(), zone, students: rows(students)?, total: count_of(count)?, courses: rows(courses)?, lists: rows(lists)? })
                }
                _ => None,
            };
            Ok(crate::kernel::request::Prefetched::new(read))
        }
        fn for_session_user(&self) -> bool {
            true
        }
    }

    pub async fn load_directory(query: &str) -> Result<DirectoryPage, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let (filter, page, problems) = parse(query);
        let zone = ctx.viewer.time_zone();
        let db = school_db(school_id)?;
        let same_query = |q: &str| query_pairs(q) == query_pairs(query);
        let (students, total, courses, lists): (Vec<Row>, i64, Vec<Course>, Vec<serde_json::Value>) =
            match ctx.prefetched::<Option<Read>>().and_then(Option::as_ref).filter(|r| r.zone == zone && same_query(&r.query)) {
                Some(read) => (read.students.clone(), read.total, read.courses.clone(), read.lists.clone()),
                None => {
                    let results = db.batch(statements(&db, &filter, page, ctx.now_ms, zone)?).await?;
                    (rows::<Row>(&results[0])?, count_of(&results[1])?, rows::<Course>(&results[2])?, rows::<serde_json::Value>(&results[3])?)
                }
            };
        let students = students
            .into_iter()
            .map(|r| DirectoryRow { id: r.id, email: r.email, name: r.display_name, status: r.status, courses: r.courses, last_login_at: r.last_login_at })
            .collect();
        let courses = courses.into_iter().map(|c| (c.slug, c.title)).collect();
        let lists = lists.iter().filter_map(|r| Some((r["id"].as_i64()?, r["name"].as_str()?.to_string()))).collect();
        Ok(DirectoryPage {
            query: filter.to_query(),
            total,
            page,
            pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
            students,
            courses,
            lists,
            problems: problems.into_iter().map(String::from).collect(),
        })
    }

    /// Deactivated: no login, every session ended now; enrollments, progress and history
    /// stay. Reactivated: all of it is there again.
    pub async fn set_account_status(id: &str, status: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = parse_id(id)?;
        if !matches!(status, "active" | "deactivated") {
            return Err(AppError::BadRequest("status".into()));
        }
        let db = school_db(school_id)?;
        let now = ctx.now_ms;
        let detail = serde_json::json!({ "after": { "status": status } }).to_string();
        let mut statements = vec![
            db.stmt("UPDATE @users SET status = ?3 WHERE id = ?2 AND role = 'student'", &[int(id), text(status)])?,
            db.stmt(
                "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) SELECT ?3, id, ?4, ?5, 'admin', ?6 FROM @users WHERE id = ?2 AND role = 'student'",
                &[int(id), int(actor), text(if status == "active" { "account_reactivated" } else { "account_deactivated" }), text(&detail), int(now)],
            )?,
        ];
        if status == "deactivated" {
            statements.push(db.stmt("UPDATE @sessions SET revoked_at = ?3 WHERE user_id = ?2 AND revoked_at IS NULL", &[int(id), int(now)])?);
        }
        db.batch(statements).await?;
        redirect(&format!("/admin/students/{id}?ok={}", if status == "active" { "account_reactivated" } else { "account_deactivated" }));
        Ok(())
    }

    pub async fn save_student_profile(id: &str, first_name: String, last_name: String, locale: &str, note: String) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = parse_id(id)?;
        let page = format!("/admin/students/{id}");
        use crate::kernel::validate::{note as checked_note, person_name};
        let checked = person_name(&first_name).and_then(|f| Ok((f, person_name(&last_name)?))).and_then(|(f, l)| Ok((f, l, checked_note(&note)?)));
        let (first_name, last_name, note) = match checked {
            Ok(values) => values,
            Err(code) => {
                redirect(&crate::kernel::url::with_error(&page, code, &[]));
                return Ok(());
            }
        };
        let locale = crate::kernel::i18n::Locale::parse(locale).map(|l| l.code());
        let display = format!("{first_name} {last_name}").trim().to_string();
        let db = school_db(school_id)?;
        let detail = serde_json::json!({ "after": { "first_name": first_name, "last_name": last_name, "locale": locale, "note": note } }).to_string();
        db.batch(vec![
            db.stmt(
                "UPDATE @users SET first_name = ?3, last_name = ?4, display_name = ?5, locale = ?6, note = ?7 WHERE id = ?2",
                &[int(id), text(&first_name), text(&last_name), text(&display), locale.map(text).unwrap_or(wasm_bindgen::JsValue::NULL), text(&note)],
            )?,
            db.stmt(
                "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) SELECT ?3, id, 'profile_saved', ?4, 'admin', ?5 FROM @users WHERE id = ?2",
                &[int(id), int(actor), text(&detail), int(ctx.now_ms)],
            )?,
        ])
        .await?;
        redirect(&format!("{page}?ok=saved"));
        Ok(())
    }
}
