-- Whether the operator confirmed that this version may withdraw a large part of the
-- catalog (`import-catalog --confirm-withdrawals`). Keep in step with sqlite_002.sql.
ALTER TABLE catalog_versions ADD COLUMN withdrawals_confirmed BOOLEAN NOT NULL DEFAULT FALSE;
