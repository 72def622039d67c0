-- Offer levels (issue 15): what each offer of a course includes, which assignments the
-- team reviews for its students, upgrades between offers, and tax-inclusive prices.

-- 'all': every lesson of the course; 'chosen': the modules and lessons in offer_items.
ALTER TABLE offers ADD COLUMN includes TEXT NOT NULL DEFAULT 'all' CONSTRAINT "offers.includes" CHECK (includes IN ('all', 'chosen'));
-- Which assignments (those asking for a review) the team reviews for this offer's students:
-- 'all', 'none' (answers are accepted as sent), or 'chosen' (offer_items of kind 'review').
ALTER TABLE offers ADD COLUMN reviews TEXT NOT NULL DEFAULT 'all' CONSTRAINT "offers.reviews" CHECK (reviews IN ('all', 'none', 'chosen'));

-- An offer's chosen parts: a module (by its heading, so lessons added to it later are in
-- too), a lesson, or an assignment lesson the team reviews.
CREATE TABLE offer_items (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  offer_id    INTEGER NOT NULL REFERENCES offers(id),
  kind        TEXT NOT NULL,
  lesson_id   INTEGER REFERENCES lessons(id),
  module      TEXT,
  CONSTRAINT "offer_items.kind" CHECK (kind IN ('module', 'lesson', 'review')),
  CONSTRAINT "offer_items.target" CHECK ((kind = 'module') = (module IS NOT NULL AND lesson_id IS NULL))
);
CREATE INDEX offer_items_by_offer ON offer_items (offer_id, kind);

-- An upgrade: the order moves its buyer from this offer to the order's offer, for the
-- difference in price.
ALTER TABLE orders ADD COLUMN upgrade_from INTEGER REFERENCES offers(id);

-- Whether the school's prices include taxes (shown "TTC"/"incl. tax") or have them added
-- at checkout by Stripe.
ALTER TABLE school_payments ADD COLUMN tax_inclusive INTEGER NOT NULL DEFAULT 1;
