package io.carebus.routing;

/**
 * A downstream system's ACK that does not accept the message. The message holds the ACK's codes only (safe for logs);
 * the ACK's free text, when the destination allows it in the journal ({@code ack-error-text}), is kept apart.
 */
public abstract class DownstreamRefusal extends RuntimeException {

    private final String ackFreeText;

    protected DownstreamRefusal(String message, String ackFreeText) {
        super(message);
        this.ackFreeText = ackFreeText == null ? "" : ackFreeText;
    }

    /** MSA-3, ERR-3.2, ERR-7, ERR-8 as the downstream wrote them; empty unless the destination allows it. */
    public String ackFreeText() {
        return ackFreeText;
    }
}
