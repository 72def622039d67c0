-- The student's course (issue 17): where each student left off, so that "continue", the
-- dashboard and the emails that say "continue" lead back there.

-- The lesson a student last opened in the course, and when.
ALTER TABLE enrollments ADD COLUMN last_lesson_id INTEGER REFERENCES lessons(id);
ALTER TABLE enrollments ADD COLUMN last_seen_at INTEGER;

-- Where the student was in an uploaded video (seconds), kept by the player.
ALTER TABLE video_views ADD COLUMN position_s INTEGER;
