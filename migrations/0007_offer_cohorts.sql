-- Cohort offers (issue 15): the offer's students start together on this date (the school's
-- midnight). Their access length counts from it, and lessons scheduled "day N" open from
-- it; a late joiner finds the earlier lessons open. NULL: each student starts on joining.
ALTER TABLE offers ADD COLUMN cohort_start INTEGER;
-- A sign-up through a cohort offer keeps the start decided when the visitor asked.
ALTER TABLE login_requests ADD COLUMN join_access_start INTEGER;
