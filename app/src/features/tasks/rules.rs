//! What a lesson can ask of its student: an assignment (a text or a link, reviewed by the
//! team or accepted as is), a quiz (choices with points, a pass mark, limited attempts) or a
//! survey (questions without right answers). Pure rules: the question list's text format,
//! answer checks, scoring and whether another attempt is allowed.

use serde::{Deserialize, Serialize};

/// An assignment's answer text: a long essay fits, a pasted book does not.
pub const MAX_ANSWER_CHARS: usize = 20_000;
/// A returned assignment's comment, and a survey's free-text answer.
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// A quiz or survey longer than this is a copy-paste accident.
pub const MAX_QUESTIONS: usize = 100;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_QUESTION_CHARS: usize = 1_000;
/// Points per question: enough for weighting, small enough that totals never overflow.
pub const MAX_POINTS: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    Assignment,
    Quiz,
    Survey,
}

impl TaskKind {
    pub const ALL: &'static [TaskKind] = &[TaskKind::Assignment, TaskKind::Quiz, TaskKind::Survey];
    pub fn parse(s: &str) -> Option<TaskKind> {
        match s {
            "assignment" => Some(TaskKind::Assignment),
            "quiz" => Some(TaskKind::Quiz),
            "survey" => Some(TaskKind::Survey),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Assignment => "assignment",
            TaskKind::Quiz => "quiz",
            TaskKind::Survey => "survey",
        }
    }
}

/// What an assignment's answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerKind {
    Text,
    Link,
    /// A text, a link, or both.
    Either,
}

impl AnswerKind {
    pub const ALL: &'static [AnswerKind] = &[AnswerKind::Text, AnswerKind::Link, AnswerKind::Either];
    pub fn parse(s: &str) -> AnswerKind {
        match s {
            "text" => AnswerKind::Text,
            "link" => AnswerKind::Link,
            _ => AnswerKind::Either,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Text => "text",
            AnswerKind::Link => "link",
            AnswerKind::Either => "either",
        }
    }
}

/// Files a student may attach to one answer: enough for pages of a notebook, few enough
/// for a curator to open.
pub const MAX_ANSWER_FILES: usize = 10;

/// An assignment's answer, checked: trimmed text within bounds, an http(s) link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub text: String,
    pub link: String,
}

impl Answer {
    /// `Err(message key)`. `files`: how many files go with the answer (they stand for the
    /// text: a drawing, a recording; a link is still a link).
    pub fn parse(kind: AnswerKind, text: &str, link: &str, files: usize) -> Result<Answer, &'static str> {
        let (text, link) = (text.trim(), link.trim());
        if text.chars().count() > MAX_ANSWER_CHARS {
            return Err("answer_too_long");
        }
        if !link.is_empty() && crate::features::tasks::weblink::WebLink::parse(link).is_none() {
            return Err("answer_link_invalid");
        }
        let missing = match kind {
            AnswerKind::Text => text.is_empty() && files == 0,
            AnswerKind::Link => link.is_empty(),
            AnswerKind::Either => text.is_empty() && link.is_empty() && files == 0,
        };
        if missing {
            return Err(match kind {
                AnswerKind::Text => "answer_text_required",
                AnswerKind::Link => "answer_link_required",
                AnswerKind::Either => "answer_required",
            });
        }
        Ok(Answer { text: text.to_string(), link: if kind == AnswerKind::Text { String::new() } else { link.to_string() } })
    }
}

/// Where an assignment stands for its student (the latest submission decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Review {
    Pending,
    Approved,
    Returned,
}

impl Review {
    pub fn parse(s: &str) -> Option<Review> {
        match s {
            "pending" => Some(Review::Pending),
            "approved" => Some(Review::Approved),
            "returned" => Some(Review::Returned),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Pending => "pending",
            Review::Approved => "approved",
            Review::Returned => "returned",
        }
    }
}

/// A new submission: waits for review, or is approved at once when no review is asked.
pub fn status_on_submit(review_required: bool) -> Review {
    if review_required { Review::Pending } else { Review::Approved }
}

/// A student may send an answer when they have none, or theirs was returned.
pub fn may_submit(latest: Option<Review>) -> bool {
    matches!(latest, None | Some(Review::Returned))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Quizzes only: a right answer.
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub text: String,
    /// Several answers may be ticked (checkboxes) rather than one (radio buttons).
    pub multiple: bool,
    pub points: u32,
    /// Empty: a free-text question (surveys only).
    pub choices: Vec<Choice>,
}

/// Why a question list was refused, with its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionsError {
    pub line: usize,
    pub code: &'static str,
}

/// Reads the question list a creator types, one line each:
///
/// ```text
/// Q: Capital of France? | 2      a question (one answer), worth 2 points (default 1)
/// * Paris                        a right answer
/// - Lyon                         a wrong one
/// Q+: Which are prime?           several answers may be ticked
/// ```
///
/// Surveys use the same lines without `*` (a question with no choices asks for a text).
pub fn parse_questions(source: &str, kind: TaskKind) -> Result<Vec<Question>, QuestionsError> {
    let mut questions: Vec<(usize, Question)> = vec![];
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let fail = |code| Err(QuestionsError { line, code });
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix("Q+:").map(|r| (r, true)).or_else(|| l.strip_prefix("Q:").map(|r| (r, false))) {
            let (body, multiple) = rest;
            let (text, points) = match body.rsplit_once('|') {
                Some((t, p)) => match p.trim().parse::<u32>() {
                    Ok(n) if (1..=MAX_POINTS).contains(&n) => (t.trim(), n),
                    _ => return fail("question_points_invalid"),
                },
                None => (body.trim(), 1),
            };
            if text.is_empty() {
                return fail("question_text_required");
            }
            if text.chars().count() > MAX_QUESTION_CHARS {
                return fail("question_too_long");
            }
            if questions.len() == MAX_QUESTIONS {
                return fail("questions_too_many");
            }
            questions.push((line, Question { text: text.to_string(), multiple, points, choices: vec![] }));
        } else if let Some((correct, text)) = l.strip_prefix('*').map(|t| (true, t)).or_else(|| l.strip_prefix('-').map(|t| (false, t))) {
            let Some((_, q)) = questions.last_mut() else { return fail("choice_before_question") };
            let text = text.trim();
            if text.is_empty() {
                return fail("choice_text_required");
            }
            if text.chars().count() > MAX_QUESTION_CHARS {
                return fail("question_too_long");
            }
            if correct && kind != TaskKind::Quiz {
                return fail("survey_no_right_answer");
            }
            if q.choices.len() == MAX_OPTIONS {
                return fail("choices_too_many");
            }
            q.choices.push(Choice { text: text.to_string(), correct });
        } else {
            return fail("question_line_unknown");
        }
    }
    if questions.is_empty() {
        return Err(QuestionsError { line: 1, code: "questions_required" });
    }
    for (line, q) in &questions {
        let fail = |code| Err(QuestionsError { line: *line, code });
        let right = q.choices.iter().filter(|c| c.correct).count();
        match kind {
            TaskKind::Quiz if q.choices.len() < 2 => return fail("quiz_needs_choices"),
            TaskKind::Quiz if right == 0 => return fail("quiz_needs_right_answer"),
            TaskKind::Quiz if right > 1 && !q.multiple => return fail("quiz_one_right_answer"),
            TaskKind::Survey if q.choices.len() == 1 => return fail("survey_needs_two_choices"),
            _ => {}
        }
    }
    Ok(questions.into_iter().map(|(_, q)| q).collect())
}

/// The question list back in the text format, as the creator's form shows it.
pub fn format_questions(questions: &[Question]) -> String {
    let mut out = String::new();
    for (i, q) in questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(if q.multiple { "Q+: " } else { "Q: " });
        out.push_str(&q.text);
        if q.points != 1 || q.text.contains('|') {
            out.push_str(&format!(" | {}", q.points));
        }
        out.push('\n');
        for c in &q.choices {
            out.push_str(if c.correct { "* " } else { "- " });
            out.push_str(&c.text);
            out.push('\n');
        }
    }
    out
}

/// A student's answer to one question: the chosen choices' indexes, or a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Given {
    pub chosen: Vec<usize>,
    pub text: String,
}

/// Reads answers from form fields `q{i}` (repeated for checkboxes) into one `Given` per
/// question; choices that do not exist are dropped, a single-answer question keeps one.
pub fn answers_from_form(questions: &[Question], fields: &[(String, String)]) -> Vec<Given> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let name = format!("q{i}");
            let values = fields.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str());
            if q.choices.is_empty() {
                let text: String = values.collect::<Vec<_>>().join(" ").trim().chars().take(MAX_COMMENT_CHARS).collect();
                return Given { chosen: vec![], text };
            }
            let mut chosen: Vec<usize> = values.filter_map(|v| v.trim().parse::<usize>().ok()).filter(|c| *c < q.choices.len()).collect();
            chosen.sort_unstable();
            chosen.dedup();
            if !q.multiple {
                chosen.truncate(1);
            }
            Given { chosen, text: String::new() }
        })
        .collect()
}

/// Every question answered? (Surveys: a free-text answer may be left empty.)
pub fn first_unanswered(questions: &[Question], given: &[Given]) -> Option<usize> {
    questions.iter().zip(given).position(|(q, g)| !q.choices.is_empty() && g.chosen.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub points: u32,
    pub max: u32,
}

impl Score {
    /// Rounded down: 69.9 % does not pass a 70 % mark.
    pub fn percent(self) -> u32 {
        if self.max == 0 { 0 } else { self.points * 100 / self.max }
    }
    pub fn passes(self, pass_percent: u32) -> bool {
        self.percent() >= pass_percent
    }
}

/// A question's points are won by choosing exactly its right answers (no partial credit: a
/// ticked wrong answer is as wrong as a missed right one).
pub fn question_right(q: &Question, g: &Given) -> bool {
    let right: Vec<usize> = q.choices.iter().enumerate().filter(|(_, c)| c.correct).map(|(i, _)| i).collect();
    !right.is_empty() && right == g.chosen
}

pub fn score(questions: &[Question], given: &[Given]) -> Score {
    let max = questions.iter().map(|q| q.points).sum();
    let points = questions.iter().zip(given).filter(|(q, g)| question_right(q, g)).map(|(q, _)| q.points).sum();
    Score { points, max }
}

/// A quiz's attempts: `max_attempts` 0 means unlimited; a passed quiz is done.
pub fn may_attempt(attempts_used: u32, max_attempts: u32, passed: bool) -> bool {
    !passed && (max_attempts == 0 || attempts_used < max_attempts)
}

/// Attempts left (`None`: unlimited).
pub fn attempts_left(attempts_used: u32, max_attempts: u32) -> Option<u32> {
    (max_attempts > 0).then(|| max_attempts.saturating_sub(attempts_used))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const QUIZ: &str = "Q: Capital of France? | 2\n* Paris\n- Lyon\n\nQ+: Which are prime?\n* 2\n* 3\n- 4\n";

    #[test]
    fn a_quiz_reads_with_points_and_multiple_answers() {
        let q = parse_questions(QUIZ, TaskKind::Quiz).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!((q[0].points, q[0].multiple, q[0].choices.len()), (2, false, 2));
        assert_eq!((q[1].points, q[1].multiple), (1, true));
        assert_eq!(q[1].choices.iter().filter(|c| c.correct).count(), 2);
        assert_eq!(parse_questions(&format_questions(&q), TaskKind::Quiz).unwrap(), q, "format and parse agree");
    }

    #[test]
    fn refused_question_lists_name_their_line() {
        let err = |s: &str, kind| parse_questions(s, kind).unwrap_err();
        assert_eq!(err("", TaskKind::Quiz), QuestionsError { line: 1, code: "questions_required" });
        assert_eq!(err("* Paris", TaskKind::Quiz), QuestionsError { line: 1, code: "choice_before_question" });
        assert_eq!(err("Q: a\n* b\n- c\nhello", TaskKind::Quiz), QuestionsError { line: 4, code: "question_line_unknown" });
        assert_eq!(err("Q: a | 0\n* b\n- c", TaskKind::Quiz).code, "question_points_invalid");
        assert_eq!(err("Q: a | 1000\n* b\n- c", TaskKind::Quiz).code, "question_points_invalid");
        assert_eq!(err("Q: a | x\n* b\n- c", TaskKind::Quiz).code, "question_points_invalid");
        assert_eq!(err("Q: a\n- b\n- c", TaskKind::Quiz), QuestionsError { line: 1, code: "quiz_needs_right_answer" });
        assert_eq!(err("Q: ok\n* b\n- c\nQ: a\n* b\n* c", TaskKind::Quiz), QuestionsError { line: 4, code: "quiz_one_right_answer" });
        assert_eq!(err("Q: a\n* b", TaskKind::Quiz).code, "quiz_needs_choices");
        assert_eq!(err("Q: |2\n* b\n- c", TaskKind::Quiz).code, "question_text_required");
        assert_eq!(err("Q: a\n* b\n- ", TaskKind::Quiz), QuestionsError { line: 3, code: "choice_text_required" });
        assert_eq!(err("Q: a\n* b\n- c", TaskKind::Survey), QuestionsError { line: 2, code: "survey_no_right_answer" });
        assert_eq!(err("Q: a\n- b", TaskKind::Survey).code, "survey_needs_two_choices");
        let many = "Q: a\n- b\n- c\n".repeat(MAX_QUESTIONS + 1);
        assert_eq!(err(&many, TaskKind::Survey), QuestionsError { line: 3 * MAX_QUESTIONS + 1, code: "questions_too_many" });
        assert_eq!(err(&format!("Q: {}", "x".repeat(MAX_QUESTION_CHARS + 1)), TaskKind::Survey).code, "question_too_long");
    }

    #[test]
    fn survey_questions_may_ask_for_a_text() {
        let q = parse_questions("Q: What did you like?\nQ+: Which formats?\n- Video\n- Text", TaskKind::Survey).unwrap();
        assert!(q[0].choices.is_empty());
        assert!(q[1].multiple);
        let given = answers_from_form(&q, &[("q0".into(), "  The videos  ".into()), ("q1".into(), "1".into()), ("q1".into(), "0".into())]);
        assert_eq!(given[0].text, "The videos");
        assert_eq!(given[1].chosen, vec![0, 1]);
        assert_eq!(first_unanswered(&q, &given), None);
        assert_eq!(first_unanswered(&q, &answers_from_form(&q, &[])), Some(1), "a choice question needs a choice; text may be empty");
    }

    #[test]
    fn scoring_is_all_or_nothing_per_question() {
        let q = parse_questions(QUIZ, TaskKind::Quiz).unwrap();
        let form = |pairs: &[(&str, &str)]| answers_from_form(&q, &pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>());
        assert_eq!(score(&q, &form(&[("q0", "0"), ("q1", "0"), ("q1", "1")])), Score { points: 3, max: 3 });
        assert_eq!(score(&q, &form(&[("q0", "0"), ("q1", "0")])), Score { points: 2, max: 3 }, "a missed right answer");
        assert_eq!(score(&q, &form(&[("q0", "0"), ("q1", "0"), ("q1", "1"), ("q1", "2")])), Score { points: 2, max: 3 }, "a ticked wrong answer");
        assert_eq!(score(&q, &form(&[("q0", "1"), ("q1", "0"), ("q1", "1")])), Score { points: 1, max: 3 });
        // A single-answer question keeps one choice, even when the form sends two.
        assert_eq!(form(&[("q0", "1"), ("q0", "0")])[0].chosen, vec![0]);
        // Choices that do not exist and junk are dropped.
        assert_eq!(form(&[("q1", "9"), ("q1", "x"), ("q1", "-1")])[1].chosen, Vec::<usize>::new());
        assert!(Score { points: 2, max: 3 }.passes(66));
        assert!(!Score { points: 2, max: 3 }.passes(67), "66.6 % rounds down");
    }

    #[test]
    fn attempts_are_limited_and_a_passed_quiz_is_done() {
        assert!(may_attempt(0, 2, false));
        assert!(may_attempt(1, 2, false));
        assert!(!may_attempt(2, 2, false));
        assert!(!may_attempt(0, 2, true));
        assert!(may_attempt(500, 0, false), "0 = unlimited");
        assert_eq!(attempts_left(1, 3), Some(2));
        assert_eq!(attempts_left(5, 3), Some(0));
        assert_eq!(attempts_left(5, 0), None);
    }

    #[test]
    fn assignment_answers_are_checked() {
        assert_eq!(Answer::parse(AnswerKind::Text, "  ", "", 0), Err("answer_text_required"));
        assert_eq!(Answer::parse(AnswerKind::Link, "hello", "", 0), Err("answer_link_required"));
        assert_eq!(Answer::parse(AnswerKind::Either, "", "", 0), Err("answer_required"));
        assert_eq!(Answer::parse(AnswerKind::Either, "", "javascript:alert(1)", 0), Err("answer_link_invalid"));
        assert_eq!(Answer::parse(AnswerKind::Either, "", "data:text/html,x", 0), Err("answer_link_invalid"));
        assert_eq!(Answer::parse(AnswerKind::Either, "", "//evil.example/x", 0), Err("answer_link_invalid"));
        assert_eq!(Answer::parse(AnswerKind::Either, "", "https://docs.google.com@evil.example/x", 0), Err("answer_link_invalid"));
        assert_eq!(Answer::parse(AnswerKind::Text, &"x".repeat(MAX_ANSWER_CHARS + 1), "", 0), Err("answer_too_long"));
        assert_eq!(Answer::parse(AnswerKind::Either, " essay ", " https://docs.example.com/x ", 0), Ok(Answer { text: "essay".into(), link: "https://docs.example.com/x".into() }));
        assert_eq!(Answer::parse(AnswerKind::Text, "essay", "https://x.test", 0).unwrap().link, "", "a text-only assignment keeps no link");
        // A file stands for the text, not for a link.
        assert!(Answer::parse(AnswerKind::Text, "", "", 1).is_ok());
        assert!(Answer::parse(AnswerKind::Either, "", "", 2).is_ok());
        assert_eq!(Answer::parse(AnswerKind::Link, "", "", 1), Err("answer_link_required"));
    }

    #[test]
    fn reviews_decide_who_may_submit_again() {
        assert_eq!(status_on_submit(true), Review::Pending);
        assert_eq!(status_on_submit(false), Review::Approved);
        assert!(may_submit(None));
        assert!(may_submit(Some(Review::Returned)));
        assert!(!may_submit(Some(Review::Pending)));
        assert!(!may_submit(Some(Review::Approved)));
        for r in [Review::Pending, Review::Approved, Review::Returned] {
            assert_eq!(Review::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn every_refusal_has_a_message() {
        for code in [
            "answer_too_long", "answer_link_invalid", "answer_text_required", "answer_link_required", "answer_required", "question_points_invalid", "question_text_required",
            "question_too_long", "questions_too_many", "choice_before_question", "choice_text_required", "survey_no_right_answer", "choices_too_many", "question_line_unknown",
            "questions_required", "quiz_needs_choices", "quiz_needs_right_answer", "quiz_one_right_answer", "survey_needs_two_choices",
        ] {
            assert!(crate::kernel::i18n::has_key(code), "{code}");
        }
    }

    proptest! {
        /// Whatever a form sends, a score stays within 0..=max and the answers point at
        /// existing choices.
        #[test]
        fn scores_stay_in_bounds(fields in proptest::collection::vec(("q[0-3]", "[0-9x-]{0,3}"), 0..12)) {
            let q = parse_questions(QUIZ, TaskKind::Quiz).unwrap();
            let given = answers_from_form(&q, &fields);
            for (question, g) in q.iter().zip(&given) {
                prop_assert!(g.chosen.iter().all(|c| *c < question.choices.len()));
            }
            let s = score(&q, &given);
            prop_assert!(s.points <= s.max && s.percent() <= 100);
        }

        /// Any text either parses into questions that format back to the same questions, or
        /// is refused with a line inside the text.
        #[test]
        fn question_lists_round_trip_or_name_a_line(src in "((Q\\+?: [a-z ]{0,8}( \\| [0-9]{1,3})?|[*-] [a-z]{0,5}|[a-z]{0,3})\n){0,8}") {
            match parse_questions(&src, TaskKind::Quiz) {
                Ok(q) => prop_assert_eq!(parse_questions(&format_questions(&q), TaskKind::Quiz).unwrap(), q),
                Err(e) => prop_assert!(e.line >= 1 && e.line <= src.lines().count().max(1)),
            }
        }
    }
}
