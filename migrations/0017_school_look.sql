-- The school's look and its own domain (issue 18). `brand_color` (buttons and links) gets a
-- second colour: the header band, with white text on it (none: the white header). A short
-- welcome text and a cover picture on the school's home. A custom domain (`learn.example.com`) that serves the
-- school as its subdomain does.
ALTER TABLE schools ADD COLUMN header_color TEXT;
ALTER TABLE schools ADD COLUMN welcome_md TEXT NOT NULL DEFAULT '';
-- Rendered once, when saved (as lessons are): the student Worker carries no Markdown parser.
ALTER TABLE schools ADD COLUMN welcome_html TEXT NOT NULL DEFAULT '';
-- The picture at the top of the school's home (an uploaded image, as the logo).
ALTER TABLE schools ADD COLUMN cover_url TEXT;
ALTER TABLE schools ADD COLUMN custom_domain TEXT;
CREATE UNIQUE INDEX schools_custom_domain ON schools (custom_domain) WHERE custom_domain IS NOT NULL;
