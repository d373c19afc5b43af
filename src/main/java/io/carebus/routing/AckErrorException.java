package io.carebus.routing;

/** The downstream answered AE/CE (or no readable ACK): retried with back-off. */
public class AckErrorException extends DownstreamRefusal {
    public AckErrorException(String message) {
        this(message, "");
    }

    public AckErrorException(String message, String ackFreeText) {
        super(message, ackFreeText);
    }
}
