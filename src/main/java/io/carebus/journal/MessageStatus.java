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

    /**
     * The order of the lifecycle, as the database's {@code journal_status_rank} (V2__status_order.sql): a status
     * change is applied only when it does not go back. Error and dead share a rank (a dead letter replayed can still
     * be delivered); duplicate and rejected are final.
     */
    public int rank() {
        return switch (this) {
            case RECEIVED -> 0;
            case QUEUED -> 1;
            case TRANSFORMED -> 2;
            case ROUTED -> 3;
            case ERROR, DEAD -> 4;
            case DELIVERED -> 5;
            case REJECTED, DUPLICATE -> 6;
        };
    }
}
