package io.carebus.routing;

/**
 * A dead-letter replay stopped part way: the chunks before the failure were moved (and committed); the failing
 * chunk's transaction was rolled back, leaving its messages in the dead-letter queue (unless only the broker's
 * answer to its commit was lost); the rest was not tried.
 */
public class DeadLetterReplayFailedException extends RuntimeException {

    private final String queue;
    private final int moved;

    public DeadLetterReplayFailedException(String queue, int moved, String reason, Throwable cause) {
        super("Replay of " + queue + " stopped after " + moved + " message(s) moved: " + reason, cause);
        this.queue = queue;
        this.moved = moved;
    }

    /** The dead-letter queue. */
    public String queue() {
        return queue;
    }

    /** How many messages were moved back before the failure. */
    public int moved() {
        return moved;
    }
}
