-- Emails the creator rewrites (issue 18): one text per school, kind and language. No row: the
-- default text (features/emails/rules.rs) is sent; "reset" deletes the row.
CREATE TABLE email_templates (
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  kind        TEXT NOT NULL,
  locale      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,                -- plain text with {{fields}}, filled when sent
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (school_id, kind, locale),
  CONSTRAINT "email_templates.kind" CHECK (kind IN ('invitation', 'reminder', 'digest', 'review', 'receipt', 'certificate')),
  CONSTRAINT "email_templates.locale" CHECK (locale IN ('fr', 'en'))
);
