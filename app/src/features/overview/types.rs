//! What the overview page receives (read on the server while it renders: no serialization).

/// A figure and the list behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The i18n key of its label.
    pub label: &'static str,
    pub value: String,
    pub href: String,
}

/// A lesson opening on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub course_id: i64,
    pub course_title: String,
    pub lesson_title: String,
    /// "Tue 3 Mar at 09:00" in the school's time.
    pub when: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub figures: Vec<Figure>,
    pub openings: Vec<Opening>,
    /// Lessons completed per day over 30 days (SVG, drawn on the server).
    pub chart_svg: String,
    pub courses: i64,
}
