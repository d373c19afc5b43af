package io.carebus.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications of a topic-based subscription that carry no event (Subscriptions R5 Backport IG 1.1.0): the
 * {@code handshake} sent when the subscription becomes active, and the {@code heartbeat} sent when nothing was
 * sent for its {@code backport-heartbeat-period}. Each is a {@code history} Bundle (profile
 * backport-subscription-notification-r4) holding only the SubscriptionStatus, POSTed to the endpoint in the
 * format of {@code channel.payload}, through the same durable queue as the event notifications.
 */
public class StatusNotifications {

    public static final String HANDSHAKE = "handshake";
    public static final String HEARTBEAT = "heartbeat";

    private static final Logger log = LoggerFactory.getLogger(StatusNotifications.class);

    private final FhirContext fhirContext;
    private final NotificationQueue queue;

    public StatusNotifications(FhirContext fhirContext, NotificationQueue queue) {
        this.fhirContext = fhirContext;
        this.queue = queue;
    }

    /**
     * @param subscriptionId   the versionless id, {@code Subscription/123}
     * @param payloadMimeType  {@code channel.payload}; JSON when absent
     * @param type             {@link #HANDSHAKE} or {@link #HEARTBEAT}
     */
    public void send(String subscriptionId, String topic, String payloadMimeType, String type,
                     long eventsSinceStart) {
        EncodingEnum encoding = payloadMimeType == null ? null : EncodingEnum.forContentType(payloadMimeType);
        encoding = encoding == null ? EncodingEnum.JSON : encoding;
        String body = encoding.newParser(fhirContext)
                .encodeResourceToString(bundle(subscriptionId, topic, type, eventsSinceStart));
        String contentType = encoding == EncodingEnum.XML ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW;
        queue.send(new NotificationQueue.Notification(subscriptionId, "POST", "", type, contentType, body));
        log.debug("Queued {} notification for {}", type, subscriptionId);
    }

    static Bundle bundle(String subscriptionId, String topic, String type, long eventsSinceStart) {
        Parameters status = SubscriptionStatusParameters.of(subscriptionId, topic, "active", type, eventsSinceStart);
        // as in the IG's examples: the status is what $status would have answered
        return SubscriptionStatusParameters.notificationBundle(status, subscriptionId + "/$status");
    }
}
