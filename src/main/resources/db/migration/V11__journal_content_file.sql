-- Content too large for a row (a large X12 file) is kept encrypted on disk; the row holds its reference
-- (<yyyyMMdd>/<uuid>.enc under carebus.journal.content-dir) and an empty content.
ALTER TABLE journal_message ADD COLUMN content_ref text;
