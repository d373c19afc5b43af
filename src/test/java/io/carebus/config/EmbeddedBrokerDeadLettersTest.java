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
    }
}
