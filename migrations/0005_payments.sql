-- Payments (issue 15): each school connects its own Stripe account. Its keys are stored
-- sealed (AES-256-GCM under the Worker's PAYMENTS_KEY secret, the school as associated
-- data: features/payments/crypto.rs), never in clear and never shown back.
CREATE TABLE school_payments (
  school_id          INTEGER PRIMARY KEY REFERENCES schools(id),
  secret_key_sealed  TEXT NOT NULL,
  webhook_secret_sealed TEXT NOT NULL,
  test_mode          INTEGER NOT NULL,            -- the key is a test key (sk_test_)
  currency           TEXT NOT NULL DEFAULT 'EUR',
  updated_at         INTEGER NOT NULL,
  CONSTRAINT "school_payments.currency" CHECK (currency IN ('EUR', 'USD', 'GBP', 'CHF', 'CAD'))
);

-- Coupons: a percentage or an amount off, for one offer or all of a school's, until a date,
-- for a number of paid orders. Checked and applied by checkout, on the server.
CREATE TABLE coupons (
  id          INTEGER PRIMARY KEY,
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  code        TEXT NOT NULL,                      -- upper case: RENTREE-20
  kind        TEXT NOT NULL,
  value       INTEGER NOT NULL,                   -- percent (1-100), or minor units
  offer_id    INTEGER REFERENCES offers(id),      -- NULL: every paid offer
  expires_at  INTEGER,
  max_uses    INTEGER,
  created_at  INTEGER NOT NULL,
  UNIQUE (school_id, code),
  CONSTRAINT "coupons.kind" CHECK (kind IN ('percent', 'amount')),
  CONSTRAINT "coupons.value" CHECK (value > 0)
);

-- An order: created pending when the buyer leaves for checkout; only the signed webhook
-- marks it paid (and enrols), or failed; a refund marks it refunded.
CREATE TABLE orders (
  id             TEXT PRIMARY KEY,                -- random public id (128 bits)
  school_id      INTEGER NOT NULL REFERENCES schools(id),
  offer_id       INTEGER NOT NULL REFERENCES offers(id),
  course_id      INTEGER NOT NULL REFERENCES courses(id),
  email          TEXT NOT NULL,
  user_id        INTEGER REFERENCES users(id),    -- set when paid
  amount_minor   INTEGER NOT NULL,
  currency       TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'pending',
  provider_session TEXT UNIQUE,                   -- Stripe's Checkout Session id
  payment_intent TEXT,
  test_mode      INTEGER NOT NULL DEFAULT 0,
  coupon_id      INTEGER REFERENCES coupons(id),
  discount_minor INTEGER NOT NULL DEFAULT 0,      -- what the coupon took off
  created_at     INTEGER NOT NULL,
  paid_at        INTEGER,
  refunded_at    INTEGER,
  CONSTRAINT "orders.status" CHECK (status IN ('pending', 'paid', 'refunded', 'failed')),
  CONSTRAINT "orders.amount_minor" CHECK (amount_minor > 0)
);
CREATE INDEX orders_by_school ON orders (school_id, created_at);
CREATE INDEX orders_by_email ON orders (school_id, email);
CREATE INDEX orders_by_payment_intent ON orders (payment_intent) WHERE payment_intent IS NOT NULL;

-- Each Stripe event is handled once: its id is written in the same batch as its effects.
CREATE TABLE payment_events (
  id          TEXT PRIMARY KEY,                   -- Stripe's evt_...
  school_id   INTEGER NOT NULL REFERENCES schools(id),
  type        TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- Whether a refund ends the access the order gave.
ALTER TABLE offers ADD COLUMN refund_ends_access INTEGER NOT NULL DEFAULT 1;
