-- SQLite twin of db/migration/V4 (same columns).
-- Issue 11: a repeated event id with other content is refused (409); a repeat of the same content
-- stays an idempotent duplicate. Rows accepted before this column existed have no hash.
ALTER TABLE processed_events ADD COLUMN content_hash TEXT;
