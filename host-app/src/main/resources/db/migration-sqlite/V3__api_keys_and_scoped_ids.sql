-- Issue 11: API keys, the audit log, host keys (chat links), and conversation / event ids unique
-- per integration instead of globally (one integration could squat another's ids).
-- SQLite twin of db/migration/V3: tables are rebuilt (SQLite cannot alter a primary key either).

-- Conversations: keyed by (integration_id, conversation_id).
CREATE TABLE conversations_v3 (
    integration_id     TEXT  NOT NULL,
    conversation_id    TEXT  NOT NULL,
    case_id            TEXT,
    case_number        TEXT,
    case_link          TEXT,
    status             TEXT   NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (integration_id, conversation_id)
);
INSERT INTO conversations_v3 (integration_id, conversation_id, case_id, case_number, case_link, status, last_error, created_at, updated_at)
    SELECT integration_id, conversation_id, case_id, case_number, case_link, status, last_error, created_at, updated_at FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v3 RENAME TO conversations;
CREATE INDEX conversations_by_case ON conversations (integration_id, case_id);

-- Processed event ids: keyed by (integration_id, event_id). Webhook ids used to be stored with
-- conversation_id 'webhook:<integration>'; API ids belong to their conversation's integration.
CREATE TABLE processed_events_v3 (
    integration_id     TEXT  NOT NULL,
    event_id           TEXT  NOT NULL,
    conversation_id    TEXT  NOT NULL,
    source             TEXT   NOT NULL,
    received_at        INTEGER NOT NULL,
    PRIMARY KEY (integration_id, event_id)
);
INSERT INTO processed_events_v3 (integration_id, event_id, conversation_id, source, received_at)
    SELECT COALESCE((SELECT c.integration_id FROM conversations c WHERE c.conversation_id = p.conversation_id),
                    CASE WHEN p.conversation_id LIKE 'webhook:%' THEN substr(p.conversation_id, 9) ELSE '' END),
           p.event_id, p.conversation_id, p.source, p.received_at
    FROM processed_events p;
DROP TABLE processed_events;
ALTER TABLE processed_events_v3 RENAME TO processed_events;

-- Transcript entries carry their integration (the outbox and callback outbox already do).
-- SQLite cannot add NOT NULL later: the column is NOT NULL with a default from the start
ALTER TABLE transcript ADD COLUMN integration_id TEXT NOT NULL DEFAULT '';
UPDATE transcript SET integration_id = COALESCE(
    (SELECT c.integration_id FROM conversations c WHERE c.conversation_id = transcript.conversation_id), '');
DROP INDEX transcript_by_conversation;
CREATE INDEX transcript_by_conversation ON transcript (integration_id, conversation_id, seq);

DROP INDEX outbox_by_conversation;
CREATE INDEX outbox_by_conversation ON outbox (integration_id, conversation_id, state, id);
CREATE INDEX callback_outbox_by_conversation ON callback_outbox (integration_id, conversation_id, id);

-- API keys: only the SHA-256 of the key is kept (the key is 256 random bits, shown once).
-- integrations and scopes are comma-separated lists (ids and scopes never contain commas).
CREATE TABLE api_keys (
    id                 TEXT   PRIMARY KEY,
    name               TEXT  NOT NULL,
    key_hash           TEXT   NOT NULL UNIQUE,
    integrations       TEXT NOT NULL,
    scopes             TEXT  NOT NULL,
    created_by         TEXT  NOT NULL,
    created_at         INTEGER NOT NULL,
    revoked_at         INTEGER
);

-- Who did which admin action on what, and when. Never secrets.
CREATE TABLE audit_log (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    acted_at           INTEGER NOT NULL,
    actor_id           TEXT   NOT NULL,
    actor_name         TEXT  NOT NULL,
    action             TEXT   NOT NULL,
    target             TEXT  NOT NULL,
    detail             TEXT
);

-- Keys the host generates for itself (the chat-link signing key), sealed like settings; shared by
-- every host process on the same database.
CREATE TABLE host_keys (
    name               TEXT   PRIMARY KEY,
    value_sealed       TEXT NOT NULL,
    created_at         INTEGER NOT NULL
);
