-- The student's side (issue 17): in-app notifications, and which emails each person wants.

-- What happened for someone, shown under the bell until read: a lesson opened, an answer
-- reviewed (and, for the team, an answer to review), a certificate issued, a message from
-- the school.
CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL,
  title       TEXT NOT NULL,                -- already in the person's language
  body        TEXT NOT NULL DEFAULT '',
  link        TEXT NOT NULL DEFAULT '',     -- a path of the school's site
  created_at  INTEGER NOT NULL,
  read_at     INTEGER,
  CONSTRAINT "notifications.kind" CHECK (kind IN ('lesson_opened', 'review', 'answer', 'certificate', 'message'))
);
CREATE INDEX notifications_unread ON notifications (user_id, read_at, created_at);

-- Email kinds a person turned off, comma-separated ("review,message"); the digest keeps its
-- own column (digest_opt_out).
ALTER TABLE users ADD COLUMN mail_off TEXT NOT NULL DEFAULT '';
