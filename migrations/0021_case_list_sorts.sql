-- Cost flat in the data (#27): a case list sorted by a system column (status, urgency, updated)
-- walks one of these in the sort's order and stops at the page's end (creation time sorts as
-- creation order, through cases_type); a filter on the status or urgency of a list in its own
-- order walks the matching cases newest first. Each costs a create one more index row, an
-- update one where it changes the column.
CREATE INDEX cases_type_status ON cases (case_type_id, status, seq);
CREATE INDEX cases_type_urgency ON cases (case_type_id, urgency, seq);
CREATE INDEX cases_type_updated ON cases (case_type_id, updated_at, seq);
-- A status's cases by update time ("open cases, most recently touched first"): the one filter
-- and sort pair walked in full; any other pair checks its filter per row.
CREATE INDEX cases_type_status_updated ON cases (case_type_id, status, updated_at, seq);
