package io.carebus.stage;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** The options of a stage queue consumer (see {@link StageComponent}). */
public class StageEndpoint extends DefaultEndpoint {

    private final String queue;
    private int consumers = 4;
    private int maxBatch = 32;
    private long receiveTimeout = 1000;
    private long batchLingerMs;
    private StageBatchStep batchStep;
    private long redeliveryDelayMs = 1000;
    private double redeliveryMultiplier = 2.0;
    private long maxRedeliveryDelayMs = 300_000;

    StageEndpoint(String uri, StageComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("stage only consumes; send with jms:queue:" + queue);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StageConsumer consumer = new StageConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The jms endpoint of the same queue, transacted: its connection factory, and its mapping of JMS messages to
     * exchanges, are the ones the route's jms producers and the rest of the engine use.
     */
    JmsEndpoint jmsEndpoint() {
        return getCamelContext().getEndpoint("jms:queue:" + queue + "?transacted=true", JmsEndpoint.class);
    }

    public String getQueue() { return queue; }

    /** Consumer threads, each with its own session. Messages of one patient (JMSXGroupID) go to one of them. */
    public int getConsumers() { return consumers; }
    public void setConsumers(int consumers) { this.consumers = consumers; }

    /** The most messages processed and committed in one transaction (1: one transaction per message). */
    public int getMaxBatch() { return maxBatch; }
    public void setMaxBatch(int maxBatch) { this.maxBatch = maxBatch; }

    /**
     * How long (ms) a consumer that got a message waits for more before processing a batch that is not full
     * (0: it takes only those already waiting). At moderate rates batches otherwise hold one or two messages, and
     * every batch costs a broker commit, thread hand-offs and its statements; a full batch never waits.
     */
    public long getBatchLingerMs() { return batchLingerMs; }
    public void setBatchLingerMs(long batchLingerMs) { this.batchLingerMs = batchLingerMs; }

    /** How long (ms) an idle consumer waits for a message before checking whether it should stop. */
    public long getReceiveTimeout() { return receiveTimeout; }
    public void setReceiveTimeout(long receiveTimeout) { this.receiveTimeout = receiveTimeout; }

    /**
     * The back-off before a failed message is processed again: {@code redeliveryDelayMs} after the first failure,
     * times {@code redeliveryMultiplier} after each next one, at most {@code maxRedeliveryDelayMs}. The consumer
     * holds the message meanwhile, so the queue itself must have no broker redelivery delay ({@link RetryHolds}).
     * The component's defaults are carebus.queues.redelivery-delay-ms, redelivery-multiplier and
     * max-redelivery-delay-ms.
     */
    public long getRedeliveryDelayMs() { return redeliveryDelayMs; }
    public void setRedeliveryDelayMs(long redeliveryDelayMs) { this.redeliveryDelayMs = redeliveryDelayMs; }
    public double getRedeliveryMultiplier() { return redeliveryMultiplier; }
    public void setRedeliveryMultiplier(double redeliveryMultiplier) { this.redeliveryMultiplier = redeliveryMultiplier; }
    public long getMaxRedeliveryDelayMs() { return maxRedeliveryDelayMs; }
    public void setMaxRedeliveryDelayMs(long maxRedeliveryDelayMs) { this.maxRedeliveryDelayMs = maxRedeliveryDelayMs; }

    /** Run once per batch before the route ({@code batchStep=#bean}); none by default. */
    public StageBatchStep getBatchStep() { return batchStep; }
    public void setBatchStep(StageBatchStep batchStep) { this.batchStep = batchStep; }
}
