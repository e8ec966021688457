-- The title a rename gives an attachment (PATCH /attachments/{ID}, DX case model §6): shown as
-- its name; the file's own name (name, extension) stays what it was uploaded or linked as.
ALTER TABLE attachments ADD COLUMN title TEXT;
