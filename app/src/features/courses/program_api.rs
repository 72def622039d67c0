//! Changing a course's outline from its page: modules created, renamed, moved and removed
//! when empty; lessons moved a step, into a module, or before another lesson (drag and drop).
//! One form handler (`action`): read the outline, change it (`program::Outline`), write it
//! back whole in one batch.

use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// `action`: create_module (`title`), rename_module (`module`, `title`), module_up,
/// module_down, remove_module (`module`), lesson_up, lesson_down (`lesson_id`), lesson_into
/// (`lesson_id`, `to`: a module's title), lesson_before (`lesson_id`, `to`: a lesson's id).
#[server(prefix = "/admin/api", endpoint = "change_program")]
#[allow(clippy::too_many_arguments)]
pub async fn change_program(course_id: String, action: String, module: Option<String>, title: Option<String>, lesson_id: Option<String>, to: Option<String>, back: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::features::courses::program::LessonMove;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageCourses)?;
        let course_id = parse_id(&course_id)?;
        let page = back.as_deref().and_then(crate::kernel::next::safe_next).filter(|b| b.starts_with(&format!("/admin/courses/{course_id}"))).map(str::to_string).unwrap_or_else(|| format!("/admin/courses/{course_id}"));
        let (module, title) = (module.unwrap_or_default(), title.unwrap_or_default());
        let lesson = || lesson_id.as_deref().map(parse_id).transpose()?.ok_or(AppError::BadRequest("lesson_id".into()));
        let change = match action.as_str() {
            "create_module" => Change::Create(title.clone()),
            "rename_module" => Change::Rename(module.clone(), title.clone()),
            "module_up" | "module_down" => Change::MoveModule(module.clone(), action == "module_up"),
            "remove_module" => Change::Remove(module.clone()),
            "lesson_up" => Change::Lesson(lesson()?, LessonMove::Up),
            "lesson_down" => Change::Lesson(lesson()?, LessonMove::Down),
            "lesson_into" => match to {
                Some(module) => Change::Lesson(lesson()?, LessonMove::Into(module)),
                // The list's "Move to…" left as it was (no module chosen; "" is "no module").
                None => {
                    redirect(&format!("{}#program", crate::kernel::url::with_error(&page, "program_choose_module", &[])));
                    return Ok(());
                }
            },
            "lesson_before" => Change::Lesson(lesson()?, LessonMove::Before(parse_id(to.as_deref().unwrap_or(""))?)),
            _ => return Err(AppError::BadRequest("action".into())),
        };
        let db = crate::kernel::request::db()?;
        let sdb = crate::kernel::db::SchoolDb::new(&db, school_id);
        match ssr_impl::change(&sdb, course_id, &change).await? {
            Ok(()) => {
                embeds_changed(&db, school_id, ctx.now_ms).await?;
                redirect(&format!("{page}?ok=program_saved#program"));
            }
            Err(refused) => {
                let keep = [("title", title.as_str())];
                redirect(&format!("{}#program", crate::kernel::url::with_error(&page, refused.code(), if title.is_empty() { &[] } else { &keep })));
            }
        }
        Ok(())
    })
    .await
}

/// One change to an outline.
#[cfg(feature = "ssr")]
pub enum Change {
    Create(String),
    Rename(String, String),
    MoveModule(String, bool),
    Remove(String),
    Lesson(i64, crate::features::courses::program::LessonMove),
    /// Into the module of that title, created if new.
    Place(i64, String),
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::features::courses::program::{Outline, ProgramError};
    use crate::kernel::db::{int, rows, text, SchoolDb};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct ModuleRow {
        title: String,
    }

    #[derive(Deserialize)]
    struct LessonRow {
        id: i64,
        module: String,
    }

    /// Reads the course's outline, applies `change` and writes the outline back (one batch),
    /// or says why not (nothing written). A course that is not the school's is not found.
    pub async fn change(sdb: &SchoolDb, course_id: i64, change: &Change) -> Result<Result<(), ProgramError>, AppError> {
        let results = sdb
            .batch(vec![
                sdb.stmt("SELECT id FROM @courses WHERE id = ?2", &[int(course_id)])?,
                sdb.stmt("SELECT title FROM @course_modules WHERE course_id = ?2 ORDER BY position", &[int(course_id)])?,
                sdb.stmt("SELECT id, module FROM @lessons WHERE course_id = ?2 ORDER BY position, id", &[int(course_id)])?,
            ])
            .await?;
        if rows::<serde_json::Value>(&results[0])?.is_empty() {
            return Err(AppError::NotFound);
        }
        let modules: Vec<String> = rows::<ModuleRow>(&results[1])?.into_iter().map(|m| m.title).collect();
        let lessons: Vec<(i64, String)> = rows::<LessonRow>(&results[2])?.into_iter().map(|l| (l.id, l.module)).collect();
        let mut outline = Outline::read(&modules, &lessons);
        let mut renamed = None;
        let applied = match change {
            Change::Create(title) => outline.create(title).map(|_| ()),
            Change::Rename(from, to) => outline.rename(from, to).map(|to| renamed = Some((from.clone(), to))),
            Change::MoveModule(title, up) => outline.move_module(title, *up),
            Change::Remove(title) => outline.remove_empty(title),
            Change::Lesson(id, to) => outline.move_lesson(*id, to),
            Change::Place(id, module) => outline.place(*id, module),
        };
        if let Err(refused) = applied {
            return Ok(Err(refused));
        }
        let mut writes = write(sdb, course_id, &outline)?;
        // Offers that include a module by its title follow its new name.
        if let Some((from, to)) = renamed {
            writes.push(sdb.stmt(
                "UPDATE @offer_items SET module = ?3 WHERE kind = 'module' AND module = ?2 AND offer_id IN (SELECT id FROM @offers* WHERE course_id = ?4)",
                &[text(&from), text(&to), int(course_id)],
            )?);
        }
        sdb.batch(writes).await?;
        Ok(Ok(()))
    }

    /// The statements that store `outline`: its modules' order and every lesson's place.
    fn write(sdb: &SchoolDb, course_id: i64, outline: &Outline) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
        let modules = serde_json::to_string(&outline.module_places()).map_err(|_| AppError::Internal)?;
        let lessons = serde_json::to_string(&outline.lesson_places()).map_err(|_| AppError::Internal)?;
        Ok(vec![
            sdb.stmt("DELETE FROM @course_modules WHERE course_id = ?2", &[int(course_id)])?,
            sdb.stmt(
                "INSERT INTO @course_modules (course_id, title, position) SELECT ?2, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?3)",
                &[int(course_id), text(&modules)],
            )?,
            sdb.stmt(
                "UPDATE @lessons SET position = (SELECT json_extract(j.value, '$[1]') FROM json_each(?3) j WHERE json_extract(j.value, '$[0]') = lessons.id),
                    module = (SELECT json_extract(j.value, '$[2]') FROM json_each(?3) j WHERE json_extract(j.value, '$[0]') = lessons.id)
                 WHERE course_id = ?2 AND id IN (SELECT json_extract(value, '$[0]') FROM json_each(?3))",
                &[int(course_id), text(&lessons)],
            )?,
        ])
    }
}
