-- Media (issue 16): every file a school stores on R2 (binding MEDIA), under
-- `schools/{school_id}/{file id}`. The row is the truth about the object: who sent it, what
-- it is (sniffed from its first bytes), its size and checksum, and where it is used.
CREATE TABLE files (
  id           TEXT PRIMARY KEY,                 -- random public id (128 bits): the URL
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  owner_id     INTEGER REFERENCES users(id),     -- who sent it
  use          TEXT NOT NULL,
  name         TEXT NOT NULL,                    -- the name it was sent with (downloads)
  size         INTEGER NOT NULL,
  content_type TEXT NOT NULL,                    -- decided from its first bytes
  sha256       TEXT NOT NULL,
  course_id    INTEGER REFERENCES courses(id),
  lesson_id    INTEGER REFERENCES lessons(id),
  created_at   INTEGER NOT NULL,
  deleted_at   INTEGER,                          -- replaced or removed: the object goes
  CONSTRAINT "files.use" CHECK (use IN ('cover', 'lesson_image', 'lesson_file', 'video', 'answer')),
  CONSTRAINT "files.size" CHECK (size > 0)
);
CREATE INDEX files_by_school ON files (school_id, deleted_at);
CREATE INDEX files_by_course ON files (course_id) WHERE course_id IS NOT NULL;

-- A school's storage quota in bytes (NULL: the platform's default, media::rules).
ALTER TABLE schools ADD COLUMN storage_quota_bytes INTEGER;
