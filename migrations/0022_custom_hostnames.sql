-- A school's own domain as Cloudflare for SaaS knows it (in production, a custom hostname on
-- the platform's zone, which gives it a certificate and sends its requests to the Worker):
-- its id there, where it stands ('waiting' for the creator's DNS records, 'live', or
-- 'refused'), the DNS records the creator must add (a JSON list of {type, name, value}), and
-- when it was last asked. Null: no domain, or Cloudflare for SaaS not set up.
ALTER TABLE schools ADD COLUMN custom_hostname_id TEXT;
ALTER TABLE schools ADD COLUMN custom_hostname_state TEXT CHECK (custom_hostname_state IN ('waiting', 'live', 'refused'));
ALTER TABLE schools ADD COLUMN custom_hostname_records TEXT;
ALTER TABLE schools ADD COLUMN custom_hostname_checked_at INTEGER;
