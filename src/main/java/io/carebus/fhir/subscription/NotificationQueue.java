package io.carebus.fhir.subscription;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.TextMessage;
import org.springframework.jms.core.JmsTemplate;

/**
 * Puts a notification on the durable subscription queue ({@code carebus.fhir.subscriptions.queue}), from which the
 * {@code outbound-fhir-subscription} route sends it with retry and a dead letter. Only the request travels (the
 * properties of {@link SubscriptionHeaders} and the body); the endpoint and its headers are read from the
 * Subscription at delivery. Remembers when each subscription last had a notification queued, for heartbeats.
 */
public class NotificationQueue {

    /** What is sent: the HTTP method, the path after the endpoint, the event name, the body and its type. */
    public record Notification(String subscriptionId, String method, String path, String event, String contentType,
                               String body) {
    }

    private final JmsTemplate jms;
    private final String queue;
    private final MeterRegistry meters;
    private final Map<String, Instant> lastQueued = new ConcurrentHashMap<>();

    public NotificationQueue(JmsTemplate jms, String queue, MeterRegistry meters) {
        this.jms = jms;
        this.queue = queue;
        this.meters = meters;
    }

    public void send(Notification n) {
        jms.send(queue, session -> {
            TextMessage m = session.createTextMessage(n.body() == null ? "" : n.body());
            m.setStringProperty(SubscriptionHeaders.SUBSCRIPTION_ID, n.subscriptionId());
            m.setStringProperty(SubscriptionHeaders.METHOD, n.method());
            m.setStringProperty(SubscriptionHeaders.PATH, n.path() == null ? "" : n.path());
            m.setStringProperty(SubscriptionHeaders.EVENT, n.event());
            if (n.contentType() != null) {
                m.setStringProperty(SubscriptionHeaders.CONTENT_TYPE, n.contentType());
            }
            return m;
        });
        lastQueued.put(n.subscriptionId(), Instant.now());
        meters.counter("carebus.fhir.subscription.notifications", "outcome", "queued").increment();
    }

    /** When a notification for {@code Subscription/[id]} was last queued by this engine. */
    Optional<Instant> lastQueued(String subscriptionId) {
        return Optional.ofNullable(lastQueued.get(subscriptionId));
    }

    /** Forgets the subscriptions that are no longer active. */
    void retainOnly(java.util.Set<String> subscriptionIds) {
        lastQueued.keySet().retainAll(subscriptionIds);
    }
}
