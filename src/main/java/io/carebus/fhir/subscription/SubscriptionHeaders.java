package io.carebus.fhir.subscription;

/**
 * JMS properties of a notification on the subscription queue. They name the subscription and the request to
 * make; the subscriber's endpoint and its headers (which may hold credentials) are not put on the queue: they are
 * read from the Subscription when the notification is delivered.
 */
public final class SubscriptionHeaders {

    private SubscriptionHeaders() {
    }

    /** The Subscription's versionless id, {@code Subscription/123}. */
    public static final String SUBSCRIPTION_ID = "CarebusSubscriptionId";
    /** HTTP method: POST (topic notification Bundle, or a ping without payload), PUT (resource), DELETE. */
    public static final String METHOD = "CarebusSubscriptionMethod";
    /** Appended to Subscription.channel.endpoint: {@code Observation/5} for a PUT or DELETE, empty for a POST. */
    public static final String PATH = "CarebusSubscriptionPath";
    /** Content-Type of the body: from Subscription.channel.payload; absent when there is no body. */
    public static final String CONTENT_TYPE = "CarebusSubscriptionContentType";
    /** What happened to the resource: CREATE, UPDATE, DELETE (from HAPI's delivery message). */
    public static final String EVENT = "CarebusSubscriptionEvent";
    /** The failure of the last attempt, on a dead-lettered notification. */
    public static final String ERROR = "CarebusError";
    /** Broker delivery count of the message being consumed. */
    public static final String JMS_DELIVERY_COUNT = "JMSXDeliveryCount";
}
