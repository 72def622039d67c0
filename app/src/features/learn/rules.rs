//! The student's way through a course, as pure rules over the program a page shows: where
//! "continue" leads, and which lessons previous / next lead to. Unit-tested here.

use crate::features::learn::types::LessonLink;
use crate::kernel::access::Status;

/// Readable now by this viewer (a published lesson open to them, or a trial lesson).
fn readable(l: &LessonLink) -> bool {
    !l.locked
}

/// Where "continue" leads: the lesson last opened if it is still readable and not done;
/// else the first readable lesson not done yet (in the program's order); else, everything
/// readable being done, the last one opened, or the first readable. `None`: nothing is
/// readable (the course has not started, or everything is locked).
pub fn continue_at(program: &[LessonLink], last_opened: Option<i64>) -> Option<&LessonLink> {
    let published = || program.iter().filter(|l| l.status == Status::Published);
    let last = last_opened.and_then(|id| published().find(|l| l.id == id && readable(l)));
    if let Some(l) = last.filter(|l| !l.completed) {
        return Some(l);
    }
    published().find(|l| readable(l) && !l.completed).or(last).or_else(|| published().find(|l| readable(l)))
}

/// Previous and next from a lesson: the nearest readable lessons before and after it, and
/// the lesson right after it when that one is locked (the page says when it opens).
pub struct Neighbours<'a> {
    pub previous: Option<&'a LessonLink>,
    pub next: Option<&'a LessonLink>,
    pub next_locked: Option<&'a LessonLink>,
}

pub fn neighbours(program: &[LessonLink], current: i64) -> Neighbours<'_> {
    let at = program.iter().position(|l| l.id == current);
    let Some(at) = at else { return Neighbours { previous: None, next: None, next_locked: None } };
    let previous = program[..at].iter().rev().find(|l| readable(l));
    let next = program[at + 1..].iter().find(|l| readable(l));
    let next_locked = program.get(at + 1).filter(|l| !readable(l));
    Neighbours { previous, next, next_locked }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(id: i64, locked: bool, completed: bool) -> LessonLink {
        LessonLink { id, title: format!("L{id}"), status: Status::Published, completed, locked, trial: false, note: None, module: String::new(), duration_minutes: None }
    }

    #[test]
    fn continue_leads_to_the_last_lesson_opened_unless_done_then_to_the_first_not_done() {
        let program = [lesson(1, false, true), lesson(2, false, false), lesson(3, false, false), lesson(4, true, false)];
        assert_eq!(continue_at(&program, None).map(|l| l.id), Some(2), "a new student: the first lesson not done");
        assert_eq!(continue_at(&program, Some(3)).map(|l| l.id), Some(3), "where they left off");
        assert_eq!(continue_at(&program, Some(1)).map(|l| l.id), Some(2), "the last one opened is done: the first not done");
        assert_eq!(continue_at(&program, Some(4)).map(|l| l.id), Some(2), "the last one opened is locked now");
        let done = [lesson(1, false, true), lesson(2, false, true), lesson(3, true, false)];
        assert_eq!(continue_at(&done, Some(1)).map(|l| l.id), Some(1), "all readable done: back to the last opened");
        assert_eq!(continue_at(&done, None).map(|l| l.id), Some(1));
        let closed = [lesson(1, true, false), lesson(2, true, false)];
        assert!(continue_at(&closed, None).is_none(), "nothing open yet");
    }

    #[test]
    fn previous_and_next_skip_locked_lessons_and_say_which_one_is_locked_next() {
        let program = [lesson(1, false, true), lesson(2, true, false), lesson(3, false, false), lesson(4, true, false), lesson(5, true, false)];
        let n = neighbours(&program, 3);
        assert_eq!((n.previous.map(|l| l.id), n.next.map(|l| l.id), n.next_locked.map(|l| l.id)), (Some(1), None, Some(4)));
        let n = neighbours(&program, 1);
        assert_eq!((n.previous.map(|l| l.id), n.next.map(|l| l.id), n.next_locked.map(|l| l.id)), (None, Some(3), Some(2)));
        assert!(neighbours(&program, 99).next.is_none());
    }
}
