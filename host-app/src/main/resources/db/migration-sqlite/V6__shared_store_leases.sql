-- SQLite twin of db/migration/V6 (same columns).
-- Issue 14: several host processes on one (PostgreSQL) database claim webhook calls and callbacks with
-- a lease, as they already claim outbox rows: one host works on a row at a time, and a dead host's
-- rows go to the others when the lease ends.
ALTER TABLE webhook_inbox ADD COLUMN lease_owner TEXT;
ALTER TABLE webhook_inbox ADD COLUMN lease_until INTEGER;
ALTER TABLE callback_outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE callback_outbox ADD COLUMN lease_until INTEGER;
