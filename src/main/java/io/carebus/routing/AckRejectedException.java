package io.carebus.routing;

/** The downstream refused the message (AR/CR): retrying cannot help, it goes to the dead letters. */
public class AckRejectedException extends RuntimeException {
    public AckRejectedException(String message) {
        super(message);
    }
}
