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

    /** A stage failed: retried by the broker, dead-lettered after the last attempt. */
    public void stageFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer count = exchange.getMessage().getHeader(CarebusHeaders.JMS_DELIVERY_COUNT, Integer.class);
        boolean last = count != null && count >= maxDeliveryAttempts;
        String error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        journal.status(exchange, last ? MessageStatus.DEAD : MessageStatus.ERROR, error);
        log.warn("Stage {} failed for controlId={} (attempt {}{}): {}", exchange.getFromRouteId(),
                exchange.getMessage().getHeader(CarebusHeaders.CONTROL_ID), count, last ? ", dead-lettered" : "",
                error);
    }
}
