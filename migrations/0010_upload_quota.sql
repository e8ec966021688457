-- An operator's live temporary uploads, counted against its upload quota on every upload: the
-- count reads only that operator's temporaries (at most the quota's number of rows).
CREATE INDEX attachments_uploader ON attachments (created_by, expires_at) WHERE case_id IS NULL;
