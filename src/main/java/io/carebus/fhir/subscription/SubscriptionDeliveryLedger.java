package io.carebus.fhir.subscription;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery outcomes per subscription since this engine started, for {@code Subscription/[id]/$status}: how many
 * notifications were delivered, how many attempts failed, how many were dead-lettered, and the last error. It is
 * kept in memory (one engine's view, reset by a restart); the durable record of what failed is the dead-letter
 * queue itself.
 */
public class SubscriptionDeliveryLedger {

    /** One subscription's outcomes. */
    public static final class Outcomes {
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong failedAttempts = new AtomicLong();
        private final AtomicLong deadLettered = new AtomicLong();
        private final AtomicReference<Instant> lastDelivered = new AtomicReference<>();
        private final AtomicReference<String> lastError = new AtomicReference<>();
        private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();

        public long delivered() {
            return delivered.get();
        }

        public long failedAttempts() {
            return failedAttempts.get();
        }

        public long deadLettered() {
            return deadLettered.get();
        }

        public Optional<Instant> lastDelivered() {
            return Optional.ofNullable(lastDelivered.get());
        }

        public Optional<String> lastError() {
            return Optional.ofNullable(lastError.get());
        }

        public Optional<Instant> lastErrorAt() {
            return Optional.ofNullable(lastErrorAt.get());
        }
    }

    private final Map<String, Outcomes> bySubscription = new ConcurrentHashMap<>();

    void delivered(String subscriptionId) {
        Outcomes o = of(subscriptionId);
        o.delivered.incrementAndGet();
        o.lastDelivered.set(Instant.now());
    }

    void failed(String subscriptionId, String error, boolean deadLettered) {
        Outcomes o = of(subscriptionId);
        o.failedAttempts.incrementAndGet();
        if (deadLettered) {
            o.deadLettered.incrementAndGet();
        }
        o.lastError.set(error);
        o.lastErrorAt.set(Instant.now());
    }

    /** The outcomes of {@code Subscription/[id]} (versionless), empty when nothing was sent for it yet. */
    public Optional<Outcomes> outcomes(String subscriptionId) {
        return Optional.ofNullable(bySubscription.get(subscriptionId));
    }

    private Outcomes of(String subscriptionId) {
        return bySubscription.computeIfAbsent(String.valueOf(subscriptionId), id -> new Outcomes());
    }
}
