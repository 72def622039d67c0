-- Media, part 2 (issue 16): big files sent in parts, files in students' answers, the
-- school's logo, and who watched which video.

-- An upload in parts (R2 multipart): the browser sends `size` bytes as parts of
-- `part_size` (the last one shorter) and may resume after a dropped connection. Its size is
-- counted against the school's storage from the start, so two big uploads cannot both pass
-- the quota. `file_id` is the object's id, and the `files` row's once it is complete.
CREATE TABLE uploads (
  id            TEXT PRIMARY KEY,                -- random (128 bits): the browser's handle
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  owner_id      INTEGER NOT NULL REFERENCES users(id),
  use           TEXT NOT NULL,
  name          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  part_size     INTEGER NOT NULL,
  file_id       TEXT NOT NULL,
  r2_upload_id  TEXT NOT NULL,
  content_type  TEXT,                            -- sniffed from the first part
  course_id     INTEGER REFERENCES courses(id),
  lesson_id     INTEGER REFERENCES lessons(id),
  created_at    INTEGER NOT NULL,
  completed_at  INTEGER,
  aborted_at    INTEGER,
  CONSTRAINT "uploads.size" CHECK (size > 0 AND part_size > 0)
);
CREATE INDEX uploads_open ON uploads (school_id, completed_at, aborted_at);

CREATE TABLE upload_parts (
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  upload_id   TEXT NOT NULL REFERENCES uploads(id),
  number      INTEGER NOT NULL,                  -- from 1, as R2 numbers them
  size        INTEGER NOT NULL,
  etag        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  PRIMARY KEY (upload_id, number)
);

-- A student's answer may carry files (reviewed by the curator).
ALTER TABLE files ADD COLUMN submission_id INTEGER REFERENCES submissions(id);
CREATE INDEX files_by_lesson ON files (lesson_id, use) WHERE lesson_id IS NOT NULL;

-- The school's logo (an uploaded image's URL), shown in its pages' header.
ALTER TABLE schools ADD COLUMN logo_url TEXT;

-- Each student's views of each uploaded video (a view: the player started playing).
CREATE TABLE video_views (
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  file_id     TEXT NOT NULL REFERENCES files(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  lesson_id   INTEGER NOT NULL REFERENCES lessons(id),
  views       INTEGER NOT NULL DEFAULT 1,
  first_at    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  PRIMARY KEY (file_id, user_id)
);
CREATE INDEX video_views_by_user ON video_views (school_id, user_id);
