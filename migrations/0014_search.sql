-- The directory's text search (issue 18): a trigram index over the people of every school,
-- so "ohn", "dupo" or "big.te" find a student among 50,000 without reading them all.
-- Triggers keep it in step with every write to `users` (imports, edits, sign-ups, merges):
-- no query can forget it. Accents do not count ("helene" finds Hélène); case neither.
-- Each search joins back to `users` through the query layer, which keeps it to one school.
CREATE VIRTUAL TABLE users_search USING fts5(
  email, first_name, last_name, display_name,
  content = 'users', content_rowid = 'id',
  tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
  INSERT INTO users_search (rowid, email, first_name, last_name, display_name)
  VALUES (new.id, new.email, new.first_name, new.last_name, new.display_name);
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
  INSERT INTO users_search (users_search, rowid, email, first_name, last_name, display_name)
  VALUES ('delete', old.id, old.email, old.first_name, old.last_name, old.display_name);
END;

CREATE TRIGGER users_search_update AFTER UPDATE OF email, first_name, last_name, display_name ON users BEGIN
  INSERT INTO users_search (users_search, rowid, email, first_name, last_name, display_name)
  VALUES ('delete', old.id, old.email, old.first_name, old.last_name, old.display_name);
  INSERT INTO users_search (rowid, email, first_name, last_name, display_name)
  VALUES (new.id, new.email, new.first_name, new.last_name, new.display_name);
END;

-- The people already there.
INSERT INTO users_search (users_search) VALUES ('rebuild');
