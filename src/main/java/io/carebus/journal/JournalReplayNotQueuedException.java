package io.carebus.journal;

/**
 * The replay's journal row was stored but the broker did not take the message (down, or its address full): the row
 * is marked {@code error} with the reason, and nothing goes through the stages. Replaying again may succeed.
 */
public class JournalReplayNotQueuedException extends RuntimeException {

    private final long replayOf;
    private final long journalId;
    private final java.util.List<String> destinations;

    public JournalReplayNotQueuedException(long replayOf, long journalId, java.util.List<String> destinations,
                                           String message, Throwable cause) {
        super(message, cause);
        this.replayOf = replayOf;
        this.journalId = journalId;
        this.destinations = java.util.List.copyOf(destinations);
    }

    /** The destinations the replay was for (empty: every destination the router picks). */
    public java.util.List<String> destinations() {
        return destinations;
    }

    public long replayOf() {
        return replayOf;
    }

    /** The replay's own journal row, marked error. */
    public long journalId() {
        return journalId;
    }
}
