-- Atelier: the whole D1 schema. D1 is the source of truth; KV only caches.
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
  UNIQUE (school_id, email)
);

-- One row per "send me a code": the code and the link token are stored only as hashes.
CREATE TABLE IF NOT EXISTS login_requests (
  id            TEXT PRIMARY KEY,          -- random public id (128 bits)
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  user_id       INTEGER REFERENCES users(id),  -- NULL when the email has no account here
  email         TEXT NOT NULL,
  purpose       TEXT NOT NULL DEFAULT 'login', -- login | signup | invite
  code_hash     TEXT NOT NULL,
  link_hash     TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  consumed_at   INTEGER,
  ip            TEXT,
  user_agent    TEXT
);
CREATE INDEX IF NOT EXISTS login_requests_by_email ON login_requests (school_id, email, expires_at);

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
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  deleted_at   INTEGER
);
CREATE INDEX IF NOT EXISTS lessons_by_course ON lessons (school_id, course_id, position);

CREATE TABLE IF NOT EXISTS enrollments (
  id           INTEGER PRIMARY KEY,
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  access_start INTEGER NOT NULL,
  access_end   INTEGER,
  status       TEXT NOT NULL DEFAULT 'active',  -- active | revoked
  created_at   INTEGER NOT NULL,
  UNIQUE (user_id, course_id)
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
  kind            TEXT NOT NULL,           -- login | signup | invite
  status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  provider_id     TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
