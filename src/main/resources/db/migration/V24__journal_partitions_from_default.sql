-- Creates the daily partitions of both partitioned tables for [from_day, from_day + days), as V1's function did,
-- and moves into each new partition the rows of its day that the DEFAULT partition already holds. Such rows (a
-- clock set days ahead, then corrected) made CREATE TABLE ... PARTITION OF fail ("updated partition constraint for
-- default partition would be violated") and, as the whole call failed, no later day got its partition either.
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
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE received_at >= %L AND received_at < %L RETURNING %s) '
                           'INSERT INTO %I (%s) SELECT %s FROM moved', t || '_default', lo, hi, cols, p, cols, cols);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', t, p, lo, hi);
        END LOOP;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
