-- Lesson blocks keep their HTML (issue 16, room in the student Worker): text, spoiler and
-- math blocks are rendered when saved, so the Worker students reach carries no Markdown or
-- math renderer. NULL for videos, buttons and embeds (rendered per request: a video starts
-- where the link says) and for blocks saved before this migration, which show their text
-- as plain paragraphs until saved again.
ALTER TABLE lesson_blocks ADD COLUMN html TEXT;
