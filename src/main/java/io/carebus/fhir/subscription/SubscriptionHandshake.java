package io.carebus.fhir.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends the {@code handshake} notification (Subscriptions R5 Backport IG 1.1.0) when a topic-based subscription
 * becomes active: created active, or changed to active (HAPI activating a {@code requested} one, or one switched
 * back on). It is queued once the write has committed, so a rolled-back activation greets no one, and a restart
 * (which re-registers the active subscriptions) sends none. A failed handshake is retried and dead-lettered as
 * any notification is, and shows in {@code $status}.
 */
@Interceptor
public class SubscriptionHandshake {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionHandshake.class);

    private final StatusNotifications notifications;
    private final SubscriptionEventLog eventLog;

    public SubscriptionHandshake(StatusNotifications notifications, SubscriptionEventLog eventLog) {
        this.notifications = notifications;
        this.eventLog = eventLog;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        if (resource instanceof Subscription subscription && isActiveTopicSubscription(subscription)) {
            afterCommit(subscription);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource current) {
        boolean wasActive = previous instanceof Subscription before
                && before.getStatus() == Subscription.SubscriptionStatus.ACTIVE;
        if (!wasActive && current instanceof Subscription subscription && isActiveTopicSubscription(subscription)) {
            afterCommit(subscription);
        }
    }

    private static boolean isActiveTopicSubscription(Subscription subscription) {
        return subscription.getStatus() == Subscription.SubscriptionStatus.ACTIVE
                && SubscriptionStatusParameters.isTopicBased(subscription);
    }

    private void afterCommit(Subscription subscription) {
        String id = subscription.getIdElement().toUnqualifiedVersionless().getValue();
        String topic = subscription.getCriteria();
        String payload = subscription.getChannel().getPayload();
        Runnable handshake = () -> send(id, topic, payload);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    handshake.run();
                }
            });
        } else {
            handshake.run();
        }
    }

    private void send(String id, String topic, String payload) {
        try {
            // 0 for a new subscription; one that is active again counts on from its earlier events
            notifications.send(id, topic, payload, StatusNotifications.HANDSHAKE, eventLog.lastEventNumber(id));
        } catch (RuntimeException e) {
            // the subscription stays active: its events are still sent; the subscriber only misses the greeting
            log.warn("Could not queue the handshake of {}: {}", id, e.toString());
        }
    }
}
