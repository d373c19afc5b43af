package io.carebus.routing;

import io.carebus.CarebusHeaders;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of every outbound route: skip what a destination already has, check the answer, and record the
 * outcome per destination in the journal.
 */
public class OutboundDelivery {

    /** camel-mllp producer: the acknowledgement received, as text. */
    static final String MLLP_ACK_STRING = "CamelMllpAcknowledgementString";

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

    private final Journal journal;
    private final int maxDeliveryAttempts;

    public OutboundDelivery(Journal journal, int maxDeliveryAttempts) {
        this.journal = journal;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    /**
     * True when the destination already acknowledged this journal row: it is not sent twice. Checked on every
     * delivery, not only on broker redeliveries: after a crash an upstream stage may have queued a second copy
     * of the same row (a fresh JMS message), which only the journal can recognise. A replay is a new row and
     * is always sent.
     */
    /** Exchange property set by {@link #checkDelivered}. */
    public static final String ALREADY_DELIVERED = "CarebusAlreadyDelivered";

    /** Sets {@link #ALREADY_DELIVERED}: whether the journal records this message as delivered here already. */
    public void checkDelivered(Exchange exchange) {
        exchange.setProperty(ALREADY_DELIVERED, alreadyDelivered(exchange));
    }

    public boolean alreadyDelivered(Exchange exchange) {
        return journal.wasDelivered(exchange, destination(exchange.getMessage()));
    }

    /** Checks the ACK: MSA-1 and MSA-2 against the MSH-10 that was sent (HL7 v2 chapter 2.9). */
    public void verifyAck(Exchange exchange) {
        Message in = exchange.getMessage();
        String ack = in.getHeader(MLLP_ACK_STRING, String.class);
        String sent = in.getHeader(CarebusHeaders.CONTROL_ID, String.class);
        if (ack == null || ack.isEmpty()) {
            throw new AckErrorException("No acknowledgement received");
        }
        String[] msa = msa(ack);
        if (msa == null) {
            throw new AckErrorException("The acknowledgement has no MSA segment");
        }
        String code = msa.length > 1 ? msa[1] : "";
        String acked = msa.length > 2 ? msa[2] : "";
        if (!acked.equals(sent)) {
            throw new AckMismatchException("MSA-2 '" + acked + "' does not match the MSH-10 sent '" + sent + "'");
        }
        switch (code) {
            case "AA", "CA" -> { }
            case "AR", "CR" -> throw new AckRejectedException("Destination rejected the message (" + code + ")");
            default -> throw new AckErrorException("Destination answered " + code);
        }
    }

    public void delivered(Exchange exchange) {
        Message in = exchange.getMessage();
        journal.recordDelivery(exchange, destination(in), MessageStatus.DELIVERED, null);
        journal.status(exchange, MessageStatus.DELIVERED);
        log.debug("Delivered controlId={} to {}", in.getHeader(CarebusHeaders.CONTROL_ID), destination(in));
    }

    /** The broker's delivery count has reached carebus.queues.max-delivery-attempts. */
    public boolean isLastAttempt(Exchange exchange) {
        return deliveryCount(exchange.getMessage()) >= maxDeliveryAttempts;
    }

    /** A failure that the broker will retry; on the last attempt the route dead-letters it. */
    public void failed(Exchange exchange) {
        Message in = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = describe(cause);
        boolean last = deliveryCount(in) >= maxDeliveryAttempts;
        MessageStatus status = last ? MessageStatus.DEAD : MessageStatus.ERROR;
        journal.recordDelivery(exchange, destination(in), status, error);
        journal.status(exchange, status, error);
        in.setHeader(CarebusHeaders.ERROR, error);
        log.warn("Delivery of controlId={} to {} failed (attempt {}{}): {}", in.getHeader(CarebusHeaders.CONTROL_ID),
                destination(in), deliveryCount(in), last ? ", dead-lettered" : "", error);
    }

    /** Refused for good: recorded dead; the route puts it on DLQ.<queue>. */
    public void deadLettered(Exchange exchange) {
        Message in = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = describe(cause);
        journal.recordDelivery(exchange, destination(in), MessageStatus.DEAD, error);
        journal.status(exchange, MessageStatus.DEAD, error);
        in.setHeader(CarebusHeaders.ERROR, error);
        log.warn("controlId={} refused by {}, dead-lettered: {}", in.getHeader(CarebusHeaders.CONTROL_ID),
                destination(in), error);
    }

    static String describe(Exception cause) {
        if (cause == null) {
            return "unknown error";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String destination(Message in) {
        return in.getHeader(CarebusHeaders.DESTINATION, String.class);
    }

    private static int deliveryCount(Message in) {
        Integer count = in.getHeader(CarebusHeaders.JMS_DELIVERY_COUNT, Integer.class);
        return count == null ? 1 : count;
    }

    /** Fields of the MSA segment, split on the ACK's own field separator. */
    private static String[] msa(String ack) {
        if (ack.length() < 4 || !ack.startsWith("MSH")) {
            return null;
        }
        char fs = ack.charAt(3);
        for (String segment : ack.split("[\r\n]+")) {
            if (segment.startsWith("MSA" + fs)) {
                return segment.split(java.util.regex.Pattern.quote(String.valueOf(fs)), -1);
            }
        }
        return null;
    }
}
