-- The message journal: one row per message received, partitioned by day so retention drops whole partitions.
CREATE SEQUENCE journal_message_id_seq CACHE 1000;

CREATE TABLE journal_message (
    id             bigint      NOT NULL DEFAULT nextval('journal_message_id_seq'),
    received_at    timestamptz NOT NULL,
    channel        text        NOT NULL,             -- inbound channel, e.g. mllp-hl7v2
    sender         text,                             -- MSH-3^MSH-4
    receiver       text,                             -- MSH-5^MSH-6
    message_type   text,                             -- MSH-9.1
    trigger_event  text,                             -- MSH-9.2
    control_id     text,                             -- MSH-10
    version        text,                             -- MSH-12
    patient_key    text,                             -- HMAC of PID-3.1 + PID-3.4, never the identifier itself
    status         text        NOT NULL,             -- received, duplicate, rejected, queued, transformed, routed, delivered, error, dead
    error          text,
    size_bytes     integer     NOT NULL,
    content        bytea       NOT NULL,             -- AES-GCM: key id byte, 12-byte nonce, ciphertext+tag
    replay_of      bigint,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);

CREATE INDEX journal_message_control_idx ON journal_message (control_id);
CREATE INDEX journal_message_patient_idx ON journal_message (patient_key, received_at);
CREATE INDEX journal_message_status_idx  ON journal_message (status, received_at);
CREATE INDEX journal_message_type_idx    ON journal_message (message_type, trigger_event, received_at);

-- Outcome per destination; partitioned like the messages it belongs to.
CREATE TABLE journal_delivery (
    message_id     bigint      NOT NULL,
    received_at    timestamptz NOT NULL,
    destination    text        NOT NULL,
    status         text        NOT NULL,             -- delivered, error, dead
    attempts       integer     NOT NULL DEFAULT 1,
    error          text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, destination, received_at)
) PARTITION BY RANGE (received_at);

-- Keys of recently received messages, for duplicate detection within the configured window.
CREATE TABLE hl7_dedup (
    sender         text        NOT NULL,
    control_id     text        NOT NULL,
    received_at    timestamptz NOT NULL,
    message_id     bigint      NOT NULL,
    PRIMARY KEY (sender, control_id)
);
CREATE INDEX hl7_dedup_received_idx ON hl7_dedup (received_at);

-- Who looked at which message content, and who replayed what.
CREATE TABLE journal_audit (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    username       text        NOT NULL,
    action         text        NOT NULL,             -- view-content, replay, replay-dead-letter
    message_id     bigint,
    detail         text
);

-- Creates the daily partitions of both partitioned tables for [from_day, from_day + days).
CREATE FUNCTION journal_ensure_partitions(from_day date, days integer) RETURNS void AS $$
DECLARE
    d date;
    t text;
BEGIN
    FOR i IN 0 .. days - 1 LOOP
        d := from_day + i;
        FOREACH t IN ARRAY ARRAY['journal_message', 'journal_delivery'] LOOP
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           t || '_' || to_char(d, 'YYYYMMDD'), t,
                           d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        END LOOP;
    END LOOP;
END;
$$ LANGUAGE plpgsql;

-- A catch-all for rows outside the prepared days (clock skew, replays of old rows): nothing is ever refused.
CREATE TABLE journal_message_default PARTITION OF journal_message DEFAULT;
CREATE TABLE journal_delivery_default PARTITION OF journal_delivery DEFAULT;

SELECT journal_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, 4);
