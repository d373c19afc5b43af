package io.carebus.fhir.subscription;

import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

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
