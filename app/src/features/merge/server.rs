//! A merge's reads (the plan the confirmation shows) and its one write batch. The batch
//! moves every row that names the merged account and deletes it last: D1 enforces foreign
//! keys, so a table forgotten here fails the whole batch rather than losing a row.

use crate::features::merge::rules::{self, Access, Account, Combined, Plan, Profile, Refusal};
use crate::kernel::db::{int, opt_int, rows, text, SchoolDb};
use crate::kernel::error::AppError;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct UserRow {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    display_name: String,
    locale: Option<String>,
    note: String,
    role: String,
    status: String,
    created_at: i64,
    last_login_at: Option<i64>,
    courses: i64,
    completions: i64,
}

#[derive(Deserialize)]
struct EnrollmentRow {
    user_id: i64,
    course_id: i64,
    course_title: String,
    start: i64,
    end: Option<i64>,
    active: i64,
    offer_id: Option<i64>,
    left_out: i64,
    shift_days: i64,
    release_all: i64,
    last_lesson_id: Option<i64>,
    last_seen_at: Option<i64>,
}

#[derive(Deserialize)]
struct Counts {
    completions: i64,
    completions_both: i64,
    answers: i64,
    orders: i64,
    notifications: i64,
    history: i64,
    sessions: i64,
    video_views: i64,
    lists: i64,
    join_requests: i64,
    files: i64,
}

/// An account named by its id or its address (the merge page takes either).
pub async fn find(sdb: &SchoolDb, typed: &str) -> Result<Option<i64>, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = typed.parse::<i64>() {
        return Ok(Some(id));
    }
    let email = typed.to_lowercase();
    let row: Option<serde_json::Value> = sdb.first("SELECT id FROM @users WHERE email = ?2", &[text(&email)]).await?;
    Ok(row.and_then(|r| r["id"].as_i64()))
}

/// The plan of merging `merge_id` into `keep_id`, or why it cannot be.
pub async fn plan(sdb: &SchoolDb, keep_id: i64, merge_id: i64, now: i64) -> Result<Result<Plan, Refusal>, AppError> {
    if keep_id == merge_id {
        return Ok(Err(Refusal::Same));
    }
    let ids = [int(keep_id), int(merge_id)];
    let left_out = crate::kernel::db::outside_offer("e.offer_id");
    let results = sdb
        .batch(vec![
            sdb.stmt(
                "SELECT u.id, u.email, u.first_name, u.last_name, u.display_name, u.locale, u.note, u.role, u.status, u.created_at, u.last_login_at,
                    (SELECT COUNT(*) FROM @enrollments e WHERE e.user_id = u.id) AS courses,
                    (SELECT COUNT(*) FROM @completions c WHERE c.user_id = u.id) AS completions
                 FROM @users u WHERE u.id IN (?2, ?3)",
                &ids,
            )?,
            sdb.stmt(
                &format!(
                    "SELECT e.user_id, e.course_id, c.title AS course_title, e.access_start AS start, e.access_end AS end, e.status = 'active' AS active, e.offer_id,
                        (SELECT CASE WHEN x IS NULL THEN 0 ELSE length(x) - length(replace(x, ',', '')) + 1 END FROM (SELECT {left_out} AS x)) AS left_out,
                        e.shift_days, e.release_all, e.last_lesson_id, e.last_seen_at
                     FROM @enrollments e JOIN @courses* c ON c.id = e.course_id WHERE e.user_id IN (?2, ?3) ORDER BY c.title, c.id"
                ),
                &ids,
            )?,
            sdb.stmt(
                "SELECT (SELECT COUNT(*) FROM @completions WHERE user_id = ?3) AS completions,
                    (SELECT COUNT(*) FROM @completions m WHERE m.user_id = ?3 AND EXISTS (SELECT 1 FROM @completions k WHERE k.user_id = ?2 AND k.lesson_id = m.lesson_id)) AS completions_both,
                    (SELECT COUNT(*) FROM @submissions WHERE user_id = ?3) AS answers,
                    (SELECT COUNT(*) FROM @orders WHERE user_id = ?3 OR email = (SELECT email FROM @users WHERE id = ?3)) AS orders,
                    (SELECT COUNT(*) FROM @notifications WHERE user_id = ?3) AS notifications,
                    (SELECT COUNT(*) FROM @audit_log WHERE user_id = ?3) AS history,
                    (SELECT COUNT(*) FROM @sessions WHERE user_id = ?3 AND revoked_at IS NULL AND expires_at > ?4) AS sessions,
                    (SELECT COUNT(*) FROM @video_views WHERE user_id = ?3) AS video_views,
                    (SELECT COUNT(*) FROM saved_list_members m JOIN @saved_lists l ON l.id = m.list_id WHERE m.user_id = ?3) AS lists,
                    (SELECT COUNT(*) FROM @join_requests WHERE user_id = ?3) AS join_requests,
                    (SELECT COUNT(*) FROM @files* WHERE owner_id = ?3) AS files",
                &[int(keep_id), int(merge_id), int(now)],
            )?,
            sdb.stmt("SELECT id, lesson_id, attempt FROM @submissions WHERE user_id = ?3", &ids)?,
            sdb.stmt(
                "SELECT lesson_id, MAX(attempt) AS attempt FROM @submissions WHERE user_id = ?2 AND lesson_id IN (SELECT lesson_id FROM @submissions WHERE user_id = ?3) GROUP BY lesson_id",
                &ids,
            )?,
            sdb.stmt("SELECT user_id, course_id, course_title FROM @certificates WHERE user_id IN (?2, ?3) ORDER BY course_title", &ids)?,
            sdb.stmt("SELECT email FROM @user_aliases WHERE user_id = ?3 ORDER BY email", &ids)?,
        ])
        .await?;
    let users = rows::<UserRow>(&results[0])?;
    let (Some(keep), Some(merge)) = (users.iter().find(|u| u.id == keep_id), users.iter().find(|u| u.id == merge_id)) else {
        return Ok(Err(Refusal::NotFound));
    };
    // Team accounts carry permissions and authorship: merging is for students.
    if keep.role != "student" || merge.role != "student" {
        return Ok(Err(Refusal::NotStudent));
    }
    let enrollments = rows::<EnrollmentRow>(&results[1])?;
    let access = |e: &EnrollmentRow| Access {
        start: e.start,
        end: e.end,
        active: e.active != 0,
        offer_id: e.offer_id,
        left_out: e.left_out,
        shift_days: e.shift_days,
        release_all: e.release_all != 0,
        last_lesson_id: e.last_lesson_id,
        last_seen_at: e.last_seen_at,
    };
    let (mut courses_moved, mut courses_combined) = (vec![], vec![]);
    for m in enrollments.iter().filter(|e| e.user_id == merge_id) {
        match enrollments.iter().find(|k| k.user_id == keep_id && k.course_id == m.course_id) {
            Some(k) => {
                let (kept, merged) = (access(k), access(m));
                courses_combined.push(Combined { course_id: m.course_id, course_title: m.course_title.clone(), result: rules::widest(&kept, &merged), kept, merged });
            }
            None => courses_moved.push(m.course_title.clone()),
        }
    }
    let counts = rows::<Counts>(&results[2])?.into_iter().next().ok_or(AppError::Internal)?;
    let answers: Vec<rules::Answer> = rows::<serde_json::Value>(&results[3])?
        .iter()
        .filter_map(|r| Some((r["id"].as_i64()?, r["lesson_id"].as_i64()?, r["attempt"].as_i64()?)))
        .collect();
    let kept_last: HashMap<i64, i64> = rows::<serde_json::Value>(&results[4])?.iter().filter_map(|r| Some((r["lesson_id"].as_i64()?, r["attempt"].as_i64()?))).collect();
    #[derive(Deserialize)]
    struct CertificateRow {
        user_id: i64,
        course_id: i64,
        course_title: String,
    }
    let certificates = rows::<CertificateRow>(&results[5])?;
    let (mut certificates_moved, mut certificates_dropped) = (vec![], vec![]);
    for c in certificates.iter().filter(|c| c.user_id == merge_id) {
        if certificates.iter().any(|k| k.user_id == keep_id && k.course_id == c.course_id) {
            certificates_dropped.push(c.course_title.clone());
        } else {
            certificates_moved.push(c.course_title.clone());
        }
    }
    let mut aliases = vec![merge.email.clone()];
    aliases.extend(rows::<serde_json::Value>(&results[6])?.iter().filter_map(|r| r["email"].as_str().map(String::from)));
    let profile_of = |u: &UserRow| Profile {
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        display_name: u.display_name.clone(),
        locale: u.locale.clone(),
        note: u.note.clone(),
        created_at: u.created_at,
        last_login_at: u.last_login_at,
    };
    let card = |u: &UserRow| Account {
        id: u.id,
        email: u.email.clone(),
        name: if u.display_name.trim().is_empty() { format!("{} {}", u.first_name, u.last_name).trim().to_string() } else { u.display_name.clone() },
        status: u.status.clone(),
        created_at: u.created_at,
        last_login_at: u.last_login_at,
        courses: u.courses,
        completions: u.completions,
    };
    Ok(Ok(Plan {
        keep: card(keep),
        merge: card(merge),
        courses_moved,
        courses_combined,
        completions: counts.completions,
        completions_both: counts.completions_both,
        answers: counts.answers,
        certificates_moved,
        certificates_dropped,
        orders: counts.orders,
        notifications: counts.notifications,
        history: counts.history,
        sessions: counts.sessions,
        video_views: counts.video_views,
        lists: counts.lists,
        join_requests: counts.join_requests,
        files: counts.files,
        aliases,
        note_moves: !merge.note.trim().is_empty(),
        profile: rules::profile(&profile_of(keep), &profile_of(merge)),
        renumbered: rules::renumber(&kept_last, &answers),
    }))
}

/// Carries the plan out in one batch (all or nothing) and records it in the kept account's
/// history.
pub async fn merge(sdb: &SchoolDb, plan: &Plan, actor: i64, now: i64) -> Result<(), AppError> {
    let (keep, gone) = (int(plan.keep.id), int(plan.merge.id));
    let pair = [keep.clone(), gone.clone()];
    // The statements that move rows keyed by the account: ?2 the kept account, ?3 the merged.
    const MOVES: &[&str] = &[
        // Enrollments in a course both have: unlocks and notices go to the kept enrollment.
        "INSERT OR IGNORE INTO @lesson_unlocks (enrollment_id, lesson_id, created_at)
         SELECT k.id, u.lesson_id, u.created_at FROM @lesson_unlocks u JOIN @enrollments m ON m.id = u.enrollment_id JOIN @enrollments k ON k.course_id = m.course_id
         WHERE m.user_id = ?3 AND k.user_id = ?2",
        "INSERT OR IGNORE INTO @notices (enrollment_id, lesson_id, event, run_id, created_at)
         SELECT k.id, n.lesson_id, n.event, n.run_id, n.created_at FROM @notices n JOIN @enrollments m ON m.id = n.enrollment_id JOIN @enrollments k ON k.course_id = m.course_id
         WHERE m.user_id = ?3 AND k.user_id = ?2",
        "DELETE FROM @lesson_unlocks WHERE enrollment_id IN (SELECT m.id FROM @enrollments m JOIN @enrollments k ON k.course_id = m.course_id WHERE m.user_id = ?3 AND k.user_id = ?2)",
        "DELETE FROM @notices WHERE enrollment_id IN (SELECT m.id FROM @enrollments m JOIN @enrollments k ON k.course_id = m.course_id WHERE m.user_id = ?3 AND k.user_id = ?2)",
        "DELETE FROM @enrollments WHERE user_id = ?3 AND course_id IN (SELECT course_id FROM @enrollments WHERE user_id = ?2)",
        "UPDATE @enrollments SET user_id = ?2 WHERE user_id = ?3",
        // Progress: every lesson either did, on the earlier date.
        "INSERT INTO @completions (user_id, lesson_id, completed_at) SELECT ?2, lesson_id, completed_at FROM @completions WHERE user_id = ?3
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET completed_at = min(completed_at, excluded.completed_at)",
        "DELETE FROM @completions WHERE user_id = ?3",
        "UPDATE @submissions SET reviewer_id = ?2 WHERE reviewer_id = ?3",
        // A course both hold a certificate for keeps the kept account's (its address was shared).
        "DELETE FROM @certificates WHERE user_id = ?3 AND course_id IN (SELECT course_id FROM @certificates WHERE user_id = ?2)",
        "UPDATE @certificates SET user_id = ?2 WHERE user_id = ?3",
        "UPDATE @orders SET user_id = ?2 WHERE user_id = ?3 OR email = (SELECT email FROM @users WHERE id = ?3)",
        "DELETE FROM @join_requests WHERE user_id = ?3 AND offer_id IN (SELECT offer_id FROM @join_requests WHERE user_id = ?2)",
        "UPDATE @join_requests SET user_id = ?2 WHERE user_id = ?3",
        "UPDATE @join_requests SET decided_by = ?2 WHERE decided_by = ?3",
        "INSERT INTO @video_views (file_id, user_id, lesson_id, views, first_at, last_at, position_s)
         SELECT file_id, ?2, lesson_id, views, first_at, last_at, position_s FROM @video_views WHERE user_id = ?3
         ON CONFLICT (file_id, user_id) DO UPDATE SET views = views + excluded.views, first_at = min(first_at, excluded.first_at),
            last_at = max(last_at, excluded.last_at), position_s = CASE WHEN excluded.last_at > last_at THEN excluded.position_s ELSE position_s END",
        "DELETE FROM @video_views WHERE user_id = ?3",
        "UPDATE @notifications SET user_id = ?2 WHERE user_id = ?3",
        "UPDATE @files* SET owner_id = ?2 WHERE owner_id = ?3",
        "UPDATE @uploads SET owner_id = ?2 WHERE owner_id = ?3",
        // A code or link in flight for the merged address now opens the kept account.
        "UPDATE @login_requests SET user_id = ?2 WHERE user_id = ?3",
        // The merged account's sessions end.
        "DELETE FROM @sessions WHERE user_id = ?3",
        "INSERT OR IGNORE INTO saved_list_members (list_id, user_id) SELECT m.list_id, ?2 FROM saved_list_members m JOIN @saved_lists l ON l.id = m.list_id WHERE m.user_id = ?3",
        "DELETE FROM saved_list_members WHERE user_id = ?3 AND list_id IN (SELECT id FROM @saved_lists)",
        "INSERT OR IGNORE INTO bulk_results (run_id, user_id, ok, message) SELECT r.run_id, ?2, r.ok, r.message FROM bulk_results r JOIN @bulk_runs b ON b.id = r.run_id WHERE r.user_id = ?3",
        "DELETE FROM bulk_results WHERE user_id = ?3 AND run_id IN (SELECT id FROM @bulk_runs)",
        "UPDATE @audit_log SET user_id = ?2 WHERE user_id = ?3",
        "UPDATE @audit_log SET actor_id = ?2 WHERE actor_id = ?3",
        "UPDATE @imports SET created_by = ?2 WHERE created_by = ?3",
        "UPDATE @bulk_runs SET actor_id = ?2 WHERE actor_id = ?3",
        "UPDATE @user_aliases SET user_id = ?2 WHERE user_id = ?3",
    ];
    let mut statements = vec![];
    for c in &plan.courses_combined {
        let r = &c.result;
        statements.push(sdb.stmt(
            "UPDATE @enrollments SET access_start = ?4, access_end = ?5, status = ?6, offer_id = ?7, shift_days = ?8, release_all = ?9,
                last_lesson_id = ?10, last_seen_at = ?11, next_notice_at = ?12 WHERE user_id = ?2 AND course_id = ?3",
            &[
                keep.clone(),
                int(c.course_id),
                int(r.start),
                opt_int(r.end),
                text(if r.active { "active" } else { "revoked" }),
                opt_int(r.offer_id),
                int(r.shift_days),
                int(r.release_all as i64),
                opt_int(r.last_lesson_id),
                opt_int(r.last_seen_at),
                int(now),
            ],
        )?);
    }
    // Answers keep their order after the kept account's own (`rules::renumber`).
    statements.push(sdb.stmt(
        "UPDATE @submissions SET user_id = ?2, attempt = (SELECT j.value ->> 1 FROM json_each(?4) j WHERE j.value ->> 0 = submissions.id) WHERE user_id = ?3",
        &[keep.clone(), gone.clone(), text(&serde_json::to_string(&plan.renumbered).map_err(|_| AppError::Internal)?)],
    )?);
    for sql in MOVES {
        statements.push(sdb.stmt(sql, &pair)?);
    }
    let p = &plan.profile;
    let detail = serde_json::json!({
        "merged": plan.merge.email,
        "courses": plan.courses_moved.len() + plan.courses_combined.len(),
        "completions": plan.completions,
        "answers": plan.answers,
        "certificates": plan.certificates_moved.len(),
        "orders": plan.orders,
    })
    .to_string();
    statements.extend([
        sdb.stmt(
            "UPDATE @users SET first_name = ?3, last_name = ?4, display_name = ?5, locale = ?6, note = ?7, created_at = ?8, last_login_at = ?9 WHERE id = ?2",
            &[keep.clone(), text(&p.first_name), text(&p.last_name), text(&p.display_name), p.locale.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL), text(&p.note), int(p.created_at), opt_int(p.last_login_at)],
        )?,
        // Last: every row naming the merged account has moved, or this fails and nothing did.
        sdb.stmt("DELETE FROM @users WHERE id = ?3 AND role = 'student'", &pair)?,
        sdb.stmt("INSERT INTO @user_aliases (email, user_id, merged_at) VALUES (?2, ?3, ?4)", &[text(&plan.merge.email), keep.clone(), int(now)])?,
        sdb.stmt(
            "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) VALUES (?2, ?3, 'accounts_merged', ?4, 'admin', ?5)",
            &[int(actor), keep, text(&detail), int(now)],
        )?,
    ]);
    sdb.batch(statements).await?;
    Ok(())
}

/// The address of the account an address leads to: itself, or, for the address of an account
/// merged into another, that account's. Invitations and imports use it, so a merged address
/// reaches the kept account instead of creating a second one again.
pub async fn resolve_aliases(sdb: &SchoolDb, emails: &[String]) -> Result<HashMap<String, String>, AppError> {
    if emails.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<serde_json::Value> = sdb
        .all(
            "SELECT a.email AS alias, u.email FROM @user_aliases a JOIN @users u ON u.id = a.user_id WHERE a.email IN (SELECT value FROM json_each(?2))",
            &[text(&serde_json::to_string(emails).map_err(|_| AppError::Internal)?)],
        )
        .await?;
    Ok(found.iter().filter_map(|r| Some((r["alias"].as_str()?.to_string(), r["email"].as_str()?.to_string()))).collect())
}

/// `resolve_aliases` for one address (the student Worker's joins and sales use it: no map).
pub async fn account_email(sdb: &SchoolDb, email: &str) -> Result<String, AppError> {
    let kept: Option<serde_json::Value> = sdb.first("SELECT u.email FROM @user_aliases a JOIN @users u ON u.id = a.user_id WHERE a.email = ?2", &[text(email)]).await?;
    Ok(kept.and_then(|r| r["email"].as_str().map(str::to_string)).unwrap_or_else(|| email.to_string()))
}

/// SQL for "the account this address logs in to" (`param`: the address), for reads that
/// find a person by the address they typed: their own account, or the one it was merged into.
pub fn account_by_email(param: &str) -> String {
    format!("(email = {param} OR id = (SELECT user_id FROM @user_aliases WHERE email = {param}))")
}
