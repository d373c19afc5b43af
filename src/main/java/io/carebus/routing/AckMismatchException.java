package io.carebus.routing;

/** The downstream answered with an ACK whose MSA-2 is not the MSH-10 we sent: not a success. */
public class AckMismatchException extends RuntimeException {
    public AckMismatchException(String message) {
        super(message);
    }
}
