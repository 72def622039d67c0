-- A course's modules (issue 18): their order, and modules that have no lesson yet. A lesson
-- names its module by title (`lessons.module`, as offers' items do), so renaming a module
-- rewrites both in one batch; lessons' positions always follow their modules' order.
CREATE TABLE course_modules (
  school_id  INTEGER NOT NULL REFERENCES schools(id),
  course_id  INTEGER NOT NULL REFERENCES courses(id),
  title      TEXT NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (school_id, course_id, title)
);
INSERT INTO course_modules (school_id, course_id, title, position)
  SELECT school_id, course_id, module, MIN(position) FROM lessons
  WHERE module != '' AND deleted_at IS NULL GROUP BY school_id, course_id, module;
