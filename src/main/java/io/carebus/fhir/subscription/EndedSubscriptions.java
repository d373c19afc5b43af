package io.carebus.fhir.subscription;

import java.util.Date;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Turns a subscription off once its {@code end} has passed (FHIR R4 Subscription.end: "The time for the server to
 * turn the subscription off"), which HAPI does not: the status becomes {@code off}, so HAPI stops matching changes
 * against it and sends it no heartbeat. Checked with the heartbeats, every
 * {@code carebus.fhir.subscriptions.heartbeat-check-interval-ms}; in between, {@link SubscriptionDelivery} drops
 * what was queued for it.
 */
public class EndedSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(EndedSubscriptions.class);

    private final FhirContext fhirContext;
    private final SubscriptionRegistry registry;
    private final DaoRegistry daoRegistry;

    public EndedSubscriptions(FhirContext fhirContext, SubscriptionRegistry registry, DaoRegistry daoRegistry) {
        this.fhirContext = fhirContext;
        this.registry = registry;
        this.daoRegistry = daoRegistry;
    }

    static boolean hasEnded(Subscription subscription, Date now) {
        return subscription.hasEnd() && !subscription.getEnd().after(now);
    }

    @Scheduled(fixedDelayString = "${carebus.fhir.subscriptions.heartbeat-check-interval-ms:1000}",
            initialDelayString = "${carebus.fhir.subscriptions.heartbeat-check-interval-ms:1000}")
    public void turnOff() {
        Date now = new Date();
        for (ActiveSubscription active : registry.getAll()) {
            IdType id = new IdType(active.getSubscription().getIdElement(fhirContext).toUnqualifiedVersionless()
                    .getValue());
            try {
                Subscription subscription = daoRegistry.getResourceDao(Subscription.class)
                        .read(id, new SystemRequestDetails());
                if (subscription.getStatus() == Subscription.SubscriptionStatus.ACTIVE
                        && hasEnded(subscription, now)) {
                    subscription.setStatus(Subscription.SubscriptionStatus.OFF);
                    daoRegistry.getResourceDao(Subscription.class).update(subscription, new SystemRequestDetails());
                    log.info("{} reached its end and is now off", id.getValue());
                }
            } catch (BaseServerResponseException e) {
                // deleted or changed meanwhile (or by another engine): the next check sees the outcome
                log.debug("Could not turn {} off at its end: {}", id.getValue(), e.toString());
            }
        }
    }
}
