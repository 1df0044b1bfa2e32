-- SQLite twin of db/migration/V2 (same columns).
-- Issue 8: webhooks in (stored first, processed asynchronously) and callbacks out to the customer channel.

-- Where agent replies and status changes are POSTed, and the key that signs them (sealed like settings).
ALTER TABLE integrations ADD COLUMN callback_url TEXT;
ALTER TABLE integrations ADD COLUMN callback_secret_sealed TEXT;

-- Webhooks find their conversation by the helpdesk case.
CREATE INDEX conversations_by_case ON conversations (integration_id, case_id);

-- Authenticated webhook calls, stored before the 202; the request is sealed because its headers
-- carry the shared secret the connector checks again when it reads the call.
CREATE TABLE webhook_inbox (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id     TEXT  NOT NULL,
    request_sealed     TEXT NOT NULL,
    state              TEXT   NOT NULL,
    attempts           INTEGER           NOT NULL,
    next_attempt_at    INTEGER NOT NULL,
    last_error         TEXT,
    received_at        INTEGER NOT NULL,
    completed_at       INTEGER
);
CREATE INDEX webhook_inbox_by_state ON webhook_inbox (state, next_attempt_at);

-- Signed POSTs to the integration's callback URL, retried until delivered or parked.
CREATE TABLE callback_outbox (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id     TEXT  NOT NULL,
    conversation_id    TEXT  NOT NULL,
    event_id           TEXT  NOT NULL,
    event_type         TEXT   NOT NULL,
    payload            TEXT NOT NULL,
    state              TEXT   NOT NULL,
    attempts           INTEGER           NOT NULL,
    next_attempt_at    INTEGER NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    delivered_at       INTEGER
);
CREATE INDEX callback_outbox_by_state ON callback_outbox (state, next_attempt_at);
