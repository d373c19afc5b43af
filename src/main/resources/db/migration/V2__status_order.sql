-- Stages report status asynchronously and a fast message can overtake its own "queued" report:
-- a status only replaces one that comes earlier in the lifecycle.
CREATE FUNCTION journal_status_rank(status text) RETURNS integer AS $$
    SELECT CASE status
        WHEN 'received' THEN 0
        WHEN 'queued' THEN 1
        WHEN 'transformed' THEN 2
        WHEN 'routed' THEN 3
        WHEN 'error' THEN 4
        WHEN 'dead' THEN 4                       -- a dead letter replayed can still be delivered
        WHEN 'delivered' THEN 5
        ELSE 6                                   -- duplicate, rejected: final
    END
$$ LANGUAGE sql IMMUTABLE;
