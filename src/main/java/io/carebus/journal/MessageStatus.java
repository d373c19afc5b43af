package io.carebus.journal;

/** The lifecycle of a journal row. */
public enum MessageStatus {
    /** Stored and about to be queued; not acknowledged yet. */
    RECEIVED,
    /** Refused at the door (AR/AE); the bytes are kept. */
    REJECTED,
    /** The same sender sent the same control id within the duplicate window; not processed again. */
    DUPLICATE,
    /** On the ingress queue and acknowledged. */
    QUEUED,
    TRANSFORMED,
    ROUTED,
    DELIVERED,
    /** A failure that will be retried. */
    ERROR,
    /** Retries exhausted or refused by the target: in a dead-letter queue. */
    DEAD;

    public String dbValue() {
        return name().toLowerCase();
    }
}
