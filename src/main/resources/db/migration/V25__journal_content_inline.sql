-- Keeps a message's encrypted content in its journal row up to a page (toast_tuple_target 8160) instead of the
-- default ~2 kB. Above 2 kB PostgreSQL first tries to compress the content, which AES-GCM ciphertext never allows,
-- and then moves it out of line into the TOAST table: one more heap and index insert, and its WAL, per message.
-- A typical ADT of 1.5 kB with its metadata sits right at that threshold. Content larger than a page still goes out
-- of line, and content above carebus.journal.inline-max-bytes goes to files, as before.
-- Storage parameters belong to each partition (PostgreSQL refuses them on a partitioned table), so the existing
-- partitions are set here and journal_ensure_partitions sets each new one.
DO $$
DECLARE
    p regclass;
BEGIN
    FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'journal_message'::regclass LOOP
        EXECUTE format('ALTER TABLE %s SET (toast_tuple_target = 8160)', p);
    END LOOP;
END;
$$;

-- As V24's, with the storage parameter on each new journal_message partition.
CREATE OR REPLACE FUNCTION journal_ensure_partitions(from_day date, days integer) RETURNS void AS $$
DECLARE
    d    date;
    t    text;
    p    text;
    cols text;
    lo   timestamptz;
    hi   timestamptz;
BEGIN
    -- engines sharing one database run this at the same time: one at a time, the next finds the partitions made
    PERFORM pg_advisory_xact_lock(hashtext('journal_ensure_partitions'));
    FOR i IN 0 .. days - 1 LOOP
        d  := from_day + i;
        lo := d::timestamp AT TIME ZONE 'UTC';
        hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
        FOREACH t IN ARRAY ARRAY['journal_message', 'journal_delivery'] LOOP
            p := t || '_' || to_char(d, 'YYYYMMDD');
            CONTINUE WHEN to_regclass(p) IS NOT NULL;
            -- no row of the day may reach the DEFAULT partition between the move and the attach (other engines
            -- keep writing): their inserts wait for this transaction, then go to the new partition
            EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', t || '_default');
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
              FROM pg_attribute WHERE attrelid = t::regclass AND attnum > 0 AND NOT attisdropped;
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', p, t);
            IF t = 'journal_message' THEN
                EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = 8160)', p);
            END IF;
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE received_at >= %L AND received_at < %L RETURNING %s) '
                           'INSERT INTO %I (%s) SELECT %s FROM moved', t || '_default', lo, hi, cols, p, cols, cols);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', t, p, lo, hi);
        END LOOP;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
