-- Statuses and kinds become real CHECK constraints (they were triggers, 0002): each table
-- that has one is rebuilt with them (copy its rows aside, drop it, create it again, copy the
-- rows back, recreate its indexes). D1 keeps foreign keys on; deferred, they are checked at
-- the end of the migration: dropping a table counts its children's rows as orphans, and
-- putting each parent row back under the same name counts them as found again (a rename
-- would not), so every row must come back for the migration to commit. The constraint names
-- say the column, so a refused value reads "CHECK constraint failed: users.status"; the
-- Rust side (kernel::states) is compared with these lists by a test.
PRAGMA defer_foreign_keys = true;

-- schools
CREATE TABLE schools_copy AS SELECT * FROM schools;
DROP TABLE schools;
CREATE TABLE schools (
  id             INTEGER PRIMARY KEY,
  slug           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  default_locale TEXT NOT NULL DEFAULT 'fr',
  time_zone      TEXT NOT NULL DEFAULT 'Europe/Paris',
  -- 'pending' until the creator confirms their email; pending slugs free up after a day.
  status         TEXT NOT NULL DEFAULT 'pending',
  -- What an email with no account here receives on "send me a code": 'silent' (nothing)
  -- or 'notify' (an email saying there is no account and how to get access).
  unknown_email_policy TEXT NOT NULL DEFAULT 'silent',
  -- Trial-lesson embeds (server/embed.rs): the school's colour, the sites allowed to frame its
  -- embeds (one origin per line; empty: any site), and the version every change an embed
  -- shows bumps, which names the edge cache's entries (so a change is never served stale).
  brand_color    TEXT NOT NULL DEFAULT '#2d5bd7',
  embed_sites    TEXT NOT NULL DEFAULT '',
  embed_version  INTEGER NOT NULL DEFAULT 0,
  -- Hosts whose pages lessons may embed (one per line: www.canva.com, docs.google.com).
  lesson_embed_hosts TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  CONSTRAINT "schools.status" CHECK (status IN ('pending', 'active')),
  CONSTRAINT "schools.unknown_email_policy" CHECK (unknown_email_policy IN ('silent', 'notify'))
);
INSERT INTO schools (id, slug, name, default_locale, time_zone, status, unknown_email_policy, brand_color, embed_sites, embed_version, lesson_embed_hosts, created_at) SELECT id, slug, name, default_locale, time_zone, status, unknown_email_policy, brand_color, embed_sites, embed_version, lesson_embed_hosts, created_at FROM schools_copy;
DROP TABLE schools_copy;

-- users
CREATE TABLE users_copy AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  email         TEXT NOT NULL,            -- normalised (Email::parse)
  display_name  TEXT NOT NULL DEFAULT '',
  locale        TEXT,
  role          TEXT NOT NULL DEFAULT 'student',  -- owner | student
  status        TEXT NOT NULL DEFAULT 'active',   -- active | deactivated
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER,
  digest_opt_out INTEGER NOT NULL DEFAULT 0,   -- no "new lessons" emails
  first_name    TEXT NOT NULL DEFAULT '',
  last_name     TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',       -- the creator's, never shown to the student
  UNIQUE (school_id, email),
  CONSTRAINT "users.role" CHECK (role IN ('owner', 'assistant', 'curator', 'student')),
  CONSTRAINT "users.status" CHECK (status IN ('active', 'deactivated'))
);
INSERT INTO users (id, school_id, email, display_name, locale, role, status, created_at, last_login_at, digest_opt_out, first_name, last_name, note) SELECT id, school_id, email, display_name, locale, role, status, created_at, last_login_at, digest_opt_out, first_name, last_name, note FROM users_copy;
DROP TABLE users_copy;

-- courses
CREATE TABLE courses_copy AS SELECT * FROM courses;
DROP TABLE courses;
CREATE TABLE courses (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  slug        TEXT NOT NULL,
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cover_url   TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'draft',  -- draft | published
  -- Drip (domain/drip.rs): days count from each student's access start ('evergreen') or from
  -- cohort_start for everyone ('cohort'); access_days ends access that many days after start.
  access_mode  TEXT NOT NULL DEFAULT 'evergreen',
  cohort_start INTEGER,
  access_days  INTEGER,
  -- Presentation: the author ("public person") and a banner above the program (Markdown,
  -- sanitized at save time like lessons).
  author_name  TEXT NOT NULL DEFAULT '',
  author_bio   TEXT NOT NULL DEFAULT '',
  banner_md    TEXT NOT NULL DEFAULT '',
  banner_html  TEXT NOT NULL DEFAULT '',
  -- Program display: 'list' (one list) or 'modules' (lessons under their module headings);
  -- whether lesson durations show.
  program_layout TEXT NOT NULL DEFAULT 'list',
  show_durations INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER                         -- soft delete,
  CONSTRAINT "courses.status" CHECK (status IN ('draft', 'published')),
  CONSTRAINT "courses.access_mode" CHECK (access_mode IN ('evergreen', 'cohort')),
  CONSTRAINT "courses.program_layout" CHECK (program_layout IN ('list', 'modules'))
);
INSERT INTO courses (id, school_id, slug, title, description, cover_url, status, access_mode, cohort_start, access_days, author_name, author_bio, banner_md, banner_html, program_layout, show_durations, created_at, updated_at, deleted_at) SELECT id, school_id, slug, title, description, cover_url, status, access_mode, cohort_start, access_days, author_name, author_bio, banner_md, banner_html, program_layout, show_durations, created_at, updated_at, deleted_at FROM courses_copy;
DROP TABLE courses_copy;
CREATE UNIQUE INDEX courses_slug ON courses (school_id, slug) WHERE deleted_at IS NULL;

-- lessons
CREATE TABLE lessons_copy AS SELECT * FROM lessons;
DROP TABLE lessons;
CREATE TABLE lessons (
  id           INTEGER PRIMARY KEY,
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  title        TEXT NOT NULL,
  content_md   TEXT NOT NULL DEFAULT '',
  content_html TEXT NOT NULL DEFAULT '',       -- sanitized at save time, served as is
  position     INTEGER NOT NULL,
  status       TEXT NOT NULL DEFAULT 'draft',
  -- When it opens: 'immediately' | 'date' (open_at = local 'YYYY-MM-DDTHH:MM') |
  -- 'days' (open_days after the start, at local open_at 'HH:MM') | 'after_previous'.
  open_rule    TEXT NOT NULL DEFAULT 'immediately',
  open_days    INTEGER,
  open_at      TEXT,
  -- When it closes: 'never' | 'date' | 'days' | 'access_end', same columns.
  close_rule   TEXT NOT NULL DEFAULT 'never',
  close_days   INTEGER,
  close_at     TEXT,
  -- A trial lesson is readable by anyone (public page and embed) while it and its course are
  -- published. embed_id (128 random bits) is the embed URL; regenerating it revokes old embeds.
  trial        INTEGER NOT NULL DEFAULT 0,
  embed_id     TEXT,
  -- A checkpoint: the lessons after it stay locked (drip engine) until the student's answer
  -- to this lesson's assignment or quiz is approved.
  checkpoint   INTEGER NOT NULL DEFAULT 0,
  -- Program display: the module heading this lesson sits under, and its length.
  module       TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  deleted_at   INTEGER,
  CONSTRAINT "lessons.status" CHECK (status IN ('draft', 'published')),
  CONSTRAINT "lessons.open_rule" CHECK (open_rule IN ('immediately', 'date', 'days', 'after_previous')),
  CONSTRAINT "lessons.close_rule" CHECK (close_rule IN ('never', 'date', 'days', 'access_end'))
);
INSERT INTO lessons (id, school_id, course_id, title, content_md, content_html, position, status, open_rule, open_days, open_at, close_rule, close_days, close_at, trial, embed_id, checkpoint, module, duration_minutes, created_at, updated_at, deleted_at) SELECT id, school_id, course_id, title, content_md, content_html, position, status, open_rule, open_days, open_at, close_rule, close_days, close_at, trial, embed_id, checkpoint, module, duration_minutes, created_at, updated_at, deleted_at FROM lessons_copy;
DROP TABLE lessons_copy;
CREATE INDEX lessons_by_course ON lessons (school_id, course_id, position);
CREATE INDEX lessons_by_course_id ON lessons (course_id);
CREATE UNIQUE INDEX lessons_by_embed_id ON lessons (embed_id) WHERE embed_id IS NOT NULL;

-- enrollments
CREATE TABLE enrollments_copy AS SELECT * FROM enrollments;
DROP TABLE enrollments;
CREATE TABLE enrollments (
  id           INTEGER PRIMARY KEY,
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  access_start INTEGER NOT NULL,
  access_end   INTEGER,
  status       TEXT NOT NULL DEFAULT 'active',  -- active | revoked
  shift_days   INTEGER NOT NULL DEFAULT 0,      -- "freeze": this student's schedule moves
  release_all  INTEGER NOT NULL DEFAULT 0,      -- "release everything" for this student
  -- The digest (server/digest.rs) looks at an enrollment only when next_notice_at is due:
  -- its work follows due notices, not the number of enrollments.
  next_notice_at INTEGER,
  last_notice_at INTEGER,
  notice_run     TEXT,                          -- the run that claimed it
  notice_claimed_at INTEGER,
  created_at   INTEGER NOT NULL,
  UNIQUE (user_id, course_id),
  CONSTRAINT "enrollments.status" CHECK (status IN ('active', 'revoked'))
);
INSERT INTO enrollments (id, school_id, user_id, course_id, access_start, access_end, status, shift_days, release_all, next_notice_at, last_notice_at, notice_run, notice_claimed_at, created_at) SELECT id, school_id, user_id, course_id, access_start, access_end, status, shift_days, release_all, next_notice_at, last_notice_at, notice_run, notice_claimed_at, created_at FROM enrollments_copy;
DROP TABLE enrollments_copy;
-- With the status: a course's active students are counted from the index alone (the report,
-- the course page), not by reading each enrollment.
CREATE INDEX enrollments_by_course ON enrollments (school_id, course_id, status);
CREATE INDEX enrollments_claimed ON enrollments (notice_run) WHERE notice_run IS NOT NULL;
CREATE INDEX enrollments_due ON enrollments (next_notice_at);
-- A student's enrollments, found by the student: the directory's course counts and filters
-- (per student row), the explainer, imports. Before, these scanned the school's enrollments.
CREATE INDEX enrollments_by_user ON enrollments (school_id, user_id);

-- outbox
CREATE TABLE outbox_copy AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  school_id       INTEGER,
  to_addr         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  kind            TEXT NOT NULL,           -- login | signup | invite | reminder | no_account
  -- Login emails hold placeholders, not the code and link: those are derived from this
  -- request's seed with the server key when the email is handed to the provider (or shown
  -- in the dev mailbox). A copy of D1 holds no usable secret.
  login_request_id TEXT,
  status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  provider_id     TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  CONSTRAINT "outbox.status" CHECK (status IN ('pending', 'sent', 'failed', 'delivered', 'bounced', 'complained'))
);
INSERT INTO outbox (id, school_id, to_addr, subject, text_body, html_body, kind, login_request_id, status, attempts, next_attempt_at, last_error, provider_id, created_at, sent_at) SELECT id, school_id, to_addr, subject, text_body, html_body, kind, login_request_id, status, attempts, next_attempt_at, last_error, provider_id, created_at, sent_at FROM outbox_copy;
DROP TABLE outbox_copy;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- imports
CREATE TABLE imports_copy AS SELECT * FROM imports;
DROP TABLE imports;
CREATE TABLE imports (
  id            TEXT PRIMARY KEY,              -- random public id
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  created_by    INTEGER NOT NULL REFERENCES users(id),
  file_name     TEXT NOT NULL,
  separator     TEXT NOT NULL,
  columns_json  TEXT NOT NULL,                 -- domain::import::Columns
  total_rows    INTEGER NOT NULL,
  rejected_rows INTEGER NOT NULL,
  warning_rows  INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'previewed', -- previewed | running | done
  options_json  TEXT,
  processed     INTEGER NOT NULL DEFAULT 0,
  created       INTEGER NOT NULL DEFAULT 0,
  updated       INTEGER NOT NULL DEFAULT 0,
  enrolled      INTEGER NOT NULL DEFAULT 0,
  unchanged     INTEGER NOT NULL DEFAULT 0,
  invited       INTEGER NOT NULL DEFAULT 0,
  statements    INTEGER NOT NULL DEFAULT 0,      -- D1 statements the run sent (reads included)
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  CONSTRAINT "imports.status" CHECK (status IN ('previewed', 'running', 'done'))
);
INSERT INTO imports (id, school_id, created_by, file_name, separator, columns_json, total_rows, rejected_rows, warning_rows, status, options_json, processed, created, updated, enrolled, unchanged, invited, statements, created_at, started_at, finished_at) SELECT id, school_id, created_by, file_name, separator, columns_json, total_rows, rejected_rows, warning_rows, status, options_json, processed, created, updated, enrolled, unchanged, invited, statements, created_at, started_at, finished_at FROM imports_copy;
DROP TABLE imports_copy;
CREATE INDEX imports_by_school ON imports (school_id, created_at);

-- submissions
CREATE TABLE submissions_copy AS SELECT * FROM submissions;
DROP TABLE submissions;
CREATE TABLE submissions (
  id           INTEGER PRIMARY KEY,
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  lesson_id    INTEGER NOT NULL REFERENCES lessons(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  kind         TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  answer_text  TEXT NOT NULL DEFAULT '',
  answer_link  TEXT NOT NULL DEFAULT '',
  answers_json TEXT NOT NULL DEFAULT '[]',     -- quiz and survey: [domain::tasks::Given]
  score        INTEGER,
  max_score    INTEGER,
  -- assignment: pending | approved | returned; quiz: approved (passed) | failed; survey: answered
  status       TEXT NOT NULL,
  comment      TEXT NOT NULL DEFAULT '',
  reviewer_id  INTEGER REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  reviewed_at  INTEGER,
  UNIQUE (lesson_id, user_id, attempt),
  CONSTRAINT "submissions.kind" CHECK (kind IN ('assignment', 'quiz', 'survey')),
  CONSTRAINT "submissions.status" CHECK (status IN ('pending', 'approved', 'returned', 'failed', 'answered'))
);
INSERT INTO submissions (id, school_id, course_id, lesson_id, user_id, kind, attempt, answer_text, answer_link, answers_json, score, max_score, status, comment, reviewer_id, created_at, reviewed_at) SELECT id, school_id, course_id, lesson_id, user_id, kind, attempt, answer_text, answer_link, answers_json, score, max_score, status, comment, reviewer_id, created_at, reviewed_at FROM submissions_copy;
DROP TABLE submissions_copy;
CREATE INDEX submissions_by_course ON submissions (school_id, course_id, status);
CREATE INDEX submissions_by_user ON submissions (user_id, lesson_id);

-- lesson_tasks
CREATE TABLE lesson_tasks_copy AS SELECT * FROM lesson_tasks;
DROP TABLE lesson_tasks;
CREATE TABLE lesson_tasks (
  lesson_id       INTEGER PRIMARY KEY REFERENCES lessons(id),
  school_id       INTEGER NOT NULL REFERENCES schools(id),
  kind            TEXT NOT NULL,               -- assignment | quiz | survey
  prompt          TEXT NOT NULL DEFAULT '',    -- what to do (plain text)
  answer_kind     TEXT NOT NULL DEFAULT 'either', -- assignment: text | link | either
  review_required INTEGER NOT NULL DEFAULT 1,  -- assignment: the team approves or returns it
  pass_percent    INTEGER NOT NULL DEFAULT 0,  -- quiz: score needed to pass (auto-approved)
  max_attempts    INTEGER NOT NULL DEFAULT 0,  -- quiz: 0 = unlimited
  questions_json  TEXT NOT NULL DEFAULT '[]',  -- quiz and survey: [domain::tasks::Question]
  updated_at      INTEGER NOT NULL,
  CONSTRAINT "lesson_tasks.kind" CHECK (kind IN ('assignment', 'quiz', 'survey')),
  CONSTRAINT "lesson_tasks.answer_kind" CHECK (answer_kind IN ('text', 'link', 'either'))
);
INSERT INTO lesson_tasks (lesson_id, school_id, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, updated_at) SELECT lesson_id, school_id, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, updated_at FROM lesson_tasks_copy;
DROP TABLE lesson_tasks_copy;

-- login_requests
CREATE TABLE login_requests_copy AS SELECT * FROM login_requests;
DROP TABLE login_requests;
CREATE TABLE login_requests (
  id            TEXT PRIMARY KEY,          -- random public id (128 bits)
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  user_id       INTEGER REFERENCES users(id),  -- NULL when the email has no account here
  email         TEXT NOT NULL,
  purpose       TEXT NOT NULL DEFAULT 'login', -- login | signup | invite | reminder
  seed          TEXT NOT NULL,
  code_hash     TEXT,                      -- NULL: link only (access reminders)
  link_hash     TEXT NOT NULL UNIQUE,
  -- The browser that asked holds `id.secret` in its login cookie; only the hash is here.
  -- It alone may finish a login confirmed from another device.
  browser_hash  TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  sent_count    INTEGER NOT NULL DEFAULT 1,
  last_sent_at  INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  consumed_at   INTEGER,
  consumed_session TEXT,                   -- the session that consuming opened
  approved_at   INTEGER,                   -- the confirmer chose "also log in on that device"
  finished_at   INTEGER,                   -- ...and the waiting browser did
  finished_session TEXT,
  next_path     TEXT,                      -- where the link leads once confirmed (a digest: the new lesson)
  ip            TEXT,
  user_agent    TEXT,
  CONSTRAINT "login_requests.purpose" CHECK (purpose IN ('login', 'signup', 'invite', 'reminder', 'digest'))
);
INSERT INTO login_requests (id, school_id, user_id, email, purpose, seed, code_hash, link_hash, browser_hash, created_at, expires_at, sent_count, last_sent_at, attempts, consumed_at, consumed_session, approved_at, finished_at, finished_session, next_path, ip, user_agent) SELECT id, school_id, user_id, email, purpose, seed, code_hash, link_hash, browser_hash, created_at, expires_at, sent_count, last_sent_at, attempts, consumed_at, consumed_session, approved_at, finished_at, finished_session, next_path, ip, user_agent FROM login_requests_copy;
DROP TABLE login_requests_copy;
CREATE INDEX login_requests_by_email ON login_requests (school_id, email, expires_at);

-- A lesson's completions by date: the course report's 30-day chart read every school's
-- completions without it.
CREATE INDEX completions_by_lesson ON completions (lesson_id, completed_at);
