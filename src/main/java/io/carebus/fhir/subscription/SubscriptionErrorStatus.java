package io.carebus.fhir.subscription;

import java.util.Objects;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a subscription whose notification went to the dead letters into {@code error}, with the reason in
 * {@code Subscription.error} (FHIR R4 Subscription.status {@code error}: "The server has an error executing the
 * notification"; Subscription.error: "A record of the last error that occurred when the server processed a
 * notification"). The reason is the kind of failure and the number of attempts ({@code HTTP 503}, {@code
 * SocketTimeoutException}), never the notification's content or the exception's text.
 * <p>
 * HAPI matches only {@code active} subscriptions: from then on no new change is notified to it. Notifications
 * already queued for it are still attempted (delivered, or dead-lettered in turn), and the subscription stays in
 * {@code error} whatever their outcome. Its owner, once the endpoint is fixed, sets the status back to
 * {@code requested} (as for a new subscription, R4 subscription.html), the server makes it {@code active} again
 * and notifies the changes from then on; what happened meanwhile is found by a search (or for a topic-based
 * subscription, {@code $events}).
 */
public class SubscriptionErrorStatus {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrorStatus.class);

    private final DaoRegistry daoRegistry;

    public SubscriptionErrorStatus(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /**
     * Sets {@code Subscription/[id]} to {@code error} with {@code reason}, unless it is already in error for the same
     * reason, or no longer active (off, requested again, deleted). Never throws: the dead letter it follows is the
     * durable record, and a failure here must not keep it from being written.
     */
    public void dead(String subscriptionId, String reason) {
        if (subscriptionId == null) {
            return;
        }
        try {
            IFhirResourceDao<Subscription> dao = daoRegistry.getResourceDao(Subscription.class);
            Subscription subscription = dao.read(new IdType(subscriptionId).toUnqualifiedVersionless(),
                    new SystemRequestDetails());
            Subscription.SubscriptionStatus status = subscription.getStatus();
            boolean sameError = status == Subscription.SubscriptionStatus.ERROR
                    && Objects.equals(subscription.getError(), reason);
            if (sameError || (status != Subscription.SubscriptionStatus.ACTIVE
                    && status != Subscription.SubscriptionStatus.ERROR)) {
                return;
            }
            subscription.setStatus(Subscription.SubscriptionStatus.ERROR);
            subscription.setError(reason);
            dao.update(subscription, new SystemRequestDetails());
            log.warn("{} is now in error: {}", subscriptionId, reason);
        } catch (RuntimeException e) {
            // deleted or changed meanwhile, or the database is away: the dead letter and the ledger still say it
            log.warn("Could not set {} to error after a dead-lettered notification: {}", subscriptionId,
                    e.getClass().getSimpleName());
        }
    }
}
