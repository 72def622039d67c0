-- Statistics imports (issue 18, seed 004 "Import Statistiques"): progress from another
-- platform goes through the same steps as a student import (preview, options, rejects, log),
-- so both kinds share `imports`; a row of a statistics import can be left out ("skipped":
-- the student is not in the course and the creator chose not to enroll them).
ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'students' CHECK (kind IN ('students', 'statistics'));
ALTER TABLE imports ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
