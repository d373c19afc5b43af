package io.carebus.journal;

/**
 * The replay's journal row was stored but the broker did not take the message (down, or its address full): the row
 * is marked {@code error} with the reason, and nothing goes through the stages. Replaying again may succeed.
 */
public class JournalReplayNotQueuedException extends RuntimeException {

    private final long replayOf;
    private final long journalId;

    public JournalReplayNotQueuedException(long replayOf, long journalId, String message, Throwable cause) {
        super(message, cause);
        this.replayOf = replayOf;
        this.journalId = journalId;
    }

    public long replayOf() {
        return replayOf;
    }

    /** The replay's own journal row, marked error. */
    public long journalId() {
        return journalId;
    }
}
