package io.carebus.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * The embedded Artemis broker: every stage queue is durable, anycast, and has its own dead-letter queue
 * {@code DLQ.<queue>}; the attempt count lives in the broker so it survives restarts, and so does the back-off,
 * except on the queues whose consumers hold a failed message for its back-off ({@link #consumerBackOffQueues}).
 * An external broker gets the same settings from config/broker.xml.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfig {

    public static final String DLQ_PREFIX = "DLQ.";

    /** The X12 intake queue (inbound-sftp-x12 → transform-x12), set under carebus.x12. */
    static final String X12_INGRESS_QUEUE = "${carebus.x12.ingress-queue:carebus.ingress.x12}";

    /**
     * Every stage queue Carebus uses: the HL7 v2 and X12 intake queues, the canonical queue and one per destination
     * (the FHIR subscription queue is FhirSubscriptionConfig's).
     */
    public static List<String> stageQueues(CarebusProperties properties, String x12IngressQueue) {
        List<String> queues = new ArrayList<>();
        queues.add(properties.getQueues().getIngressHl7v2());
        queues.add(x12IngressQueue);
        queues.add(properties.getQueues().getCanonical());
        properties.getDestinations().keySet().forEach(name -> queues.add(outboundQueue(name)));
        return queues;
    }

    public static String outboundQueue(String destination) {
        return "carebus.out." + destination;
    }

    /**
     * Artemis's JMS client asks the broker whether a queue exists, a blocking round trip, each time a session looks
     * a queue up by name; Camel's and Spring's JMS templates do that for every message they send. The stage queues
     * do not change while the engine runs, so the client remembers them ({@code cacheDestinations}), embedded or
     * external broker alike.
     */
    @Bean
    static BeanPostProcessor artemisDestinationCache() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                Object factory = bean instanceof SingleConnectionFactory cached
                        ? cached.getTargetConnectionFactory() : bean;
                if (factory instanceof ActiveMQConnectionFactory artemis) {
                    artemis.setCacheDestinations(true);
                }
                return bean;
            }
        };
    }

    /**
     * The queues read with {@code stage:}, whose messages carry the patient as their message group: the HL7 v2
     * ingress (transform-hl7v2), the canonical queue (route-content-based) and every destination's queue (the
     * outbound-* templates, whatever the type). Their consumers keep the back-off themselves, holding a failed
     * message so its patient's next message cannot pass it (io.carebus.stage.RetryHolds), so the broker must put a
     * rolled-back message back at once: its own redelivery delay would set the message aside and let the patient's
     * next message through first (ARTEMIS-2417). The X12 intake queue keeps the broker's back-off: its messages are
     * whole interchanges of many patients, with no message group.
     */
    public static Set<String> consumerBackOffQueues(CarebusProperties properties) {
        Set<String> queues = new HashSet<>();
        queues.add(properties.getQueues().getIngressHl7v2());
        queues.add(properties.getQueues().getCanonical());
        properties.getDestinations().keySet().forEach(name -> queues.add(outboundQueue(name)));
        return queues;
    }

    /**
     * The address settings of a stage queue whose dead letters go to {@code dlq}; with {@code consumerBackOff} (see
     * {@link #consumerBackOffQueues}) no redelivery delay, else the back-off of carebus.queues.
     */
    public static AddressSettings queueSettings(CarebusProperties.Queues q, String dlq, boolean consumerBackOff) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(dlq))
                .setRedeliveryDelay(consumerBackOff ? 0 : q.getRedeliveryDelayMs())
                .setRedeliveryMultiplier(q.getRedeliveryMultiplier())
                .setMaxRedeliveryDelay(q.getMaxRedeliveryDelayMs())
                .setMaxDeliveryAttempts(q.getMaxDeliveryAttempts() + 1); // the routes dead-letter on the last attempt
    }

    @Bean
    ArtemisConfigurationCustomizer carebusBrokerSettings(CarebusProperties properties,
                                                         @Value(X12_INGRESS_QUEUE) String x12IngressQueue) {
        return configuration -> {
            CarebusProperties.Queues q = properties.getQueues();
            configuration.setJMXManagementEnabled(true);
            // Group commit: wait at most this long to batch concurrent durable writes into one fsync.
            configuration.setJournalBufferTimeout_NIO(500_000);
            configuration.setJournalBufferTimeout_AIO(500_000);
            // Artemis keeps queued messages in memory up to half the heap by default; bound it and page the rest.
            configuration.setGlobalMaxSize(q.getBrokerMemory().toBytes());
            Set<String> consumerBackOff = consumerBackOffQueues(properties);
            for (String queue : stageQueues(properties, x12IngressQueue)) {
                String dlq = DLQ_PREFIX + queue;
                configuration.addAddressSetting(queue, queueSettings(q, dlq, consumerBackOff.contains(queue)));
                configuration.addQueueConfiguration(QueueConfiguration.of(queue)
                        .setAddress(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
                configuration.addQueueConfiguration(QueueConfiguration.of(dlq)
                        .setAddress(dlq).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
        };
    }
}
