//! A course's outline: its modules in order, each with its lessons in order (lessons without a
//! module first). Every change to it — a module created, renamed, moved, removed when empty; a
//! lesson moved up, down or into another module — is made here and written back whole, so
//! lessons' positions always follow their modules. Pure.

/// Titles longer than this are refused (a module is a heading, not a paragraph).
pub const MODULE_TITLE_MAX: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// Empty: the lessons without a module (always first, never shown as a module).
    pub title: String,
    pub lessons: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outline {
    pub modules: Vec<Module>,
}

/// Why a change is refused: a message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramError {
    TitleRequired,
    TitleTooLong,
    /// Another module of the course has this title.
    TitleTaken,
    UnknownModule,
    UnknownLesson,
    /// Only an empty module can be removed (its lessons would lose their place).
    ModuleNotEmpty,
}

impl ProgramError {
    pub fn code(self) -> &'static str {
        match self {
            ProgramError::TitleRequired => "module_title_required",
            ProgramError::TitleTooLong => "module_too_long",
            ProgramError::TitleTaken => "module_title_taken",
            ProgramError::UnknownModule | ProgramError::UnknownLesson => "bad_request",
            ProgramError::ModuleNotEmpty => "module_not_empty",
        }
    }
}

/// Where a lesson goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonMove {
    /// One step; at a module's edge, into the neighbouring module.
    Up,
    Down,
    /// To the end of that module ("" = without a module).
    Into(String),
    /// Just before another lesson (drag and drop), in that lesson's module.
    Before(i64),
}

fn clean_title(title: &str) -> Result<String, ProgramError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(ProgramError::TitleRequired);
    }
    if title.chars().count() > MODULE_TITLE_MAX {
        return Err(ProgramError::TitleTooLong);
    }
    Ok(title)
}

impl Outline {
    /// From the course's modules (in their order) and its lessons (in their order, each with
    /// its module's title). A module a lesson names but the list lacks (a lesson copied from
    /// another course) comes after the listed ones, in the order its lessons come.
    pub fn read(modules: &[String], lessons: &[(i64, String)]) -> Outline {
        let mut outline = Outline { modules: vec![Module { title: String::new(), lessons: vec![] }] };
        for title in modules {
            if !title.is_empty() && outline.find(title).is_none() {
                outline.modules.push(Module { title: title.clone(), lessons: vec![] });
            }
        }
        for (id, module) in lessons {
            match outline.find(module) {
                Some(i) => outline.modules[i].lessons.push(*id),
                None => outline.modules.push(Module { title: module.clone(), lessons: vec![*id] }),
            }
        }
        outline
    }

    fn find(&self, title: &str) -> Option<usize> {
        self.modules.iter().position(|m| m.title == title)
    }

    fn lesson(&self, id: i64) -> Option<(usize, usize)> {
        self.modules.iter().enumerate().find_map(|(m, module)| module.lessons.iter().position(|l| *l == id).map(|i| (m, i)))
    }

    /// A new, empty module at the end.
    pub fn create(&mut self, title: &str) -> Result<String, ProgramError> {
        let title = clean_title(title)?;
        if self.find(&title).is_some() {
            return Err(ProgramError::TitleTaken);
        }
        self.modules.push(Module { title: title.clone(), lessons: vec![] });
        Ok(title)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<String, ProgramError> {
        let i = self.find(from).filter(|_| !from.is_empty()).ok_or(ProgramError::UnknownModule)?;
        let to = clean_title(to)?;
        if self.find(&to).is_some_and(|j| j != i) {
            return Err(ProgramError::TitleTaken);
        }
        self.modules[i].title = to.clone();
        Ok(to)
    }

    /// One step up or down among the modules (the lessons without a module stay first).
    pub fn move_module(&mut self, title: &str, up: bool) -> Result<(), ProgramError> {
        let i = self.find(title).filter(|_| !title.is_empty()).ok_or(ProgramError::UnknownModule)?;
        let j = if up { i.checked_sub(1).filter(|j| *j >= 1) } else { Some(i + 1).filter(|j| *j < self.modules.len()) };
        if let Some(j) = j {
            self.modules.swap(i, j);
        }
        Ok(())
    }

    pub fn remove_empty(&mut self, title: &str) -> Result<(), ProgramError> {
        let i = self.find(title).filter(|_| !title.is_empty()).ok_or(ProgramError::UnknownModule)?;
        if !self.modules[i].lessons.is_empty() {
            return Err(ProgramError::ModuleNotEmpty);
        }
        self.modules.remove(i);
        Ok(())
    }

    pub fn move_lesson(&mut self, id: i64, to: &LessonMove) -> Result<(), ProgramError> {
        let (m, i) = self.lesson(id).ok_or(ProgramError::UnknownLesson)?;
        match to {
            LessonMove::Up if i > 0 => self.modules[m].lessons.swap(i, i - 1),
            LessonMove::Up => {
                // Into the end of the nearest module above.
                if let Some(prev) = (0..m).next_back() {
                    self.modules[m].lessons.remove(i);
                    self.modules[prev].lessons.push(id);
                }
            }
            LessonMove::Down if i + 1 < self.modules[m].lessons.len() => self.modules[m].lessons.swap(i, i + 1),
            LessonMove::Down => {
                if m + 1 < self.modules.len() {
                    self.modules[m].lessons.remove(i);
                    self.modules[m + 1].lessons.insert(0, id);
                }
            }
            LessonMove::Into(title) => {
                let target = self.find(title).ok_or(ProgramError::UnknownModule)?;
                if target != m {
                    self.modules[m].lessons.remove(i);
                    self.modules[target].lessons.push(id);
                }
            }
            LessonMove::Before(other) => {
                if *other == id {
                    return Ok(());
                }
                self.lesson(*other).ok_or(ProgramError::UnknownLesson)?;
                self.modules[m].lessons.remove(i);
                let (tm, ti) = self.lesson(*other).ok_or(ProgramError::UnknownLesson)?;
                self.modules[tm].lessons.insert(ti, id);
            }
        }
        Ok(())
    }

    /// Into `module`, created at the end if the course has none of that title ("" = out of
    /// any module): the lesson page's module field.
    pub fn place(&mut self, id: i64, module: &str) -> Result<(), ProgramError> {
        let module = if module.trim().is_empty() { String::new() } else { clean_title(module)? };
        if self.find(&module).is_none() {
            self.modules.push(Module { title: module.clone(), lessons: vec![] });
        }
        self.move_lesson(id, &LessonMove::Into(module))
    }

    /// Each lesson's position (from 1, in reading order) and module.
    pub fn lesson_places(&self) -> Vec<(i64, i64, &str)> {
        self.modules.iter().flat_map(|m| m.lessons.iter().map(move |l| (*l, m.title.as_str()))).enumerate().map(|(p, (l, m))| (l, p as i64 + 1, m)).collect()
    }

    /// Each module's position (from 1), without the lessons that have none.
    pub fn module_places(&self) -> Vec<(&str, i64)> {
        self.modules.iter().filter(|m| !m.title.is_empty()).enumerate().map(|(p, m)| (m.title.as_str(), p as i64 + 1)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn outline() -> Outline {
        Outline::read(&["Bases".into(), "Couleurs".into(), "Vide".into()], &[(1, "".into()), (2, "Bases".into()), (3, "Bases".into()), (4, "Couleurs".into())])
    }

    fn titles(o: &Outline) -> Vec<(&str, Vec<i64>)> {
        o.modules.iter().map(|m| (m.title.as_str(), m.lessons.clone())).collect()
    }

    #[test]
    fn lessons_cross_module_edges_one_step_at_a_time() {
        let mut o = outline();
        o.move_lesson(2, &LessonMove::Up).unwrap();
        assert_eq!(titles(&o), vec![("", vec![1, 2]), ("Bases", vec![3]), ("Couleurs", vec![4]), ("Vide", vec![])]);
        o.move_lesson(4, &LessonMove::Down).unwrap();
        assert_eq!(titles(&o)[3], ("Vide", vec![4]), "into the empty module below");
        o.move_lesson(4, &LessonMove::Into("Bases".into())).unwrap();
        assert_eq!(titles(&o)[1], ("Bases", vec![3, 4]));
        o.move_lesson(1, &LessonMove::Before(4)).unwrap();
        assert_eq!(titles(&o)[1], ("Bases", vec![3, 1, 4]));
        assert_eq!(o.lesson_places(), vec![(2, 1, ""), (3, 2, "Bases"), (1, 3, "Bases"), (4, 4, "Bases")]);
        assert_eq!(o.move_lesson(9, &LessonMove::Up), Err(ProgramError::UnknownLesson));
        o.place(2, " Nouveau  module ").unwrap();
        assert_eq!(titles(&o).last().unwrap(), &("Nouveau module", vec![2]), "a module typed on the lesson page is created");
        o.place(2, "").unwrap();
        assert_eq!(titles(&o)[0].1, vec![2]);
    }

    #[test]
    fn modules_are_created_renamed_moved_and_removed_only_when_empty() {
        let mut o = outline();
        assert_eq!(o.create("  Bases "), Err(ProgramError::TitleTaken));
        assert_eq!(o.create(" "), Err(ProgramError::TitleRequired));
        assert_eq!(o.create(&"x".repeat(MODULE_TITLE_MAX + 1)), Err(ProgramError::TitleTooLong));
        assert_eq!(o.create("Projets   finaux").unwrap(), "Projets finaux");
        assert_eq!(o.rename("Couleurs", "Bases"), Err(ProgramError::TitleTaken));
        assert_eq!(o.rename("Couleurs", "Les couleurs").unwrap(), "Les couleurs");
        o.move_module("Les couleurs", true).unwrap();
        o.move_module("Les couleurs", true).unwrap();
        assert_eq!(o.module_places(), vec![("Les couleurs", 1), ("Bases", 2), ("Vide", 3), ("Projets finaux", 4)], "never above the lessons without a module");
        assert_eq!(o.lesson_places().iter().map(|p| p.0).collect::<Vec<_>>(), vec![1, 4, 2, 3], "lessons follow their modules");
        assert_eq!(o.remove_empty("Bases"), Err(ProgramError::ModuleNotEmpty));
        o.remove_empty("Vide").unwrap();
        assert_eq!(o.modules.len(), 4);
    }

    #[test]
    fn a_module_a_lesson_names_but_the_list_lacks_is_kept_where_its_lessons_are() {
        let o = Outline::read(&["B".into()], &[(1, "A".into()), (2, "B".into())]);
        assert_eq!(titles(&o), vec![("", vec![]), ("B", vec![2]), ("A", vec![1])]);
    }

    proptest! {
        /// Whatever is moved, every lesson is still there once, positions are 1..n, and a
        /// module's lessons are consecutive.
        #[test]
        fn moves_lose_nothing(moves in proptest::collection::vec((1i64..8, 0u8..4, 0usize..4), 0..40)) {
            let mut o = Outline::read(&["A".into(), "B".into(), "C".into()], &(1..8).map(|i| (i, ["", "A", "B", "C"][i as usize % 4].to_string())).collect::<Vec<_>>());
            for (lesson, kind, target) in moves {
                let to = match kind {
                    0 => LessonMove::Up,
                    1 => LessonMove::Down,
                    2 => LessonMove::Into(["", "A", "B", "C"][target].to_string()),
                    _ => LessonMove::Before(target as i64 + 1),
                };
                o.move_lesson(lesson, &to).unwrap();
            }
            let places = o.lesson_places();
            let mut ids: Vec<i64> = places.iter().map(|p| p.0).collect();
            ids.sort();
            prop_assert_eq!(ids, (1..8).collect::<Vec<_>>());
            prop_assert_eq!(places.iter().map(|p| p.1).collect::<Vec<_>>(), (1..8).collect::<Vec<_>>());
            let order: Vec<&str> = places.iter().map(|p| p.2).collect();
            let mut seen: Vec<&str> = vec![];
            for w in order.iter() {
                if seen.last() != Some(w) {
                    prop_assert!(!seen.contains(w), "a module's lessons are together");
                    seen.push(w);
                }
            }
        }
    }
}
