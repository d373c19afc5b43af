package io.carebus.routing;

/** The downstream answered AE/CE (or no readable ACK): retried with back-off. */
public class AckErrorException extends RuntimeException {
    public AckErrorException(String message) {
        super(message);
    }
}
