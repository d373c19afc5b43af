package io.carebus.fhir.subscription;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.subscriptions.*}: FHIR R4 rest-hook and topic-based (backport) subscriptions. */
@ConfigurationProperties("carebus.fhir.subscriptions")
public class SubscriptionProperties {

    /** Off: Subscription resources are stored but never activated nor matched (no channel type is supported). */
    private boolean enabled = true;
    /** The durable Artemis queue between matching and delivery; its dead letters go to DLQ.&lt;queue&gt;. */
    private String queue = "carebus.subscription.notify";
    /** Delivery attempts before a notification is dead-lettered (the broker's back-off is carebus.queues.*). */
    private int maxDeliveryAttempts = 10;
    /** Connect and response timeout of one POST/PUT to a subscriber. */
    private int deliveryTimeoutMs = 10_000;
    /**
     * How often HAPI hands the changes committed since its last pass (kept in HFJ_RESOURCE_MODIFIED by each write's
     * transaction) to matching: the most a notification waits for its change to be matched.
     */
    private long submissionIntervalMs = 1000;
    /** Concurrent deliveries. */
    private int consumers = 2;
    /**
     * How often the topic subscriptions with a backport-heartbeat-period are checked for a heartbeat due: a
     * heartbeat is late by at most this much.
     */
    private long heartbeatCheckIntervalMs = 1000;
    /**
     * Resource types whose changes are never matched against subscriptions: the server's own AuditEvents (one per
     * access; matching would read each back and a subscription on them would feed on itself) and Bulk Data output
     * files (Binary).
     */
    private Set<String> unmatchedResourceTypes = new TreeSet<>(Set.of("AuditEvent", "Binary"));
    /** The most recent events kept per topic subscription for Subscription/[id]/$events. */
    private int eventsKept = 1000;

    public int getEventsKept() {
        return eventsKept;
    }

    public void setEventsKept(int eventsKept) {
        this.eventsKept = eventsKept;
    }

    public Set<String> getUnmatchedResourceTypes() {
        return unmatchedResourceTypes;
    }

    public void setUnmatchedResourceTypes(Set<String> unmatchedResourceTypes) {
        this.unmatchedResourceTypes = unmatchedResourceTypes;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public int getMaxDeliveryAttempts() {
        return maxDeliveryAttempts;
    }

    public void setMaxDeliveryAttempts(int maxDeliveryAttempts) {
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    public int getDeliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    public void setDeliveryTimeoutMs(int deliveryTimeoutMs) {
        this.deliveryTimeoutMs = deliveryTimeoutMs;
    }

    public long getSubmissionIntervalMs() {
        return submissionIntervalMs;
    }

    public void setSubmissionIntervalMs(long submissionIntervalMs) {
        this.submissionIntervalMs = submissionIntervalMs;
    }

    public long getHeartbeatCheckIntervalMs() {
        return heartbeatCheckIntervalMs;
    }

    public void setHeartbeatCheckIntervalMs(long heartbeatCheckIntervalMs) {
        this.heartbeatCheckIntervalMs = heartbeatCheckIntervalMs;
    }

    public int getConsumers() {
        return consumers;
    }

    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }
}
