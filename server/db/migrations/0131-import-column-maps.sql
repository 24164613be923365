-- Spreadsheet imports (issue 13 §4): the column map an owner made for a spreadsheet whose
-- headers are not Quita's names, remembered per header layout (the signature is a hash of the
-- folded header names in order, server/import/columns.ts), so the next file from the same system
-- imports without asking again. `columns` maps each import column to the folded header it reads.
CREATE TABLE import_column_maps (
  signature text PRIMARY KEY CHECK (signature ~ '^[0-9a-f]{32}$'),
  headers jsonb NOT NULL,
  columns jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users (id)
);
