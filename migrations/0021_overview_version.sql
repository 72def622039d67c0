-- The overview's figures change only when the rows they count change, or when time moves
-- past a boundary (a day, an access starting or ending, a lesson opening). Every write to
-- those rows bumps the school's `stats_version`, here in the schema so that no writer can
-- forget it; an isolate keeps the figures it read with their version and the next time
-- boundary, and reads them again only when either moved (features/overview/api.rs).
--
-- The tables are the ones the overview reads: users (students, new this week, bounced
-- addresses), enrollments (active students), completions (the chart), certificates
-- (completions), submissions (answers waiting), orders (revenue), courses and lessons (the
-- courses count, lessons opening next), outbox (bounced emails).
ALTER TABLE schools ADD COLUMN stats_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER users_stats_insert AFTER INSERT ON users BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER users_stats_update AFTER UPDATE OF role, created_at, email, school_id ON users BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER users_stats_delete AFTER DELETE ON users BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER enrollments_stats_insert AFTER INSERT ON enrollments BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER enrollments_stats_update AFTER UPDATE OF status, access_start, access_end, user_id, course_id, school_id ON enrollments BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER enrollments_stats_delete AFTER DELETE ON enrollments BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER completions_stats_insert AFTER INSERT ON completions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER completions_stats_update AFTER UPDATE OF completed_at, user_id, lesson_id, school_id ON completions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER completions_stats_delete AFTER DELETE ON completions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER certificates_stats_insert AFTER INSERT ON certificates BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER certificates_stats_update AFTER UPDATE OF issued_at, school_id ON certificates BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER certificates_stats_delete AFTER DELETE ON certificates BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER submissions_stats_insert AFTER INSERT ON submissions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER submissions_stats_update AFTER UPDATE OF status, school_id ON submissions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER submissions_stats_delete AFTER DELETE ON submissions BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER orders_stats_insert AFTER INSERT ON orders BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER orders_stats_update AFTER UPDATE OF status, paid_at, amount_minor, currency, school_id ON orders BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER orders_stats_delete AFTER DELETE ON orders BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER courses_stats_insert AFTER INSERT ON courses BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER courses_stats_update AFTER UPDATE OF title, status, access_days, deleted_at, school_id ON courses BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER courses_stats_delete AFTER DELETE ON courses BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER lessons_stats_insert AFTER INSERT ON lessons BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER lessons_stats_update AFTER UPDATE OF title, status, open_rule, open_at, course_id, deleted_at, school_id ON lessons BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER lessons_stats_delete AFTER DELETE ON lessons BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;

CREATE TRIGGER outbox_stats_insert AFTER INSERT ON outbox WHEN NEW.status = 'bounced' BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER outbox_stats_update AFTER UPDATE OF status, to_addr, school_id ON outbox WHEN NEW.status = 'bounced' OR OLD.status = 'bounced' BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = NEW.school_id;
END;

CREATE TRIGGER outbox_stats_delete AFTER DELETE ON outbox WHEN OLD.status = 'bounced' BEGIN
  UPDATE schools SET stats_version = stats_version + 1 WHERE id = OLD.school_id;
END;
