-- Status columns take only the values the code knows. SQLite cannot add a CHECK constraint
-- to an existing column without rebuilding the table (and its foreign keys, indexes and
-- data); these triggers are the same check on every INSERT and UPDATE, with no rebuild:
-- nothing is copied, so nothing can be lost. A bad value aborts the statement (and its
-- batch) with "CHECK constraint failed: table.column".

CREATE TRIGGER IF NOT EXISTS check_schools_status_insert BEFORE INSERT ON schools
WHEN NEW.status NOT IN ('pending', 'active')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: schools.status');
END;

CREATE TRIGGER IF NOT EXISTS check_schools_status_update BEFORE UPDATE OF status ON schools
WHEN NEW.status NOT IN ('pending', 'active')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: schools.status');
END;

CREATE TRIGGER IF NOT EXISTS check_users_status_insert BEFORE INSERT ON users
WHEN NEW.status NOT IN ('active', 'deactivated')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: users.status');
END;

CREATE TRIGGER IF NOT EXISTS check_users_status_update BEFORE UPDATE OF status ON users
WHEN NEW.status NOT IN ('active', 'deactivated')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: users.status');
END;

CREATE TRIGGER IF NOT EXISTS check_users_role_insert BEFORE INSERT ON users
WHEN NEW.role NOT IN ('owner', 'assistant', 'curator', 'student')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: users.role');
END;

CREATE TRIGGER IF NOT EXISTS check_users_role_update BEFORE UPDATE OF role ON users
WHEN NEW.role NOT IN ('owner', 'assistant', 'curator', 'student')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: users.role');
END;

CREATE TRIGGER IF NOT EXISTS check_courses_status_insert BEFORE INSERT ON courses
WHEN NEW.status NOT IN ('draft', 'published')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: courses.status');
END;

CREATE TRIGGER IF NOT EXISTS check_courses_status_update BEFORE UPDATE OF status ON courses
WHEN NEW.status NOT IN ('draft', 'published')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: courses.status');
END;

CREATE TRIGGER IF NOT EXISTS check_lessons_status_insert BEFORE INSERT ON lessons
WHEN NEW.status NOT IN ('draft', 'published')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: lessons.status');
END;

CREATE TRIGGER IF NOT EXISTS check_lessons_status_update BEFORE UPDATE OF status ON lessons
WHEN NEW.status NOT IN ('draft', 'published')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: lessons.status');
END;

CREATE TRIGGER IF NOT EXISTS check_enrollments_status_insert BEFORE INSERT ON enrollments
WHEN NEW.status NOT IN ('active', 'revoked')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: enrollments.status');
END;

CREATE TRIGGER IF NOT EXISTS check_enrollments_status_update BEFORE UPDATE OF status ON enrollments
WHEN NEW.status NOT IN ('active', 'revoked')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: enrollments.status');
END;

CREATE TRIGGER IF NOT EXISTS check_outbox_status_insert BEFORE INSERT ON outbox
WHEN NEW.status NOT IN ('pending', 'sent', 'failed', 'delivered', 'bounced', 'complained')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: outbox.status');
END;

CREATE TRIGGER IF NOT EXISTS check_outbox_status_update BEFORE UPDATE OF status ON outbox
WHEN NEW.status NOT IN ('pending', 'sent', 'failed', 'delivered', 'bounced', 'complained')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: outbox.status');
END;

CREATE TRIGGER IF NOT EXISTS check_imports_status_insert BEFORE INSERT ON imports
WHEN NEW.status NOT IN ('previewed', 'running', 'done')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: imports.status');
END;

CREATE TRIGGER IF NOT EXISTS check_imports_status_update BEFORE UPDATE OF status ON imports
WHEN NEW.status NOT IN ('previewed', 'running', 'done')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: imports.status');
END;

CREATE TRIGGER IF NOT EXISTS check_submissions_status_insert BEFORE INSERT ON submissions
WHEN NEW.status NOT IN ('pending', 'approved', 'returned', 'failed', 'answered')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: submissions.status');
END;

CREATE TRIGGER IF NOT EXISTS check_submissions_status_update BEFORE UPDATE OF status ON submissions
WHEN NEW.status NOT IN ('pending', 'approved', 'returned', 'failed', 'answered')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: submissions.status');
END;
