package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.CarebusHeaders;
import io.carebus.admin.DeadLetterController;
import io.carebus.journal.JournalRepository;
import io.carebus.support.EngineTestBase;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQInternalErrorException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConsumerPlugin;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Dead-letter queues of any size: a listing is capped, and a replay moves the messages in transactions of at most
 * {@link DeadLetters#REPLAY_CHUNK}, so neither the engine nor the broker holds a whole queue in one transaction.
 */
class DeadLetterBoundsTest extends EngineTestBase {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EmbeddedActiveMQ embedded;
    @Autowired
    TestRestTemplate http;
    @Autowired
    JournalRepository journal;
    @Autowired
    JdbcTemplate jdbc;

    /** A queue of this test's own, with no consumer, and its dead letters. */
    private final String queue = "carebus.test.replay." + UUID.randomUUID();
    private final String dlq = "DLQ." + queue;

    @Test
    void aReplayOfMoreThanOneChunkMovesEveryMessageInBoundedTransactions() {
        int count = 2 * DeadLetters.REPLAY_CHUNK + 1;
        deadLetter(count);
        Map<Object, AtomicInteger> sendsPerTransaction = new ConcurrentHashMap<>();
        ActiveMQServerMessagePlugin recorder = new ActiveMQServerMessagePlugin() {
            @Override
            public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
                                  boolean noAutoCreateQueue, RoutingStatus result) {
                if (queue.equals(message.getAddress())) {
                    sendsPerTransaction.computeIfAbsent(tx == null ? "none" : tx.getID(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
        };
        embedded.getActiveMQServer().registerBrokerPlugin(recorder);
        int moved;
        try {
            moved = deadLetters().replay(dlq, null);
        } finally {
            embedded.getActiveMQServer().unRegisterBrokerPlugin(recorder);
        }

        assertThat(moved).isEqualTo(count);
        assertThat(browseCount(queue)).isEqualTo(count);
        assertThat(browseCount(dlq)).isZero();
        assertThat(sendsPerTransaction).doesNotContainKey("none").hasSize(3);
        assertThat(sendsPerTransaction.values()).allSatisfy(sends ->
                assertThat(sends.get()).isLessThanOrEqualTo(DeadLetters.REPLAY_CHUNK));
    }

    @Test
    void aReplayByJournalIdMovesOnlyThoseAcrossChunks() {
        deadLetter(DeadLetters.REPLAY_CHUNK + 10);
        List<Long> chosen = List.of(3L, 250L, (long) DeadLetters.REPLAY_CHUNK + 5);

        assertThat(deadLetters().replay(dlq, chosen)).isEqualTo(3);
        assertThat(browseCount(queue)).isEqualTo(3);
        assertThat(browseCount(dlq)).isEqualTo(DeadLetters.REPLAY_CHUNK + 7);
    }

    @Test
    void aReplayThatFailsInALaterChunkSaysHowManyMovedAndAuditsIt() throws Exception {
        int count = 2 * DeadLetters.REPLAY_CHUNK + 1;
        deadLetter(count);
        // the broker serves the first chunk, then refuses to open the dead-letter queue again (each chunk's
        // transaction opens its own consumer; the count before it browses)
        AtomicInteger consumers = new AtomicInteger();
        ActiveMQServerConsumerPlugin refuseSecondChunk = new ActiveMQServerConsumerPlugin() {
            @Override
            public void beforeCreateConsumer(long consumerID, QueueBinding binding, SimpleString filter,
                                             boolean browseOnly, boolean supportLargeMessage) throws ActiveMQException {
                if (!browseOnly && dlq.equals(binding.getQueue().getName().toString())
                        && consumers.incrementAndGet() > 1) {
                    throw new ActiveMQInternalErrorException("Broker going down");
                }
            }
        };
        MockMvc api = MockMvcBuilders.standaloneSetup(new DeadLetterController(deadLetters(), journal)).build();
        embedded.getActiveMQServer().registerBrokerPlugin(refuseSecondChunk);
        MvcResult answer;
        try {
            answer = api.perform(post("/api/dead-letters/{queue}/replay", dlq).principal(() -> "analyst")).andReturn();
        } finally {
            embedded.getActiveMQServer().unRegisterBrokerPlugin(refuseSecondChunk);
        }

        assertThat(answer.getResponse().getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
        Map<?, ?> body = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(answer.getResponse().getContentAsString(), Map.class);
        assertThat(body.get("moved")).isEqualTo(DeadLetters.REPLAY_CHUNK);
        assertThat(body.get("queue")).isEqualTo(dlq);
        assertThat((String) body.get("error")).contains("after " + DeadLetters.REPLAY_CHUNK + " message(s) moved",
                "Broker going down");
        assertThat(messageCount(queue)).isEqualTo(DeadLetters.REPLAY_CHUNK);
        assertThat(messageCount(dlq)).isEqualTo(count - DeadLetters.REPLAY_CHUNK);
        assertThat(jdbc.queryForList("SELECT detail FROM journal_audit WHERE action = 'replay-dead-letter' "
                + "AND detail LIKE ?", String.class, dlq + ":%")).singleElement().satisfies(detail ->
                assertThat(detail).startsWith(dlq + ": " + DeadLetters.REPLAY_CHUNK + " message(s) moved, then failed"));
    }

    @Test
    void aListingIsCapped() {
        deadLetter(3);
        assertThat(deadLetters().list(dlq, DeadLetters.MAX_LIST)).hasSize(3);
        assertThatThrownBy(() -> deadLetters().list(dlq, DeadLetters.MAX_LIST + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(DeadLetters.MAX_LIST));
        assertThatThrownBy(() -> deadLetters().list(dlq, 0)).isInstanceOf(IllegalArgumentException.class);

        TestRestTemplate analyst = http.withBasicAuth("analyst", ANALYST_PASSWORD);
        String path = "/api/dead-letters/DLQ.carebus.out.downstream?limit=";
        assertThat(analyst.getForEntity(path + DeadLetters.MAX_LIST, String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(analyst.getForEntity(path + (DeadLetters.MAX_LIST + 1), String.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(analyst.getForEntity(path + "0", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    /** The class under test on the engine's broker, for this test's queue, which no route consumes. */
    private DeadLetters deadLetters() {
        JmsTemplate transacted = new JmsTemplate(connectionFactory);
        transacted.setSessionTransacted(true);
        return new DeadLetters(transacted, List.of(queue));
    }

    /** Puts {@code count} messages with journal ids 1..count on the dead-letter queue, in one transaction. */
    private void deadLetter(int count) {
        JmsTemplate transacted = new JmsTemplate(connectionFactory);
        transacted.setSessionTransacted(true);
        transacted.execute(session -> {
            try (MessageProducer producer = session.createProducer(session.createQueue(dlq))) {
                for (long id = 1; id <= count; id++) {
                    TextMessage m = session.createTextMessage("dead letter " + id);
                    m.setLongProperty(CarebusHeaders.JOURNAL_ID, id);
                    producer.send(m);
                }
            }
            session.commit();
            return null;
        }, true);
    }

    /** Messages in a queue as the broker counts them (paged ones too, which a browser may not see). */
    private long messageCount(String name) {
        return embedded.getActiveMQServer().locateQueue(name).getMessageCount();
    }

    private int browseCount(String name) {
        Integer n = new JmsTemplate(connectionFactory).browse(name, (session, browser) -> {
            int c = 0;
            for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                c++;
            }
            return c;
        });
        return n == null ? 0 : n;
    }
}
