-- Haven's first schema. Portable to SQLite and PostgreSQL: TEXT ids made in Rust, BIGINT for
-- integers and Unix-millisecond timestamps, 0/1 for flags. Never edit this file once released:
-- add a new migration instead.

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT
);

-- A session's id is the SHA-256 of the token in the cookie, so a leaked table cannot be
-- replayed as cookies.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX sessions_staff_id ON sessions (staff_id);

-- actor is NULL for the command line or an unknown person.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    ip TEXT
);

CREATE INDEX audit_log_at ON audit_log (at);

-- state is 'in_flight' while the first request runs, then 'complete' with the response kept
-- for replay.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status BIGINT,
    response_body TEXT,
    content_type TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
