package io.carebus.fhir.subscription;

import java.util.Locale;
import java.util.Set;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.carebus.security.OutboundUrlPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code outbound-fhir-subscription} route: turn a queued notification into the HTTP request to
 * the subscriber, and record the outcome (metrics, and logs naming the subscription, never the content).
 * <p>
 * The endpoint and the headers (Subscription.channel.header, often an Authorization) are read from the
 * Subscription at each attempt, so they never sit in the broker's journal and a corrected endpoint applies to the
 * retries. A notification whose Subscription has been deleted, is off or requested again, or is past its {@code
 * end} (R4: "the time for the server to turn the subscription off") is dropped; one for a subscription in {@code
 * error} is still attempted ({@link SubscriptionErrorStatus}: it was matched while the subscription was active). The endpoint must
 * still be a URL the engine may call ({@link OutboundUrlPolicy}: its name may resolve elsewhere than when the
 * Subscription was written, DNS rebinding); if not, the attempt fails and is retried and dead-lettered as any other.
 */
public class SubscriptionDelivery {

    /** Set by {@link #prepare} when the notification is not to be sent. */
    public static final String DROPPED = "CarebusSubscriptionDropped";

    private static final Logger log = LoggerFactory.getLogger(SubscriptionDelivery.class);
    private static final Set<String> CONNECTION_HEADERS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length");

    private final DaoRegistry daoRegistry;
    private final int maxDeliveryAttempts;
    private final MeterRegistry meters;
    private final SubscriptionDeliveryLedger ledger;
    private final OutboundUrlPolicy outboundUrls;
    private final SubscriptionErrorStatus errorStatus;

    public SubscriptionDelivery(DaoRegistry daoRegistry, int maxDeliveryAttempts, MeterRegistry meters,
            SubscriptionDeliveryLedger ledger, OutboundUrlPolicy outboundUrls, SubscriptionErrorStatus errorStatus) {
        this.daoRegistry = daoRegistry;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.meters = meters;
        this.ledger = ledger;
        this.outboundUrls = outboundUrls;
        this.errorStatus = errorStatus;
    }

    /** Sets the HTTP request (Camel's URI, method, Content-Type and the subscriber's headers) from the Subscription. */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = in.getHeader(SubscriptionHeaders.SUBSCRIPTION_ID, String.class);
        Subscription subscription = activeSubscription(id);
        if (subscription == null || !subscription.getChannel().hasEndpoint()) {
            in.setHeader(DROPPED, true);
            meters.counter("carebus.fhir.subscription.notifications", "outcome", "dropped").increment();
            log.info("Notification for {} dropped: the subscription is gone, off, requested again or past its end",
                    id);
            return;
        }
        String endpoint = subscription.getChannel().getEndpoint();
        String path = in.getHeader(SubscriptionHeaders.PATH, "", String.class);
        if (!path.isEmpty()) {
            endpoint = (endpoint.endsWith("/") ? endpoint : endpoint + "/") + path;
        }
        try {
            outboundUrls.check(endpoint);
        } catch (OutboundUrlPolicy.RefusedUrlException e) {
            throw new OutboundUrlPolicy.RefusedUrlException(SubscriptionEndpointCheck.ELEMENT + " " + e.getMessage());
        }
        for (StringType header : subscription.getChannel().getHeader()) {
            String value = header.getValue();
            int colon = value == null ? -1 : value.indexOf(':');
            if (colon > 0) {
                String name = value.substring(0, colon).trim();
                if (isSubscriberHeader(name)) {
                    in.setHeader(name, value.substring(colon + 1).trim());
                } else {
                    log.debug("Channel header {} of {} not sent: reserved to the engine or the connection", name, id);
                }
            }
        }
        // after the subscriber's headers: where and how the engine calls is the Subscription's endpoint alone
        in.setHeader(Exchange.HTTP_URI, endpoint);
        in.setHeader(Exchange.HTTP_METHOD, in.getHeader(SubscriptionHeaders.METHOD, "POST", String.class));
        String contentType = in.getHeader(SubscriptionHeaders.CONTENT_TYPE, String.class);
        if (contentType != null) {
            in.setHeader(Exchange.CONTENT_TYPE, contentType);
        } else {
            in.setBody(null);
        }
    }

    /**
     * A Subscription.channel.header the subscriber may have: not one of Camel's, the engine's or the broker's (they
     * steer the call: CamelHttpUri, CamelHttpMethod, CarebusSubscriptionId, JMSXDeliveryCount), nor one that belongs
     * to the connection (RFC 9110 §7.6.1 hop-by-hop fields, Host, Content-Length).
     */
    static boolean isSubscriberHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.isEmpty() && !lower.startsWith("camel") && !lower.startsWith("carebus") && !lower.startsWith("jms")
                && !CONNECTION_HEADERS.contains(lower);
    }

    public void delivered(Exchange exchange) {
        Message in = exchange.getMessage();
        meters.counter("carebus.fhir.subscription.notifications", "outcome", "delivered").increment();
        ledger.delivered(in.getHeader(SubscriptionHeaders.SUBSCRIPTION_ID, String.class));
        log.debug("Delivered {} notification for {} (attempt {})", in.getHeader(SubscriptionHeaders.EVENT),
                in.getHeader(SubscriptionHeaders.SUBSCRIPTION_ID), deliveryCount(in));
    }

    /** The broker's delivery count has reached carebus.fhir.subscriptions.max-delivery-attempts. */
    public boolean isLastAttempt(Exchange exchange) {
        return deliveryCount(exchange.getMessage()) >= maxDeliveryAttempts;
    }

    /** An attempt failed: the broker retries with back-off; on the last attempt the route dead-letters it. */
    public void failed(Exchange exchange) {
        Message in = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        boolean last = isLastAttempt(exchange);
        in.setHeader(SubscriptionHeaders.ERROR, error);
        meters.counter("carebus.fhir.subscription.notifications", "outcome", last ? "dead" : "retry").increment();
        // Subscription/$status shows the ledger's error to the subscription's readers: the kind of failure only, not
        // the exception's text, which may name internal hosts
        String subscriptionId = in.getHeader(SubscriptionHeaders.SUBSCRIPTION_ID, String.class);
        ledger.failed(subscriptionId, summary(cause), last);
        if (last) {
            errorStatus.dead(subscriptionId, summary(cause) + " (a notification was dead-lettered after "
                    + deliveryCount(in) + " attempts)");
        }
        log.warn("Delivery of a notification for {} failed (attempt {}{}): {}",
                in.getHeader(SubscriptionHeaders.SUBSCRIPTION_ID), deliveryCount(in),
                last ? ", dead-lettered" : "", error);
    }

    /**
     * {@code HTTP 503} for an answer with an error status, {@code endpoint refused} for an endpoint the engine may not
     * call, else the exception's class name.
     */
    static String summary(Exception cause) {
        if (cause instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode();
        }
        if (cause instanceof OutboundUrlPolicy.RefusedUrlException) {
            return "endpoint refused (carebus.security.outbound-urls)";
        }
        return cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }

    private Subscription activeSubscription(String id) {
        if (id == null) {
            return null;
        }
        try {
            Subscription subscription = daoRegistry.getResourceDao(Subscription.class)
                    .read(new IdType(id), new SystemRequestDetails());
            Subscription.SubscriptionStatus status = subscription.getStatus();
            return (status == Subscription.SubscriptionStatus.ACTIVE || status == Subscription.SubscriptionStatus.ERROR)
                    && !EndedSubscriptions.hasEnded(subscription, new java.util.Date()) ? subscription : null;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    private static int deliveryCount(Message in) {
        Integer count = in.getHeader(SubscriptionHeaders.JMS_DELIVERY_COUNT, Integer.class);
        return count == null ? 1 : count;
    }
}
