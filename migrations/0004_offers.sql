-- Offers (issue 15): how a course is given, and later sold. A course has any number; its
-- public page lists the open ones. Prices are in the currency's minor unit (cents, never a
-- float). A closed offer keeps its students; a deleted one stays restorable like courses.
CREATE TABLE offers (
  id           INTEGER PRIMARY KEY,
  school_id    INTEGER NOT NULL REFERENCES schools(id),
  course_id    INTEGER NOT NULL REFERENCES courses(id),
  name         TEXT NOT NULL,
  summary      TEXT NOT NULL DEFAULT '',          -- what it includes, in the creator's words
  price_minor  INTEGER NOT NULL DEFAULT 0,        -- 0: free
  currency     TEXT NOT NULL DEFAULT 'EUR',
  -- How long its access lasts: for good, access_days after joining, or until access_until.
  access_kind  TEXT NOT NULL DEFAULT 'forever',
  access_days  INTEGER,
  access_until INTEGER,
  seats        INTEGER,                           -- NULL: no limit
  on_request   INTEGER NOT NULL DEFAULT 0,        -- the creator approves each student
  status       TEXT NOT NULL DEFAULT 'open',
  position     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  deleted_at   INTEGER,
  CONSTRAINT "offers.price_minor" CHECK (price_minor >= 0),
  CONSTRAINT "offers.currency" CHECK (currency IN ('EUR', 'USD', 'GBP', 'CHF', 'CAD')),
  CONSTRAINT "offers.access_kind" CHECK (access_kind IN ('forever', 'days', 'until')),
  CONSTRAINT "offers.status" CHECK (status IN ('open', 'closed'))
);
CREATE INDEX offers_by_course ON offers (school_id, course_id);

-- Students asking to join an offer "on request": the creator approves or declines each one
-- on the students page, and the student is emailed either way.
CREATE TABLE join_requests (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  offer_id    INTEGER NOT NULL REFERENCES offers(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  status      TEXT NOT NULL DEFAULT 'pending',
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER,
  decided_by  INTEGER REFERENCES users(id),
  UNIQUE (offer_id, user_id),
  CONSTRAINT "join_requests.status" CHECK (status IN ('pending', 'approved', 'declined'))
);
CREATE INDEX join_requests_pending ON join_requests (school_id, status, created_at);

-- The offer a student joined through (NULL: added by the creator or imported). Seats are
-- counted from it.
ALTER TABLE enrollments ADD COLUMN offer_id INTEGER REFERENCES offers(id);
CREATE INDEX enrollments_by_offer ON enrollments (offer_id) WHERE offer_id IS NOT NULL;

-- A visitor joining an offer: the login request carries the offer, and the enrollment is
-- written when its code or link is used (login::server::Join).
ALTER TABLE login_requests ADD COLUMN join_offer_id INTEGER REFERENCES offers(id);
ALTER TABLE login_requests ADD COLUMN join_course_id INTEGER REFERENCES courses(id);
ALTER TABLE login_requests ADD COLUMN join_access_end INTEGER;
