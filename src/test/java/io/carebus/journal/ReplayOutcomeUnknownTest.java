package io.carebus.journal;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carebus.CarebusHeaders;
import io.carebus.admin.JournalController;
import io.carebus.config.CarebusProperties;
import io.carebus.hl7v2.Hl7HeaderReader;
import io.carebus.routing.DestinationRouter;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * A replay whose send the broker took but never answered (here its answer is held past the client's call timeout):
 * the message goes its way, so the new row must not read {@code error}; it stays {@code queued} with the failure
 * noted, the analyst is answered 202 with a warning, and the message is delivered.
 */
class ReplayOutcomeUnknownTest extends EngineTestBase {

    private static final String INGRESS = "carebus.ingress.hl7v2";

    @Autowired
    Journal journal;
    @Autowired
    CarebusProperties properties;
    @Autowired
    DestinationRouter router;
    @Autowired
    EmbeddedActiveMQ embedded;

    @Test
    void aReplayTheBrokerTookButDidNotAnswerStaysQueuedAndIsDelivered() throws Exception {
        String controlId = "UK" + UUID.randomUUID().toString().substring(0, 12);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "MRN-" + controlId)), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(controlId));
        long original = journal.repository().search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)).get(0).id();

        // the broker stores the replay, then holds its answer until the client has given up waiting
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        ActiveMQServerMessagePlugin holdAnswer = new ActiveMQServerMessagePlugin() {
            @Override
            public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
                                  boolean noAutoCreateQueue, RoutingStatus result) {
                if (INGRESS.equals(message.getAddress())
                        && controlId.equals(String.valueOf(message.getObjectProperty(CarebusHeaders.CONTROL_ID)))
                        && held.compareAndSet(false, true)) {
                    try {
                        answer.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        ActiveMQConnectionFactory impatient = inVmFactory();
        impatient.setCallTimeout(1000);
        MockMvc api = MockMvcBuilders.standaloneSetup(new JournalController(journal, replayOver(impatient))).build();
        embedded.getActiveMQServer().registerBrokerPlugin(holdAnswer);
        MvcResult replayed;
        try {
            replayed = api.perform(post("/api/journal/{id}/replay", original).principal(() -> "analyst")).andReturn();
        } finally {
            answer.countDown();
            embedded.getActiveMQServer().unRegisterBrokerPlugin(holdAnswer);
        }

        assertThat(held).isTrue();
        assertThat(replayed.getResponse().getStatus()).isEqualTo(HttpStatus.ACCEPTED.value());
        Map<?, ?> body = new ObjectMapper().readValue(replayed.getResponse().getContentAsString(), Map.class);
        assertThat((String) body.get("warning")).contains("outcome unknown");
        long replay = ((Number) body.get("journalId")).longValue();
        JournalEntry row = journal.find(replay).orElseThrow();
        assertThat(row.status()).isNotEqualTo("error");
        if (row.status().equals("queued")) {       // unless the stages have already taken it further
            assertThat(row.error()).contains("outcome unknown");
        }
        assertThat(journal.repository().auditTrail(original)).anySatisfy(a ->
                assertThat(a.detail()).isEqualTo("new journal id " + replay + ", queue outcome unknown"));
        // the broker had it: it goes through every stage
        await().atMost(Duration.ofSeconds(30)).until(() ->
                DOWNSTREAM.controlIds().stream().filter(controlId::equals).count() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "delivered".equals(journal.find(replay).orElseThrow().status()));
        impatient.close();
    }

    private JournalReplay replayOver(ActiveMQConnectionFactory factory) {
        CarebusProperties.Hl7v2 hl7 = properties.getHl7v2();
        return new JournalReplay(journal, new Hl7HeaderReader(Charset.forName(hl7.getDefaultCharset()),
                Charset.forName(hl7.getFallbackCharset())), new JmsTemplate(factory),
                properties.getQueues().getIngressHl7v2(), router);
    }

    /** A client of its own on the embedded broker's in-VM acceptor, with none of the engine's settings. */
    private ActiveMQConnectionFactory inVmFactory() {
        TransportConfiguration acceptor = embedded.getActiveMQServer().getConfiguration().getAcceptorConfigurations()
                .stream().filter(a -> a.getFactoryClassName().equals(InVMAcceptorFactory.class.getName()))
                .findFirst().orElseThrow();
        return new ActiveMQConnectionFactory(false,
                new TransportConfiguration(InVMConnectorFactory.class.getName(), acceptor.getParams()));
    }
}
