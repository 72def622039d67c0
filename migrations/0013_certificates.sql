-- Completion and certificates (issue 17).

-- A course's certificate as its creator designs it. No row: certificates are on, with the
-- default title and text in the school's language.
CREATE TABLE certificate_templates (
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  enabled      INTEGER NOT NULL DEFAULT 1,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,                -- with {{fields}}, filled when drawn
  signer_name  TEXT NOT NULL DEFAULT '',
  signer_role  TEXT NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (school_id, course_id)
);

-- One per student and course: issued in the batch that finds the course finished, so two
-- completions at once issue one. What it says is a copy of the template and the names as
-- they were (a later change of the template shows only after a reissue); the id is the
-- public, unguessable verification address.
CREATE TABLE certificates (
  id            TEXT PRIMARY KEY,            -- 128 random bits, hex
  school_id     INTEGER NOT NULL REFERENCES schools(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  course_id     INTEGER NOT NULL REFERENCES courses(id),
  student_name  TEXT NOT NULL,
  course_title  TEXT NOT NULL,
  title         TEXT NOT NULL,
  body          TEXT NOT NULL,
  signer_name   TEXT NOT NULL DEFAULT '',
  signer_role   TEXT NOT NULL DEFAULT '',
  completed_at  INTEGER NOT NULL,
  issued_at     INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,            -- the last reissue (issued_at until then)
  UNIQUE (school_id, user_id, course_id)
);
CREATE INDEX certificates_course ON certificates (school_id, course_id, issued_at);

-- A certificate issued is told under the bell (the kind exists since 0012) and by email.
