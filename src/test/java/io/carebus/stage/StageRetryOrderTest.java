package io.carebus.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.CarebusHeaders;
import io.carebus.config.BrokerConfig;
import io.carebus.config.CarebusProperties;
import io.carebus.support.EngineTestBase;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * A stage queue keeps one patient's order when a message fails and is retried: the patient's (message group's)
 * next message is processed after the retried one, whatever the retry's back-off. The test's queue has the address
 * settings of the engine's stage queues.
 */
class StageRetryOrderTest extends EngineTestBase {

    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EmbeddedActiveMQ embedded;
    @Autowired
    CarebusProperties properties;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "carebus.test.order." + run;
    private final List<String> processed = new CopyOnWriteArrayList<>();
    private final AtomicInteger firstAttempts = new AtomicInteger();

    @BeforeEach
    void stageQueueSettings() {
        embedded.getActiveMQServer().getAddressSettingsRepository()
                .addMatch(queue, BrokerConfig.queueSettings(properties.getQueues(), "DLQ." + queue, true));
    }

    private void startStage(int failures) throws Exception {
        startStage(failures, "");
    }

    private void startStage(int failures, String options) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("stage:" + queue + "?consumers=4&maxBatch=8" + options).routeId("test-order-" + run)
                        .process(e -> {
                            String body = e.getMessage().getBody(String.class);
                            if (body.equals("A1") && firstAttempts.incrementAndGet() <= failures) {
                                throw new IllegalStateException("the next stage is down");
                            }
                            processed.add(body);
                        });
            }
        });
    }

    @AfterEach
    void removeRoute() throws Exception {
        embedded.getActiveMQServer().getAddressSettingsRepository().removeMatch(queue);
        camel.getRouteController().stopRoute("test-order-" + run);
        camel.removeRoute("test-order-" + run);
    }

    private void send(JmsTemplate jms, String body, String patient) {
        jms.convertAndSend(queue, body, m -> {
            m.setStringProperty(CarebusHeaders.JMS_GROUP, patient);
            return m;
        });
    }

    @Test
    void aPatientsNextMessageIsProcessedAfterTheRetriedOne() throws Exception {
        startStage(2);
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        send(jms, "A1", "patient-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> firstAttempts.get() >= 1);
        send(jms, "A2", "patient-a");
        send(jms, "B1", "patient-b");

        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(List.of("A1", "A2", "B1")));
        assertThat(processed).filteredOn(body -> body.startsWith("A")).containsExactly("A1", "A2");
        assertThat(firstAttempts.get()).isEqualTo(3);
    }

    @Test
    void aPatientsMessagesArrivingTogetherKeepTheirOrderThroughRetries() throws Exception {
        // both waiting before the stage starts: one batch holds them, and the first one's failures roll back both
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        send(jms, "A1", "patient-a");
        send(jms, "A2", "patient-a");
        startStage(2);

        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(List.of("A1", "A2")));
        assertThat(processed).containsExactly("A1", "A2");
    }

    @Test
    void aStageStoppedWhileHoldingAMessageStopsPromptlyAndLeavesThePatientsMessagesQueued() throws Exception {
        startStage(Integer.MAX_VALUE, "&redeliveryDelayMs=60000&maxRedeliveryDelayMs=60000");
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        send(jms, "A1", "patient-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> firstAttempts.get() >= 1);
        send(jms, "A2", "patient-a");

        long start = System.nanoTime();
        camel.getRouteController().stopRoute("test-order-" + run);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(processed).isEmpty();
        assertThat(firstAttempts.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(jms).equals(List.of("A1", "A2")));
    }

    private List<String> queued(JmsTemplate jms) {
        return jms.browse(queue, (session, browser) -> {
            List<String> bodies = new java.util.ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                bodies.add(((jakarta.jms.TextMessage) e.nextElement()).getText());
            }
            return bodies;
        });
    }
}
