package io.carebus.stage;

import java.util.List;

import org.apache.camel.Exchange;

/**
 * Work done once for a whole stage batch before the route runs for each of its messages ({@code batchStep} option
 * of {@code stage:}): one database round trip for the batch instead of one per message. It leaves its answer for
 * each message in an exchange property that a step of the route reads; that step does the work for the one
 * message itself when the property is missing, so the batch step only saves time and never decides alone.
 */
public interface StageBatchStep {

    /**
     * Called with the batch's exchanges in the order they were received. When it throws, the failure is logged and
     * the route runs as if there were no batch step (its own error handling then sees any lasting fault).
     */
    void prepare(List<Exchange> batch) throws Exception;
}
