-- SPI 2.0: the connectors' durable state, operation contexts (attempt, first attempt), host-owned
-- integration options, per-integration rate-limit pauses and the steps skipped for a missing capability.
-- SQLite twin of db/migration/V5.

-- ConnectorState: one key-value map per integration (id mappings, echo ledgers), shared by every host
-- process on this database, deleted with the integration. Values are at most 65,536 characters.
CREATE TABLE connector_state (
    integration_id     TEXT  NOT NULL,
    state_key          TEXT  NOT NULL,
    state_value        TEXT NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (integration_id, state_key)
);

-- OperationContext: calls counts every call made for a row (also after a crash or a rate limit; the
-- attempt a connector sees), attempts only the failures that count towards parking it.
ALTER TABLE outbox ADD COLUMN first_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN calls INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE webhook_inbox ADD COLUMN first_attempt_at INTEGER;

-- Host-owned options ({"createCaseOnlyOnHandoff": false}) as JSON; NULL for integrations saved before
-- options existed (their options are read from the legacy setting once, then stored here).
ALTER TABLE integrations ADD COLUMN options_json TEXT;
-- A helpdesk's 429 pauses the whole integration: nothing of it is claimed before this time.
ALTER TABLE integrations ADD COLUMN rate_limited_until INTEGER;

-- A step the host did not run because the connector does not declare its capability.
CREATE TABLE skipped_steps (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id     TEXT  NOT NULL,
    conversation_id    TEXT  NOT NULL,
    operation_id       INTEGER        NOT NULL,
    event_id           TEXT  NOT NULL,
    operation          TEXT   NOT NULL,
    reason             TEXT NOT NULL,
    skipped_at         INTEGER NOT NULL
);
CREATE INDEX skipped_steps_by_conversation ON skipped_steps (integration_id, conversation_id, id);
