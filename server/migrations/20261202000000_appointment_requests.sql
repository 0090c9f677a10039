-- Appointment requests. The id is made on the patient's device and is never reused: when a
-- request's personal data is deleted after the retention period, the row stays with its id
-- and hashes (purged_at set), so a late retry can never store it a second time. A row with an
-- empty body_hash is a withdrawal that arrived before its request (the request, if it ever
-- arrives, is then stored as withdrawn).

CREATE TABLE appointment_requests (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_id TEXT,
    reason TEXT NOT NULL,
    name TEXT NOT NULL,
    visit_type TEXT NOT NULL,
    language TEXT NOT NULL,
    first_date TEXT,
    request_json TEXT NOT NULL,
    attachment_count BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    confirmed_date TEXT,
    confirmed_time TEXT,
    proposed_date TEXT,
    proposed_time TEXT,
    message TEXT,
    settled_at BIGINT,
    purged_at BIGINT
);

CREATE INDEX appointment_requests_status ON appointment_requests (status, received_at);
CREATE INDEX appointment_requests_received ON appointment_requests (received_at);

CREATE TABLE appointment_events (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES appointment_requests (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT
);

CREATE INDEX appointment_events_request ON appointment_events (request_id, at);

-- Replays keep the Location of a created resource.
ALTER TABLE idempotency_keys ADD COLUMN location TEXT;
