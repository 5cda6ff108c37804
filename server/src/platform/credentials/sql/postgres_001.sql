-- The gateway's credentials, PostgreSQL flavour. Keep in step with sqlite_001.sql.
CREATE TABLE gateway_credentials (
    digest     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX gateway_credentials_by_name ON gateway_credentials (kind, name);
-- Credentials were feedback's until the platform took them: carried over once, so every
-- key and token issued before keeps working (and every revocation stays).
DO $$
BEGIN
    IF to_regclass('feedback_credentials') IS NOT NULL THEN
        INSERT INTO gateway_credentials (digest, kind, name, created_at, revoked_at)
        SELECT digest, kind, name, created_at, revoked_at FROM feedback_credentials
        ON CONFLICT (digest) DO NOTHING;
    END IF;
END
$$;
