package io.carebus.fhir.subscription;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Heartbeats of topic-based subscriptions (Subscriptions R5 Backport IG 1.1.0): a subscription whose
 * {@code channel} carries {@code backport-heartbeat-period} (seconds) gets a {@code heartbeat} notification
 * whenever that long has passed without any notification queued for it, so its subscriber can tell a quiet topic
 * from a broken channel. Checked every {@code carebus.fhir.subscriptions.heartbeat-check-interval-ms}; the clock
 * of a subscription starts when this engine first sees it active. Each engine sends the heartbeats of the
 * subscriptions it has active.
 */
public class SubscriptionHeartbeats {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionHeartbeats.class);

    private final FhirContext fhirContext;
    private final SubscriptionRegistry registry;
    private final NotificationQueue queue;
    private final StatusNotifications notifications;
    private final SubscriptionEventLog eventLog;
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    public SubscriptionHeartbeats(FhirContext fhirContext, SubscriptionRegistry registry, NotificationQueue queue,
                                  StatusNotifications notifications, SubscriptionEventLog eventLog) {
        this.fhirContext = fhirContext;
        this.registry = registry;
        this.queue = queue;
        this.notifications = notifications;
        this.eventLog = eventLog;
    }

    @Scheduled(fixedDelayString = "${carebus.fhir.subscriptions.heartbeat-check-interval-ms:1000}",
            initialDelayString = "${carebus.fhir.subscriptions.heartbeat-check-interval-ms:1000}")
    public void beat() {
        Instant now = Instant.now();
        Set<String> active = new HashSet<>();
        for (ActiveSubscription a : registry.getAll()) {
            CanonicalSubscription s = a.getSubscription();
            String id = s.getIdElement(fhirContext).toUnqualifiedVersionless().getValue();
            active.add(id);
            Integer period = s.isTopicSubscription() && s.getTopicSubscription() != null
                    ? s.getTopicSubscription().getHeartbeatPeriod() : null;
            if (period == null || period <= 0) {
                continue;
            }
            Instant last = queue.lastQueued(id).orElseGet(() -> firstSeen.computeIfAbsent(id, k -> now));
            if (!now.isBefore(last.plusSeconds(period))) {
                try {
                    notifications.send(id, s.getTopic(), s.getPayloadString(), StatusNotifications.HEARTBEAT,
                            eventLog.lastEventNumber(id));
                } catch (RuntimeException e) {
                    log.warn("Could not queue the heartbeat of {}: {}", id, e.toString());
                }
            }
        }
        firstSeen.keySet().retainAll(active);
        queue.retainOnly(active);
    }
}
