-- Pega's attachment IDs (DX case model §6): a link gets `LINK-ATTACHMENT <case ID>!<link time>`,
-- unique, and is found by it as by its own ID. Links made before keep their IDs (link_id NULL).
ALTER TABLE attachments ADD COLUMN link_id TEXT;
CREATE UNIQUE INDEX attachments_link_id ON attachments (link_id) WHERE link_id IS NOT NULL;
