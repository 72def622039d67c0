//! A lesson's blocks, the creator's side: add, edit, reorder, delete; and the school's list
//! of hosts that embed blocks may show. Every block is checked (`lessons::blocks`) before it
//! is written; a refused one comes back to the form with the reason.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorBlock {
    pub id: i64,
    pub block: crate::features::lessons::blocks::Block,
}

crate::kernel::page_data! {
    pub async fn load_blocks(course_id: i64, lesson_id: i64) -> Result<Vec<EditorBlock>, AppError> {
        ssr_impl::load_blocks(course_id, lesson_id).await
    }
}

/// Adds (`block_id` empty) or saves a block.
#[server(prefix = "/admin/api", endpoint = "save_block")]
#[allow(clippy::too_many_arguments)]
pub async fn save_block(course_id: String, lesson_id: String, block_id: String, kind: String, text: Option<String>, url: Option<String>, label: Option<String>, title: Option<String>) -> Result<(), AppError> {
    send(async move {
        ssr_impl::save_block(&course_id, &lesson_id, &block_id, &kind, &text.unwrap_or_default(), &url.unwrap_or_default(), &label.unwrap_or_default(), &title.unwrap_or_default()).await
    })
    .await
}

/// `action`: `up`, `down` or `delete`.
#[server(prefix = "/admin/api", endpoint = "change_block")]
pub async fn change_block(course_id: String, lesson_id: String, block_id: String, action: String) -> Result<(), AppError> {
    send(async move { ssr_impl::change_block(&course_id, &lesson_id, &block_id, &action).await }).await
}

crate::kernel::page_data! {
    pub async fn load_lesson_hosts() -> Result<String, AppError> {
        let (_, school_id) = owner()?;
        let row: Option<serde_json::Value> = crate::kernel::db::first(&crate::kernel::request::db()?, "SELECT lesson_embed_hosts FROM schools WHERE id = ?1", &[crate::kernel::db::int(school_id)]).await?;
        Ok(row.and_then(|r| r["lesson_embed_hosts"].as_str().map(String::from)).unwrap_or_default())
    }
}

#[server(prefix = "/admin/api", endpoint = "save_lesson_hosts")]
pub async fn save_lesson_hosts(hosts: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, run, text};
        let (_, school_id) = owner()?;
        match crate::features::lessons::blocks::parse_hosts(&hosts) {
            Ok(list) => {
                run(&crate::kernel::request::db()?, "UPDATE schools SET lesson_embed_hosts = ?2 WHERE id = ?1", &[int(school_id), text(&list.join("\n"))]).await?;
                redirect("/admin/settings?ok=saved#hosts");
            }
            Err(line) => {
                let keep = if hosts.len() <= 1500 { hosts.as_str() } else { "" };
                redirect(&format!("{}#hosts", crate::kernel::url::with_error("/admin/settings", "hosts_invalid", &[("line", &line.to_string()), ("hosts", keep)])));
            }
        }
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::features::lessons::blocks::{parse_hosts, Block};
    use crate::kernel::db::{first, int, text, SchoolDb};
    use crate::kernel::request::db;
    use worker::D1Database;

    #[derive(Deserialize)]
    struct Row {
        id: i64,
        block_json: String,
    }

    /// The lesson's blocks in order (a lesson of this school).
    pub async fn blocks_of(db: &D1Database, school_id: i64, lesson_id: i64) -> Result<Vec<(i64, Block)>, AppError> {
        let found: Vec<Row> = SchoolDb::new(db, school_id).all("SELECT id, block_json FROM @lesson_blocks WHERE lesson_id = ?2 ORDER BY position, id", &[int(lesson_id)]).await?;
        Ok(found.into_iter().filter_map(|r| Block::from_json(&r.block_json).map(|b| (r.id, b))).collect())
    }

    async fn lesson_of_school(db: &D1Database, school_id: i64, course_id: i64, lesson_id: i64) -> Result<(), AppError> {
        let found: Option<serde_json::Value> = SchoolDb::new(db, school_id)
            .first("SELECT l.id FROM @lessons l JOIN @courses c ON c.id = l.course_id WHERE l.id = ?2 AND l.course_id = ?3", &[int(lesson_id), int(course_id)])
            .await?;
        found.map(|_| ()).ok_or(AppError::NotFound)
    }

    pub async fn load_blocks(course_id: i64, lesson_id: i64) -> Result<Vec<EditorBlock>, AppError> {
        let (ctx, school_id) = owner()?;
        let db = db()?;
        lesson_of_school(&db, school_id, course_id, lesson_id).await?;
        let blocks = blocks_of(&db, school_id, lesson_id).await?;
        keep_html(&db, school_id, lesson_id, &blocks, ctx.now_ms).await?;
        Ok(blocks.into_iter().map(|(id, block)| EditorBlock { id, block }).collect())
    }

    /// Blocks saved before their HTML was kept (migration 0009) get it when their lesson is
    /// opened in the editor: students then read them formatted again, not as plain text.
    async fn keep_html(db: &D1Database, school_id: i64, lesson_id: i64, blocks: &[(i64, Block)], now: i64) -> Result<(), AppError> {
        let school = SchoolDb::new(db, school_id);
        let missing: Vec<serde_json::Value> = school.all("SELECT id FROM @lesson_blocks WHERE lesson_id = ?2 AND html IS NULL", &[int(lesson_id)]).await?;
        let statements = blocks
            .iter()
            .filter(|(id, _)| missing.iter().any(|m| m["id"].as_i64() == Some(*id)))
            .filter_map(|(id, block)| block.render_stored().map(|html| (*id, html)))
            .map(|(id, html)| school.stmt("UPDATE @lesson_blocks SET html = ?3, updated_at = ?4 WHERE id = ?2 AND html IS NULL", &[int(id), text(&html), int(now)]))
            .collect::<Result<Vec<_>, _>>()?;
        if !statements.is_empty() {
            school.batch(statements).await?;
            // A trial lesson's embed shows them too.
            embeds_changed(db, school_id, now).await?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn save_block(course_id: &str, lesson_id: &str, block_id: &str, kind: &str, text_field: &str, url: &str, label: &str, title: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(course_id)?, parse_id(lesson_id)?);
        let page = format!("/admin/courses/{course_id}/lessons/{lesson_id}");
        let db = db()?;
        let school = SchoolDb::new(&db, school_id);
        lesson_of_school(&db, school_id, course_id, lesson_id).await?;
        let back = |code: &str| {
            redirect(&format!("{}#blocks", crate::kernel::url::with_error(&page, code, &[("block_kind", kind)])));
            Ok(())
        };
        let Some(block) = Block::from_form(kind, text_field, url, label, title) else { return back("block_kind_unknown") };
        let hosts_row: Option<serde_json::Value> = first(&db, "SELECT lesson_embed_hosts FROM schools WHERE id = ?1", &[int(school_id)]).await?;
        let hosts = parse_hosts(hosts_row.as_ref().and_then(|r| r["lesson_embed_hosts"].as_str()).unwrap_or("")).unwrap_or_default();
        if let Err(e) = block.check(&hosts) {
            return back(e.code);
        }
        // An uploaded video must be one of this school's.
        if let Block::Video { url } = &block {
            if let Ok(crate::features::lessons::video::VideoSource::Uploaded(id)) = crate::features::lessons::video::VideoSource::parse(url) {
                let found: Option<serde_json::Value> = school.first("SELECT f.id FROM @files f WHERE f.id = ?2 AND f.use = 'video'", &[text(&id)]).await?;
                if found.is_none() {
                    return back("video_not_uploaded");
                }
            }
        }
        let json = serde_json::to_string(&block).map_err(|_| AppError::Internal)?;
        // Text, spoiler and math are rendered here, once: students' pages read the HTML.
        let html = block.render_stored();
        let now = ctx.now_ms;
        if block_id.trim().is_empty() {
            school
                .run(
                    "INSERT INTO @lesson_blocks (lesson_id, position, block_json, html, created_at, updated_at)
                     VALUES (?2, COALESCE((SELECT MAX(position) FROM @lesson_blocks WHERE lesson_id = ?2), 0) + 1, ?3, ?5, ?4, ?4)",
                    &[int(lesson_id), text(&json), int(now), html.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL)],
                )
                .await?;
        } else {
            school
                .run(
                    "UPDATE @lesson_blocks SET block_json = ?4, html = ?6, updated_at = ?5 WHERE id = ?2 AND lesson_id = ?3",
                    &[int(parse_id(block_id)?), int(lesson_id), text(&json), int(now), html.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL)],
                )
                .await?;
        }
        school.run("UPDATE @lessons* SET updated_at = ?2 WHERE id = ?3", &[int(now), int(lesson_id)]).await?;
        embeds_changed(&db, school_id, now).await?;
        redirect(&format!("{page}?ok=saved#blocks"));
        Ok(())
    }

    pub async fn change_block(course_id: &str, lesson_id: &str, block_id: &str, action: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id, block_id) = (parse_id(course_id)?, parse_id(lesson_id)?, parse_id(block_id)?);
        let db = db()?;
        let school = SchoolDb::new(&db, school_id);
        lesson_of_school(&db, school_id, course_id, lesson_id).await?;
        match action {
            "delete" => {
                school.run("DELETE FROM @lesson_blocks WHERE id = ?2 AND lesson_id = ?3", &[int(block_id), int(lesson_id)]).await?;
            }
            "up" | "down" => {
                // Positions are renumbered in the new order.
                let mut ids: Vec<i64> = blocks_of(&db, school_id, lesson_id).await?.into_iter().map(|(id, _)| id).collect();
                if let Some(i) = ids.iter().position(|id| *id == block_id) {
                    let j = if action == "up" { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < ids.len()) };
                    if let Some(j) = j {
                        ids.swap(i, j);
                    }
                }
                school
                    .run(
                        "UPDATE @lesson_blocks SET position = (SELECT j.key + 1 FROM json_each(?3) j WHERE j.value = lesson_blocks.id) WHERE lesson_id = ?2",
                        &[int(lesson_id), text(&serde_json::to_string(&ids).map_err(|_| AppError::Internal)?)],
                    )
                    .await?;
            }
            _ => return Err(AppError::BadRequest("action".into())),
        }
        embeds_changed(&db, school_id, ctx.now_ms).await?;
        redirect(&format!("/admin/courses/{course_id}/lessons/{lesson_id}?ok=saved#blocks"));
        Ok(())
    }
}
