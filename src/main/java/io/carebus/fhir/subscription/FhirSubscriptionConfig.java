package io.carebus.fhir.subscription;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.topic.ISubscriptionTopicLoader;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicConfig;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import io.carebus.config.BrokerConfig;
import io.carebus.fhir.server.FhirServerCustomizer;
import io.carebus.config.CarebusProperties;
import io.carebus.security.OutboundUrlPolicy;
import io.carebus.security.PublicAddressDnsResolver;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * FHIR R4 subscriptions on HAPI's own machinery, delivered through Artemis.
 * <ul>
 *   <li>HAPI matches: its submitter stores each change's "resource modified" message in the same transaction as
 *   the write (table HFJ_RESOURCE_MODIFIED), and a scheduled pass (every
 *   {@code carebus.fhir.subscriptions.submission-interval-ms}) hands the committed ones to its matching pipeline,
 *   so a rolled back write notifies no one and a change survives a restart until it is matched. From there to the
 *   Artemis queue the notification is in memory (HAPI's matching and delivery channels, milliseconds): a crash in
 *   that window loses it. Classic R4 rest-hook
 *   subscriptions match on their search criteria (in memory, else a database search); topic-based ones (R5
 *   Backport IG for R4) on the topics of {@link SubscriptionTopicDefinitions}, with the notification Bundle built
 *   by HAPI's R4 payload builder.</li>
 *   <li>Carebus delivers: {@link RestHookEnqueuer} takes each rest-hook delivery off HAPI onto the durable queue
 *   {@code carebus.fhir.subscriptions.queue}; the {@code outbound-fhir-subscription} route sends it, the broker
 *   retries with back-off ({@code carebus.queues.*}) and the last attempt goes to {@code DLQ.<queue>}.</li>
 *   <li>Topic subscriptions also get the backport's notifications without an event, through the same queue: a
 *   handshake when one becomes active ({@link SubscriptionHandshake}), heartbeats when it asks for them
 *   ({@link SubscriptionHeartbeats}).</li>
 * </ul>
 * A subscriber that is down or slow only ever holds up its own queue, never a FHIR write.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubscriptionProperties.class)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, SubscriptionTopicConfig.class})
public class FhirSubscriptionConfig {

    @Bean
    SubscriptionSettings subscriptionSettings(SubscriptionProperties properties) {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.setSubscriptionIntervalInMs(properties.getSubmissionIntervalMs());
        if (properties.isEnabled()) {
            settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        }
        return settings;
    }

    @Bean(destroyMethod = "stop")
    UnmatchedResourceTypes unmatchedResourceTypes(FhirContext fhirContext, DaoRegistry daoRegistry,
            SubscriptionProperties properties, IInterceptorService interceptors) {
        UnmatchedResourceTypes filter = new UnmatchedResourceTypes(fhirContext, daoRegistry,
                properties.getUnmatchedResourceTypes());
        interceptors.registerInterceptor(filter);
        return filter;
    }

    /**
     * The HTTP client of rest-hook deliveries ({@code subscriber-http:} in the outbound-fhir-subscription route):
     * it connects only to addresses {@link PublicAddressDnsResolver} accepts, so a subscriber's host name cannot be
     * pointed at an internal address between {@link SubscriptionDelivery}'s check and the call. It follows no
     * redirect ({@link SubscriberHttpComponent}): a subscriber's 3xx is a failed delivery, retried and
     * dead-lettered as any other.
     */
    @Bean("subscriber-http")
    HttpComponent subscriberHttp(OutboundUrlPolicy outboundUrls, SubscriptionProperties properties) {
        Timeout timeout = Timeout.ofMilliseconds(properties.getDeliveryTimeoutMs());
        HttpComponent http = new SubscriberHttpComponent();
        http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new PublicAddressDnsResolver(outboundUrls))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(20)
                .build());
        return http;
    }

    /** A rest-hook endpoint must be a URL the engine may call (carebus.security.outbound-urls). */
    @Bean
    SubscriptionEndpointCheck subscriptionEndpointCheck(OutboundUrlPolicy outboundUrls,
            IInterceptorService interceptors) {
        SubscriptionEndpointCheck check = new SubscriptionEndpointCheck(outboundUrls);
        interceptors.registerInterceptor(check);
        return check;
    }

    /** HAPI's delivery listeners need one; email is not a supported channel type, so it is never called. */
    @Bean
    IEmailSender subscriptionEmailSender() {
        return email -> {
            throw new UnsupportedOperationException("Email subscriptions are not supported");
        };
    }

    @Bean
    NotificationQueue subscriptionNotificationQueue(JmsTemplate jmsTemplate, SubscriptionProperties properties,
            MeterRegistry meters) {
        return new NotificationQueue(jmsTemplate, properties.getQueue(), meters);
    }

    @Bean
    SubscriptionEventLog subscriptionEventLog(JdbcTemplate jdbcTemplate, SubscriptionProperties properties) {
        return new SubscriptionEventLog(jdbcTemplate, properties.getEventsKept());
    }

    @Bean
    DeletedSubscriptionEvents deletedSubscriptionEvents(SubscriptionEventLog eventLog,
            IInterceptorService interceptors) {
        DeletedSubscriptionEvents deleted = new DeletedSubscriptionEvents(eventLog);
        interceptors.registerInterceptor(deleted);
        return deleted;
    }

    @Bean
    RestHookEnqueuer restHookEnqueuer(FhirContext fhirContext, NotificationQueue queue, SubscriptionEventLog eventLog,
            IInterceptorService interceptors) {
        RestHookEnqueuer enqueuer = new RestHookEnqueuer(fhirContext, queue, eventLog);
        interceptors.registerInterceptor(enqueuer);
        return enqueuer;
    }

    @Bean
    StatusNotifications subscriptionStatusNotifications(FhirContext fhirContext, NotificationQueue queue) {
        return new StatusNotifications(fhirContext, queue);
    }

    /** Handshakes of topic subscriptions as they become active (none while subscriptions are switched off). */
    @Bean
    SubscriptionHandshake subscriptionHandshake(StatusNotifications notifications, SubscriptionEventLog eventLog,
            SubscriptionProperties properties, IInterceptorService interceptors) {
        SubscriptionHandshake handshake = new SubscriptionHandshake(notifications, eventLog);
        if (properties.isEnabled()) {
            interceptors.registerInterceptor(handshake);
        }
        return handshake;
    }

    @Bean
    SubscriptionHeartbeats subscriptionHeartbeats(FhirContext fhirContext, SubscriptionRegistry registry,
            NotificationQueue queue, StatusNotifications notifications, SubscriptionEventLog eventLog) {
        return new SubscriptionHeartbeats(fhirContext, registry, queue, notifications, eventLog);
    }

    @Bean
    EndedSubscriptions endedSubscriptions(FhirContext fhirContext, SubscriptionRegistry registry,
            DaoRegistry daoRegistry) {
        return new EndedSubscriptions(fhirContext, registry, daoRegistry);
    }

    /** The route's bean: HTTP request from the Subscription, outcome in metrics and logs. */
    @Bean
    SubscriptionDelivery subscriptionDelivery(DaoRegistry daoRegistry, SubscriptionProperties properties,
            MeterRegistry meters, SubscriptionDeliveryLedger ledger, OutboundUrlPolicy outboundUrls) {
        return new SubscriptionDelivery(daoRegistry, properties.getMaxDeliveryAttempts(), meters, ledger,
                outboundUrls, new SubscriptionErrorStatus(daoRegistry));
    }

    @Bean
    SubscriptionDeliveryLedger subscriptionDeliveryLedger() {
        return new SubscriptionDeliveryLedger();
    }

    /** {@code Subscription/[id]/$status} and {@code Subscription/[id]/$events} on the FHIR server. */
    @Bean
    FhirServerCustomizer subscriptionOperations(DaoRegistry daoRegistry, SubscriptionRegistry registry,
            SubscriptionDeliveryLedger ledger, SubscriptionEventLog eventLog) {
        SubscriptionStatusOperation status = new SubscriptionStatusOperation(daoRegistry, registry, ledger, eventLog);
        SubscriptionEventsOperation events = new SubscriptionEventsOperation(daoRegistry, eventLog);
        return server -> {
            server.registerProvider(status);
            server.registerProvider(events);
        };
    }

    @Bean
    SubscriptionTopicInstaller subscriptionTopicInstaller(DaoRegistry daoRegistry,
            ISubscriptionTopicLoader subscriptionTopicLoader,
            @Value("${carebus.mappings.dir:mappings}") String mappingsDir) {
        return new SubscriptionTopicInstaller(daoRegistry, subscriptionTopicLoader,
                SubscriptionTopicDefinitions.load(Path.of(mappingsDir)));
    }

    /** The notification queue and its dead letters, durable, with the same back-off as the stage queues. */
    @Bean
    ArtemisConfigurationCustomizer subscriptionQueueSettings(SubscriptionProperties properties,
            CarebusProperties carebus) {
        return configuration -> {
            CarebusProperties.Queues q = carebus.getQueues();
            String queue = properties.getQueue();
            String dlq = BrokerConfig.DLQ_PREFIX + queue;
            configuration.addAddressSetting(queue, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(dlq))
                    .setRedeliveryDelay(q.getRedeliveryDelayMs())
                    .setRedeliveryMultiplier(q.getRedeliveryMultiplier())
                    .setMaxRedeliveryDelay(q.getMaxRedeliveryDelayMs())
                    // the route dead-letters on its last attempt (with the error); the broker's limit is a backstop
                    .setMaxDeliveryAttempts(properties.getMaxDeliveryAttempts() + 1));
            configuration.addQueueConfiguration(QueueConfiguration.of(queue)
                    .setAddress(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            configuration.addQueueConfiguration(QueueConfiguration.of(dlq)
                    .setAddress(dlq).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        };
    }
}
