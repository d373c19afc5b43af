package io.carebus.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every rest-hook delivery away from HAPI and puts it on the durable subscription queue
 * ({@link NotificationQueue}), from which the {@code outbound-fhir-subscription} route sends it with the broker's
 * retry and dead letter. HAPI has matched the change (search criteria, or the topic's triggers and filters) and
 * built the payload: the resource, or for a topic subscription the R4 backport notification Bundle; this hook only
 * decides the HTTP request, the way HAPI's own {@code SubscriptionDeliveringRestHookListener} would: a topic Bundle
 * is POSTed to the endpoint, a resource PUT to {@code endpoint/Type/id} (R4 Subscription, rest-hook), a change
 * without payload a bare POST.
 * <p>
 * Returning {@code false} from {@link Pointcut#SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY} stops HAPI's own delivery.
 * This runs on HAPI's delivery thread, after the write committed: a subscriber never delays a write.
 */
@Interceptor
public class RestHookEnqueuer {

    private static final Logger log = LoggerFactory.getLogger(RestHookEnqueuer.class);

    private final FhirContext fhirContext;
    private final NotificationQueue queue;
    private final SubscriptionEventLog eventLog;

    public RestHookEnqueuer(FhirContext fhirContext, NotificationQueue queue, SubscriptionEventLog eventLog) {
        this.fhirContext = fhirContext;
        this.queue = queue;
        this.eventLog = eventLog;
    }

    @Hook(Pointcut.SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY)
    public boolean enqueue(ResourceDeliveryMessage message, CanonicalSubscription subscription) {
        String subscriptionId = subscription.getIdElement(fhirContext).toUnqualifiedVersionless().getValue();
        IBaseResource payload = message.getPayload(fhirContext);
        EncodingEnum encoding = subscription.getPayloadString() == null ? null
                : EncodingEnum.forContentType(subscription.getPayloadString());
        String method;
        String path = "";
        String body = "";
        if (subscription.isTopicSubscription()) {
            method = "POST";
            encoding = encoding == null ? EncodingEnum.JSON : encoding;
            if (payload instanceof Bundle notification) {
                numberEvents(subscriptionId, notification);
            }
            body = parser(encoding).encodeResourceToString(payload);
        } else if (encoding != null && payload != null) {
            if (message.getOperationType() == OperationTypeEnum.DELETE) {
                method = "DELETE";
                encoding = null;
            } else {
                method = "PUT";
                body = parser(encoding).encodeResourceToString(payload);
            }
            path = payload.getIdElement().toUnqualifiedVersionless().getValue();
        } else {
            method = "POST";
            encoding = null;
        }
        String contentType = encoding == null ? null
                : (encoding == EncodingEnum.XML ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW);
        String event = String.valueOf(message.getOperationType());
        queue.send(new NotificationQueue.Notification(subscriptionId, method, path, event, contentType, body));
        log.debug("Queued {} notification for {} ({} bytes)", event, subscriptionId, body.length());
        return false;
    }

    /** Durable event numbers; if the database cannot be reached the notification still goes, with HAPI's. */
    private void numberEvents(String subscriptionId, Bundle notification) {
        try {
            eventLog.number(subscriptionId, notification);
        } catch (RuntimeException e) {
            log.warn("Could not record the events of a notification for {}; it is sent with HAPI's event numbers: {}",
                    subscriptionId, e.toString());
        }
    }

    private IParser parser(EncodingEnum encoding) {
        return encoding.newParser(fhirContext);
    }
}
