-- The journal search by status dead (or error) also finds a message whose row says delivered, because another
-- destination took it, when one of its destinations gave up on it (or is still retrying): an index of those
-- per-destination outcomes alone. Delivered outcomes, nearly all of them, stay out of it and cost nothing more.
CREATE INDEX journal_delivery_failing_idx ON journal_delivery (status, message_id, received_at)
    WHERE status IN ('error', 'dead');
