-- A case type's life cycle (DX case model §0): its stages as JSON, each naming the flow steps
-- it runs. NULL: one primary stage per step, as every case type defined before had.
ALTER TABLE case_types ADD COLUMN stages TEXT;
