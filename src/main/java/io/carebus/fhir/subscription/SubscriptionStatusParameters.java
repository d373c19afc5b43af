package io.carebus.fhir.subscription;

import java.util.Date;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * The R4 form of a SubscriptionStatus (Subscriptions R5 Backport IG 1.1.0, profile backport-subscription-status-r4):
 * a {@code Parameters} with {@code subscription}, {@code topic}, {@code status}, {@code type} and
 * {@code events-since-subscription-start} (a string in R4, which has no 64-bit integer). Used by
 * {@code $status} and by the handshake and heartbeat notifications.
 */
final class SubscriptionStatusParameters {

    static final String STATUS_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";
    /** Subscription.meta.profile of a topic-based subscription. */
    static final String TOPIC_SUBSCRIPTION_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription";
    /** Bundle.meta.profile of a notification. */
    static final String NOTIFICATION_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4";

    private SubscriptionStatusParameters() {
    }

    /** A topic-based subscription (R4 backport profile) rather than one on search criteria. */
    static boolean isTopicBased(Subscription subscription) {
        return subscription.getMeta().getProfile().stream()
                .anyMatch(p -> TOPIC_SUBSCRIPTION_PROFILE.equals(p.getValue()));
    }

    /**
     * A {@code history} Bundle (profile backport-subscription-notification-r4) opened by the SubscriptionStatus, as
     * the answer to {@code requestUrl} (the IG's examples: {@code Subscription/123/$status}); notifications and
     * {@code $events} add their focus entries after it.
     */
    static Bundle notificationBundle(Parameters status, String requestUrl) {
        String id = UUID.randomUUID().toString();
        status.setId(id);
        Bundle bundle = new Bundle();
        bundle.getMeta().addProfile(NOTIFICATION_PROFILE);
        bundle.setType(Bundle.BundleType.HISTORY);
        bundle.setTimestamp(new Date());
        Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(status);
        entry.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(requestUrl);
        entry.getResponse().setStatus("200");
        return bundle;
    }

    /**
     * @param subscription the versionless id, {@code Subscription/123}
     * @param topic        the topic's canonical URL; null for a subscription on search criteria
     * @param type         {@code handshake}, {@code heartbeat}, {@code event-notification} or {@code query-status}
     */
    static Parameters of(String subscription, String topic, String status, String type, long eventsSinceStart) {
        Parameters parameters = new Parameters();
        parameters.getMeta().addProfile(STATUS_PROFILE);
        parameters.addParameter().setName("subscription").setValue(new Reference(subscription));
        if (topic != null) {
            parameters.addParameter().setName("topic").setValue(new CanonicalType(topic));
        }
        parameters.addParameter().setName("status").setValue(new CodeType(status));
        parameters.addParameter().setName("type").setValue(new CodeType(type));
        parameters.addParameter().setName("events-since-subscription-start")
                .setValue(new StringType(String.valueOf(eventsSinceStart)));
        return parameters;
    }
}
