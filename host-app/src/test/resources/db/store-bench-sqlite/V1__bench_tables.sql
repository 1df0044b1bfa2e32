-- StoreBench only: the tables the host's event path touches (V1..V6 of db/migration), as SQLite has them.
-- Timestamps are INTEGER epoch millis (sqlite-jdbc's default for setTimestamp); identities are
-- INTEGER PRIMARY KEY AUTOINCREMENT, so an id (the transcript seq a stream resumes from) is never reused.

CREATE TABLE integrations (
    id                    TEXT    PRIMARY KEY,
    connector_id          TEXT    NOT NULL,
    settings_sealed       TEXT    NOT NULL,
    webhook_secret_sealed TEXT    NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    rate_limited_until    INTEGER
);

CREATE TABLE conversations (
    integration_id     TEXT    NOT NULL,
    conversation_id    TEXT    NOT NULL,
    case_id            TEXT,
    case_number        TEXT,
    case_link          TEXT,
    status             TEXT    NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (integration_id, conversation_id)
);
CREATE INDEX conversations_by_case ON conversations (integration_id, case_id);

CREATE TABLE processed_events (
    integration_id     TEXT    NOT NULL,
    event_id           TEXT    NOT NULL,
    conversation_id    TEXT    NOT NULL,
    source             TEXT    NOT NULL,
    received_at        INTEGER NOT NULL,
    content_hash       TEXT,
    PRIMARY KEY (integration_id, event_id)
);

CREATE TABLE transcript (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id    TEXT    NOT NULL,
    event_id           TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    author             TEXT,
    text               TEXT,
    occurred_at        INTEGER NOT NULL,
    synced_at          INTEGER,
    integration_id     TEXT    NOT NULL
);
CREATE INDEX transcript_by_conversation ON transcript (integration_id, conversation_id, seq);

CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id    TEXT    NOT NULL,
    integration_id     TEXT    NOT NULL,
    event_id           TEXT    NOT NULL,
    operation          TEXT    NOT NULL,
    payload            TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    attempts           INTEGER NOT NULL,
    next_attempt_at    INTEGER NOT NULL,
    lease_owner        TEXT,
    lease_until        INTEGER,
    last_error         TEXT,
    accepted_at        INTEGER NOT NULL,
    completed_at       INTEGER,
    first_attempt_at   INTEGER,
    calls              INTEGER DEFAULT 0 NOT NULL
);
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_conversation ON outbox (integration_id, conversation_id, state, id);
