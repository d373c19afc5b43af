package io.carebus.stage;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code stage:<queue>}: a durable stage queue consumed in transacted batches. Each consumer thread takes up to
 * {@code maxBatch} messages that are already waiting, runs the route for each, and commits the consumed
 * messages together with everything the route sent to the next queue in one JMS transaction (one broker sync
 * instead of one per message). Headers and body are mapped exactly as the {@code jms} component maps them.
 *
 * <p>A failure rolls the whole batch back; every message redelivered after that is then processed alone, so a
 * bad message reaches its dead-letter queue by itself and its neighbours go through on their next delivery. The
 * failed message itself comes back after its back-off, before anything of its message group (see {@link RetryHolds}).
 */
public class StageComponent extends DefaultComponent {

    private long redeliveryDelayMs = 1000;
    private double redeliveryMultiplier = 2.0;
    private long maxRedeliveryDelayMs = 300_000;

    /** The back-off of every stage endpoint unless the endpoint sets its own ({@link StageEndpoint}). */
    public StageComponent backOff(long delayMs, double multiplier, long maxDelayMs) {
        this.redeliveryDelayMs = delayMs;
        this.redeliveryMultiplier = multiplier;
        this.maxRedeliveryDelayMs = maxDelayMs;
        return this;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("stage endpoint needs a queue name: stage:<queue>");
        }
        StageEndpoint endpoint = new StageEndpoint(uri, this, remaining);
        endpoint.setRedeliveryDelayMs(redeliveryDelayMs);
        endpoint.setRedeliveryMultiplier(redeliveryMultiplier);
        endpoint.setMaxRedeliveryDelayMs(maxRedeliveryDelayMs);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
