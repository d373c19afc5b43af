-- Events of topic-based FHIR subscriptions (Subscriptions R5 Backport IG): each subscription's event numbers,
-- durable across restarts, and its most recent events for Subscription/[id]/$events.
CREATE TABLE fhir_subscription_event_counter (
    subscription_id  text    PRIMARY KEY,   -- Subscription/123
    last_event       bigint  NOT NULL
);

CREATE TABLE fhir_subscription_event (
    subscription_id  text        NOT NULL,
    event_number     bigint      NOT NULL,
    occurred_at      timestamptz NOT NULL,
    focus            text        NOT NULL,   -- the focus resource with its version: Observation/5/_history/2
    PRIMARY KEY (subscription_id, event_number)
);
