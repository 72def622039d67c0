-- Atelier: the schema as it stood when migrations began (before, schema.sql was applied whole).
-- Every row that belongs to a school carries school_id, and every query filters on it.
-- Times are unix milliseconds (UTC).

CREATE TABLE IF NOT EXISTS schools (
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
  created_at     INTEGER NOT NULL
);

-- An account belongs to one school: the same email in two schools is two accounts.
CREATE TABLE IF NOT EXISTS users (
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
  UNIQUE (school_id, email)
);

-- One row per login attempt ("send me a code", an invitation, an access reminder). The code
-- and link are derived from `seed` with the server key (a Worker secret): D1 alone holds
-- neither, only their hashes, yet a resend can send the same ones again.
CREATE TABLE IF NOT EXISTS login_requests (
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
  user_agent    TEXT
);
CREATE INDEX IF NOT EXISTS login_requests_by_email ON login_requests (school_id, email, expires_at);

-- The login timeline, and the counts behind every login limit (see domain/throttle.rs).
-- kind: code_sent | code_resent | no_account_sent | reminder_sent | invite_sent | link_view |
--       link_confirmed | code_used | code_wrong | locked | waiter_finished | rate_limited |
--       sessions_ended
CREATE TABLE IF NOT EXISTS login_events (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  email       TEXT NOT NULL,
  request_id  TEXT,
  kind        TEXT NOT NULL,
  at          INTEGER NOT NULL,
  ip          TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  had_cookies INTEGER NOT NULL DEFAULT 0,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS login_events_by_email ON login_events (school_id, email, kind, at);
CREATE INDEX IF NOT EXISTS login_events_by_ip ON login_events (ip, kind, at);

CREATE TABLE IF NOT EXISTS sessions (
  id                 TEXT PRIMARY KEY,     -- public half of the cookie
  school_id          INTEGER NOT NULL REFERENCES schools(id),
  user_id            INTEGER NOT NULL REFERENCES users(id),
  secret_hash        TEXT NOT NULL,        -- SHA-256 of the secret half
  created_at         INTEGER NOT NULL,
  last_seen_at       INTEGER NOT NULL,
  expires_at         INTEGER NOT NULL,     -- sliding: pushed back on use
  absolute_expires_at INTEGER NOT NULL,
  revoked_at         INTEGER,
  user_agent         TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (school_id, user_id);

CREATE TABLE IF NOT EXISTS courses (
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
  deleted_at  INTEGER                         -- soft delete
);
-- A deleted course frees its slug.
CREATE UNIQUE INDEX IF NOT EXISTS courses_slug ON courses (school_id, slug) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS lessons (
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
  deleted_at   INTEGER
);
CREATE INDEX IF NOT EXISTS lessons_by_course ON lessons (school_id, course_id, position);
CREATE UNIQUE INDEX IF NOT EXISTS lessons_by_embed_id ON lessons (embed_id) WHERE embed_id IS NOT NULL;

-- Trial views and call-to-action clicks, one row per lesson per day (the school's date).
CREATE TABLE IF NOT EXISTS embed_stats (
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  lesson_id   INTEGER NOT NULL REFERENCES lessons(id),
  day         TEXT NOT NULL,                  -- YYYY-MM-DD
  views       INTEGER NOT NULL DEFAULT 0,
  cta_clicks  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lesson_id, day)
);

CREATE TABLE IF NOT EXISTS enrollments (
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
  UNIQUE (user_id, course_id)
);
CREATE INDEX IF NOT EXISTS enrollments_due ON enrollments (next_notice_at);
-- A digest run finds what it claimed by this (only claimed rows are in the index).
CREATE INDEX IF NOT EXISTS enrollments_claimed ON enrollments (notice_run) WHERE notice_run IS NOT NULL;
CREATE INDEX IF NOT EXISTS lessons_by_course_id ON lessons (course_id);

-- One row per lesson event announced to a student: the unique key is what makes a digest
-- run idempotent (a notice is never sent twice).
CREATE TABLE IF NOT EXISTS notices (
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
  lesson_id     INTEGER NOT NULL REFERENCES lessons(id),
  event         TEXT NOT NULL,                  -- opened | closing
  run_id        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (enrollment_id, lesson_id, event)
);

-- A lesson unlocked by hand for one student.
CREATE TABLE IF NOT EXISTS lesson_unlocks (
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
  lesson_id     INTEGER NOT NULL REFERENCES lessons(id),
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (enrollment_id, lesson_id)
);
CREATE INDEX IF NOT EXISTS enrollments_by_course ON enrollments (school_id, course_id);

CREATE TABLE IF NOT EXISTS completions (
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  lesson_id    INTEGER NOT NULL REFERENCES lessons(id),
  completed_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, lesson_id)
);

-- Every email goes here first; the sender (or the dev mailbox) reads it.
CREATE TABLE IF NOT EXISTS outbox (
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
  sent_at         INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);

-- Student imports (server/imports.rs): the file as checked at upload (one row per line, with
-- its problems), the creator's options, progress and results. Nothing is written to users or
-- enrollments before "import"; each slice of rows is then written in one batch.
CREATE TABLE IF NOT EXISTS imports (
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
  finished_at   INTEGER
);
CREATE INDEX IF NOT EXISTS imports_by_school ON imports (school_id, created_at);

CREATE TABLE IF NOT EXISTS import_rows (
  import_id     TEXT NOT NULL REFERENCES imports(id),
  position      INTEGER NOT NULL,              -- 0-based order in the file
  line          INTEGER NOT NULL,
  checked_json  TEXT NOT NULL,                 -- domain::import::CheckedRow
  outcome       TEXT,                          -- created | updated | unchanged | rejected | repeat
  PRIMARY KEY (import_id, position)
);

-- Every change made to a student by an import or a bulk action: who, when, what, before/after.
CREATE TABLE IF NOT EXISTS audit_log (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  actor_id    INTEGER,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',        -- JSON: before / after
  source      TEXT NOT NULL DEFAULT '',        -- import:{id} | bulk | admin
  at          INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit_log (school_id, user_id, at);

-- Bulk actions (api/bulk.rs): each run, and each student's result in it.
CREATE TABLE IF NOT EXISTS bulk_runs (
  id          TEXT PRIMARY KEY,                -- random public id
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  actor_id    INTEGER NOT NULL REFERENCES users(id),
  action      TEXT NOT NULL,
  params_json TEXT NOT NULL,
  total       INTEGER NOT NULL,
  succeeded   INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  at          INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bulk_results (
  run_id      TEXT NOT NULL REFERENCES bulk_runs(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  ok          INTEGER NOT NULL,
  message     TEXT NOT NULL DEFAULT '',        -- an i18n key
  PRIMARY KEY (run_id, user_id)
);

-- A selection of students saved under a name (static: the students at the time it was saved).
CREATE TABLE IF NOT EXISTS saved_lists (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS saved_list_members (
  list_id     INTEGER NOT NULL REFERENCES saved_lists(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (list_id, user_id)
);

-- A lesson's blocks (domain/blocks.rs), in order, after its Markdown text. Stored as typed
-- (checked when saved), rendered on each request (a video starts at `?t=`).
CREATE TABLE IF NOT EXISTS lesson_blocks (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  lesson_id   INTEGER NOT NULL REFERENCES lessons(id),
  position    INTEGER NOT NULL,
  block_json  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lesson_blocks_by_lesson ON lesson_blocks (lesson_id, position);

-- What a lesson asks of its students (domain/tasks.rs): an assignment, a quiz or a survey.
CREATE TABLE IF NOT EXISTS lesson_tasks (
  lesson_id       INTEGER PRIMARY KEY REFERENCES lessons(id),
  school_id       INTEGER NOT NULL REFERENCES schools(id),
  kind            TEXT NOT NULL,               -- assignment | quiz | survey
  prompt          TEXT NOT NULL DEFAULT '',    -- what to do (plain text)
  answer_kind     TEXT NOT NULL DEFAULT 'either', -- assignment: text | link | either
  review_required INTEGER NOT NULL DEFAULT 1,  -- assignment: the team approves or returns it
  pass_percent    INTEGER NOT NULL DEFAULT 0,  -- quiz: score needed to pass (auto-approved)
  max_attempts    INTEGER NOT NULL DEFAULT 0,  -- quiz: 0 = unlimited
  questions_json  TEXT NOT NULL DEFAULT '[]',  -- quiz and survey: [domain::tasks::Question]
  updated_at      INTEGER NOT NULL
);

-- Every answer: an assignment submission (a new one after each return), a quiz attempt, a
-- survey's answers. The latest row per (lesson, student) is where they stand.
CREATE TABLE IF NOT EXISTS submissions (
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
  UNIQUE (lesson_id, user_id, attempt)
);
CREATE INDEX IF NOT EXISTS submissions_by_course ON submissions (school_id, course_id, status);
CREATE INDEX IF NOT EXISTS submissions_by_user ON submissions (user_id, lesson_id);

-- Courses a curator reviews.
CREATE TABLE IF NOT EXISTS course_curators (
  school_id  INTEGER NOT NULL REFERENCES schools(id),
  course_id  INTEGER NOT NULL REFERENCES courses(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (course_id, user_id)
);
CREATE INDEX IF NOT EXISTS course_curators_by_user ON course_curators (school_id, user_id);
