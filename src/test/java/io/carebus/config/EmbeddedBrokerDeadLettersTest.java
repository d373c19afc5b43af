package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carebus.routing.DeadLetters;
import io.carebus.support.EngineTestBase;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded broker gives every queue the engine reads, X12 intake included, its back-off (or none, where the
 * consumer keeps it) and DLQ.&lt;queue&gt;.
 */
class EmbeddedBrokerDeadLettersTest extends EngineTestBase {

    @Autowired
    EmbeddedActiveMQ embedded;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    CarebusProperties properties;

    @Test
    void everyQueueHasItsDeadLetterQueue() {
        assertThat(deadLetters.queues()).contains("DLQ.carebus.ingress.hl7v2", "DLQ.carebus.ingress.x12",
                "DLQ.carebus.canonical", "DLQ.carebus.subscription.notify", "DLQ.carebus.out.downstream");
        ActiveMQServer broker = embedded.getActiveMQServer();
        for (String dlq : deadLetters.queues()) {
            String queue = dlq.substring(BrokerConfig.DLQ_PREFIX.length());
            AddressSettings settings = broker.getAddressSettingsRepository().getMatch(queue);
            assertThat(String.valueOf(settings.getDeadLetterAddress())).as(queue).isEqualTo(dlq);
            // EngineTestBase's back-off; the stage: queues' consumers hold a failed message for it themselves
            assertThat(settings.getRedeliveryDelay()).as(queue)
                    .isEqualTo(BrokerConfig.consumerBackOffQueues(properties).contains(queue) ? 0 : 100);
            assertThat(broker.locateQueue(dlq)).as(dlq).isNotNull();
        }
        // the FHIR, Kafka and MLLP destinations of the test configuration included
        assertThat(BrokerConfig.consumerBackOffQueues(properties)).contains("carebus.out.downstream",
                "carebus.out.events", "carebus.out.fhir-server", "carebus.out.fhir-store", "carebus.out.fhir-events")
                .doesNotContain("carebus.ingress.x12");
        assertThat(broker.getAddressSettingsRepository().getMatch("carebus.out.fhir-server").getRedeliveryDelay())
                .isZero();
        assertThat(broker.getAddressSettingsRepository().getMatch("carebus.ingress.x12").getRedeliveryDelay())
                .isEqualTo(100);
    }
}
