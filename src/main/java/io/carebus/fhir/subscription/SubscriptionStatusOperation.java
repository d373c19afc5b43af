package io.carebus.fhir.subscription;

import java.util.Date;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.UnsignedIntType;

/**
 * {@code GET [base]/Subscription/[id]/$status} (Subscriptions R5 Backport IG 1.1.0, OperationDefinition
 * backport-subscription-status): a searchset Bundle holding the subscription's SubscriptionStatus, in R4 a
 * {@code Parameters} of profile backport-subscription-status-r4 with {@code type = query-status}. Its
 * {@code error} parameters carry the kind of the last delivery failure ({@code HTTP 503}, {@code ConnectException}:
 * never the exception's text, which may name internal hosts); Carebus adds its own delivery counts since start-up as
 * {@code carebus-delivered}, {@code carebus-failed-attempts}, {@code carebus-dead-lettered},
 * {@code carebus-last-delivered}.
 */
public class SubscriptionStatusOperation {

    /** Carebus's codes for SubscriptionStatus.error. */
    static final String ERROR_SYSTEM = "http://carebus.io/fhir/CodeSystem/subscription-delivery-error";

    private final DaoRegistry daoRegistry;
    private final SubscriptionRegistry registry;
    private final SubscriptionDeliveryLedger ledger;
    private final SubscriptionEventLog eventLog;

    public SubscriptionStatusOperation(DaoRegistry daoRegistry, SubscriptionRegistry registry,
            SubscriptionDeliveryLedger ledger, SubscriptionEventLog eventLog) {
        this.daoRegistry = daoRegistry;
        this.registry = registry;
        this.ledger = ledger;
        this.eventLog = eventLog;
    }

    @Operation(name = "$status", type = Subscription.class, idempotent = true)
    public Bundle status(@IdParam IdType id, RequestDetails request) {
        Subscription subscription = daoRegistry.getResourceDao(Subscription.class).read(id, request);
        IdType versionless = subscription.getIdElement().toUnqualifiedVersionless();

        boolean topicBased = SubscriptionStatusParameters.isTopicBased(subscription);
        ActiveSubscription active = registry.get(versionless.getIdPart());
        Parameters status = SubscriptionStatusParameters.of(versionless.getValue(),
                topicBased ? subscription.getCriteria() : null,
                subscription.getStatus() == null ? null : subscription.getStatus().toCode(), "query-status",
                topicBased ? eventLog.lastEventNumber(versionless.getValue())
                        : active == null ? 0 : active.getDeliveriesCount());

        ledger.outcomes(versionless.getValue()).ifPresent(outcomes -> {
            outcomes.lastError().ifPresent(error -> status.addParameter().setName("error").setValue(
                    new CodeableConcept(new Coding(ERROR_SYSTEM, "delivery-failed", "Delivery failed"))
                            .setText(error)));
            status.addParameter().setName("carebus-delivered").setValue(new UnsignedIntType(outcomes.delivered()));
            status.addParameter().setName("carebus-failed-attempts")
                    .setValue(new UnsignedIntType(outcomes.failedAttempts()));
            status.addParameter().setName("carebus-dead-lettered")
                    .setValue(new UnsignedIntType(outcomes.deadLettered()));
            outcomes.lastDelivered().ifPresent(at -> status.addParameter().setName("carebus-last-delivered")
                    .setValue(new DateTimeType(Date.from(at))));
        });

        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(1);
        bundle.addEntry().setResource(status).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        return bundle;
    }
}
