-- Issue 14: several host processes on one (PostgreSQL) database claim webhook calls and callbacks with
-- a lease, as they already claim outbox rows: one host works on a row at a time, and a dead host's
-- rows go to the others when the lease ends.
ALTER TABLE webhook_inbox ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE webhook_inbox ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE callback_outbox ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE callback_outbox ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
