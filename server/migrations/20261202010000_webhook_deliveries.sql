-- Signed webhook notifications of new appointment requests, written in the same transaction
-- as the request, so a notification is never lost and never sent for a request that was not
-- stored. The body names the request, never the patient or their health.

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    last_error TEXT
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (delivered_at, next_attempt_at);
