package io.carebus.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.carebus.CarebusHeaders;
import io.carebus.config.BrokerConfig;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import io.carebus.stage.StageBatchStep;
import io.carebus.stage.StageEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of every outbound route: skip what a destination already has, check the answer, and record the
 * outcome per destination in the journal.
 */
public class OutboundDelivery implements StageBatchStep {

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

    private final Journal journal;
    private final int maxDeliveryAttempts;
    /** Outbound queue name → destination name, for the batch step (which runs before the route names it). */
    private final Map<String, String> destinationByQueue;

    public OutboundDelivery(Journal journal, int maxDeliveryAttempts, Collection<String> destinations) {
        this.journal = journal;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.destinationByQueue = destinations.stream()
                .collect(Collectors.toUnmodifiableMap(BrokerConfig::outboundQueue, Function.identity()));
    }

    /**
     * True when the destination already acknowledged this journal row: it is not sent twice. Checked on every
     * delivery, not only on broker redeliveries: after a crash an upstream stage may have queued a second copy
     * of the same row (a fresh JMS message), which only the journal can recognise. A replay is a new row and
     * is always sent.
     */
    /** Exchange property set by {@link #checkDelivered}. */
    public static final String ALREADY_DELIVERED = "CarebusAlreadyDelivered";

    /**
     * Sets {@link #ALREADY_DELIVERED}: whether the journal records this message as delivered here already (unless
     * {@link #prepare} answered for the whole batch).
     */
    public void checkDelivered(Exchange exchange) {
        if (exchange.getProperty(ALREADY_DELIVERED) == null) {
            exchange.setProperty(ALREADY_DELIVERED, alreadyDelivered(exchange));
        }
    }

    /**
     * {@link #checkDelivered} for a whole stage batch of an outbound queue, in one query. A journal row that comes
     * twice in the batch (a second copy queued upstream after a crash) is left to {@link #checkDelivered} for its
     * second copy, which then sees the first copy's delivery, as one message after another would.
     */
    @Override
    public void prepare(List<Exchange> batch) {
        if (batch.isEmpty() || !(batch.get(0).getFromEndpoint() instanceof StageEndpoint stage)) {
            return;
        }
        String destination = destinationByQueue.get(stage.getQueue());
        if (destination == null) {
            return;
        }
        List<Exchange> checked = new ArrayList<>(batch.size());
        Set<Long> seen = new HashSet<>();
        for (Exchange exchange : batch) {
            Long id = exchange.getMessage().getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
            if (id != null && exchange.getMessage().getHeader(CarebusHeaders.RECEIVED_AT) != null && seen.add(id)) {
                checked.add(exchange);
            }
        }
        if (checked.isEmpty()) {
            return;
        }
        Set<Long> delivered = journal.deliveredAmong(checked, destination);
        for (Exchange exchange : checked) {
            exchange.setProperty(ALREADY_DELIVERED,
                    delivered.contains(exchange.getMessage().getHeader(CarebusHeaders.JOURNAL_ID, Long.class)));
        }
    }

    public boolean alreadyDelivered(Exchange exchange) {
        return journal.wasDelivered(exchange, destination(exchange.getMessage()));
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
        String error = describe(caught(exchange));
        String reason = error + ackFreeText(caught(exchange));
        boolean last = deliveryCount(in) >= maxDeliveryAttempts;
        MessageStatus status = last ? MessageStatus.DEAD : MessageStatus.ERROR;
        journal.recordDelivery(exchange, destination(in), status, reason);
        journal.status(exchange, status, reason);
        in.setHeader(CarebusHeaders.ERROR, reason);
        log.warn("Delivery of controlId={} to {} failed (attempt {}{}): {}", in.getHeader(CarebusHeaders.CONTROL_ID),
                destination(in), deliveryCount(in), last ? ", dead-lettered" : "", forLog(caught(exchange), error));
    }

    /** A FHIR destination's refusal that no retry can change ({@link FhirRefusal}): dead-lettered at once. */
    public boolean isRefusedForGood(Exchange exchange) {
        return FhirRefusal.isFinal(caught(exchange));
    }

    /** Refused for good: recorded dead; the route puts it on DLQ.<queue>. */
    public void deadLettered(Exchange exchange) {
        Message in = exchange.getMessage();
        Exception cause = caught(exchange);
        String error = describe(cause);
        String reason = error + answeredBody(cause) + ackFreeText(cause);
        journal.recordDelivery(exchange, destination(in), MessageStatus.DEAD, reason);
        journal.status(exchange, MessageStatus.DEAD, reason);
        in.setHeader(CarebusHeaders.ERROR, reason);
        log.warn("controlId={} refused by {}, dead-lettered: {}", in.getHeader(CarebusHeaders.CONTROL_ID),
                destination(in), forLog(cause, error));
    }

    /**
     * A FHIR server's refusal is logged by its class and status alone: its text (HAPI's message, the server's
     * OperationOutcome) may quote the message, e.g. a match URL with the patient's identifier; the journal has it.
     */
    private static String forLog(Exception cause, String error) {
        int status = FhirRefusal.status(cause);
        return status == 0 ? error : cause.getClass().getSimpleName() + ": HTTP " + status + " (reason in the journal)";
    }

    /** What an external server answered with its refusal (the OperationOutcome), for the journal. */
    private static String answeredBody(Exception cause) {
        return cause instanceof org.apache.camel.http.base.HttpOperationFailedException http
                && http.getResponseBody() != null && !http.getResponseBody().isBlank()
                ? " " + http.getResponseBody() : "";
    }

    /**
     * A refusing ACK's free text, for the journal only and only where the destination allows it
     * (ack-error-text): it may quote the message, so the log line gets the codes alone.
     */
    private static String ackFreeText(Exception cause) {
        return cause instanceof DownstreamRefusal refusal && !refusal.ackFreeText().isEmpty()
                ? " [ACK text: " + refusal.ackFreeText() + "]" : "";
    }

    /** The failure the route's error handler caught. */
    static Exception caught(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
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
}
