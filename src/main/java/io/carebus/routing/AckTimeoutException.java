package io.carebus.routing;

/** The downstream did not acknowledge the message within the destination's ACK timeout: retried with back-off. */
public class AckTimeoutException extends RuntimeException {
    public AckTimeoutException(String message) {
        super(message);
    }
}
