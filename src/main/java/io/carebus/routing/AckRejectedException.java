package io.carebus.routing;

/** The downstream refused the message (AR/CR): retrying cannot help, it goes to the dead letters. */
public class AckRejectedException extends DownstreamRefusal {
    public AckRejectedException(String message) {
        this(message, "");
    }

    public AckRejectedException(String message, String ackFreeText) {
        super(message, ackFreeText);
    }
}
