-- SQLite twin of db/migration/V1 (same tables, columns and indexes; every version is kept in step with
-- db/migration). Timestamps are INTEGER epoch milliseconds (sqlite-jdbc's setTimestamp) and only ever
-- compared with bound parameters; identities are AUTOINCREMENT, so an id (a transcript seq) is never reused.

CREATE TABLE integrations (
    id                 TEXT  PRIMARY KEY,
    connector_id       TEXT   NOT NULL,
    -- the settings as JSON, sealed with AES-GCM (see SecretBox); secrets never stored in clear
    settings_sealed    TEXT NOT NULL,
    webhook_secret_sealed TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE conversations (
    conversation_id    TEXT  PRIMARY KEY,
    integration_id     TEXT  NOT NULL,
    case_id            TEXT,
    case_number        TEXT,
    case_link          TEXT,
    status             TEXT   NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- Idempotency of the inbound API and webhooks: one row per event id ever accepted.
CREATE TABLE processed_events (
    event_id           TEXT  PRIMARY KEY,
    conversation_id    TEXT  NOT NULL,
    source             TEXT   NOT NULL,
    received_at        INTEGER NOT NULL
);

CREATE TABLE transcript (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id    TEXT  NOT NULL,
    event_id           TEXT  NOT NULL,
    type               TEXT   NOT NULL,
    author             TEXT,
    text               TEXT,
    occurred_at        INTEGER NOT NULL,
    synced_at          INTEGER
);
CREATE INDEX transcript_by_conversation ON transcript (conversation_id, seq);

-- Pending helpdesk operations. A worker claims a row with a lease; the conversation's oldest
-- unfinished row is the only one runnable, which keeps each conversation in order.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id    TEXT  NOT NULL,
    integration_id     TEXT  NOT NULL,
    event_id           TEXT  NOT NULL,
    operation          TEXT   NOT NULL,
    payload            TEXT NOT NULL,
    state              TEXT   NOT NULL,
    attempts           INTEGER           NOT NULL,
    next_attempt_at    INTEGER NOT NULL,
    lease_owner        TEXT,
    lease_until        INTEGER,
    last_error         TEXT,
    accepted_at        INTEGER NOT NULL,
    completed_at       INTEGER
);
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_conversation ON outbox (conversation_id, state, id);
