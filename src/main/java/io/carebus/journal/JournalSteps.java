package io.carebus.journal;

import io.carebus.CarebusHeaders;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Journal steps the stage routes call by name (transform, route and their error handler). */
public class JournalSteps {

    private static final Logger log = LoggerFactory.getLogger(JournalSteps.class);

    private final Journal journal;
    private final int maxDeliveryAttempts;

    public JournalSteps(Journal journal, int maxDeliveryAttempts) {
        this.journal = journal;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    public void transformed(Exchange exchange) {
        journal.status(exchange, MessageStatus.TRANSFORMED);
    }

    public void routed(Exchange exchange) {
        journal.status(exchange, MessageStatus.ROUTED);
    }

    public boolean isLastAttempt(Exchange exchange) {
        Integer count = exchange.getMessage().getHeader(CarebusHeaders.JMS_DELIVERY_COUNT, Integer.class);
        return count != null && count >= maxDeliveryAttempts;
    }

    /** The queue the failing message was consumed from (its dead letters go to DLQ.&lt;queue&gt;). */
    public String sourceQueue(Exchange exchange) throws jakarta.jms.JMSException {
        Object destination = exchange.getMessage().getHeader("JMSDestination");
        if (destination instanceof jakarta.jms.Queue queue) {
            return queue.getQueueName();
        }
        throw new IllegalStateException("Not consumed from a JMS queue: " + destination);
    }

    /** A stage failed: retried by the broker, dead-lettered after the last attempt. */
    public void stageFailed(Exchange exchange) {
        failed(exchange, isLastAttempt(exchange) ? ", dead-lettered" : null);
    }

    /**
     * A stage failed in a way no retry can change (content no configured journal key opens): dead-lettered at once,
     * the journal row {@code dead} with the reason, instead of retried with back-off until the last attempt.
     */
    public void stageFailedForGood(Exchange exchange) {
        failed(exchange, ", dead-lettered without retry");
    }

    /** @param deadLettered null when the broker retries, else how the message went to the dead letters */
    private void failed(Exchange exchange, String deadLettered) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer count = exchange.getMessage().getHeader(CarebusHeaders.JMS_DELIVERY_COUNT, Integer.class);
        String error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        journal.status(exchange, deadLettered != null ? MessageStatus.DEAD : MessageStatus.ERROR, error);
        exchange.getMessage().setHeader(CarebusHeaders.ERROR, error);
        log.warn("Stage {} failed for controlId={} (attempt {}{}): {}", exchange.getFromRouteId(),
                exchange.getMessage().getHeader(CarebusHeaders.CONTROL_ID), count,
                deadLettered == null ? "" : deadLettered, error);
    }
}
