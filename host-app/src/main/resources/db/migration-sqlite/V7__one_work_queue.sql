-- SQLite twin of db/migration/V7 (same columns).
-- Issue 14: the outbox, the webhook inbox and the callback outbox are one queue implementation
-- (storage.queue.WorkQueue) with the same queue columns: every claim counts a call and records the
-- first call's time, in all three.
ALTER TABLE webhook_inbox ADD COLUMN calls INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE callback_outbox ADD COLUMN calls INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE callback_outbox ADD COLUMN first_attempt_at INTEGER;
-- a claim looks for an older unfinished row of the same integration (webhooks keep their order per integration)
CREATE INDEX webhook_inbox_by_integration ON webhook_inbox (integration_id, state, id);
