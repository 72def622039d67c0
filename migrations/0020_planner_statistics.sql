-- The creator's pages over a big school (issue 18: 50,000 students).
--
-- Staff, "new this week" and the directory's counts read a school's users by role (and by
-- date joined): without this index each of them read every user of the school.
CREATE INDEX users_by_role ON users (school_id, role, created_at);

-- A course's enrollments by state, newest last, with their dates and student: "active
-- students" (the overview, the directory's course filters) reads the index alone, and a
-- course's page finds its newest students without sorting thousands. It replaces the index on
-- its first three columns, which it serves as well.
DROP INDEX IF EXISTS enrollments_by_course;
CREATE INDEX enrollments_by_course ON enrollments (school_id, course_id, status, created_at, access_start, access_end, user_id);

-- The query planner's statistics (sqlite_stat1). Without them SQLite guesses that
-- "school_id = ?" finds ten rows, and reads a 50,000-student school whole to probe a
-- handful of ids (a search, the active students). The hourly cron keeps them current
-- (`kernel::db::refresh_planner_statistics`); this gives a database that already holds schools its first ones.
-- 0x10012: analyse every table that may benefit, with SQLite's own time limit.
PRAGMA optimize = 0x10012;
