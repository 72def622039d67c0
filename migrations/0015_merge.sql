-- Merging two accounts (issue 18, seed 004 "Fusion utilisateur"). Everything of the merged
-- account moves to the kept one and the merged row is deleted; its address stays here, so it
-- still logs in — to the account kept — and invitations, imports and sales made to it later
-- reach that account instead of creating a second one again.
CREATE TABLE user_aliases (
  school_id  INTEGER NOT NULL REFERENCES schools(id),
  email      TEXT NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  merged_at  INTEGER NOT NULL,
  PRIMARY KEY (school_id, email)
);

CREATE INDEX user_aliases_user ON user_aliases (user_id);
