package io.carebus.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.CarebusHeaders;
import io.carebus.config.CarebusProperties;
import io.carebus.journal.ContentKeyRing;
import io.carebus.journal.ContentStreamCipher;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalContentFiles;
import io.carebus.routing.DeadLetters;
import io.carebus.support.EngineTestBase;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * A large X12 file the transform stage reads back from the journal, sealed with a key that is no longer configured:
 * no retry can open it, so it is dead-lettered on its first attempt, its journal row dead with the key id, instead
 * of retried with back-off until the last attempt.
 */
class X12ContentNoKeyOpensTest extends EngineTestBase {

    private static final String X12_INGRESS = "carebus.ingress.x12";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CarebusProperties properties;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EmbeddedActiveMQ embedded;
    @Autowired
    DeadLetters deadLetters;

    @Test
    void contentNoConfiguredKeyOpensIsDeadLetteredAtOnceWithTheKeyId() throws Exception {
        byte[] retired = new byte[32];
        Arrays.fill(retired, (byte) 77);
        String keyId = ContentKeyRing.of(retired).ids().get(0);
        Instant receivedAt = Journal.now();
        Path plain = Files.createTempFile("interchange-", ".x12");
        Files.writeString(plain, "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*CAREBUS        *~");
        String reference = new JournalContentFiles(contentDir(), new ContentStreamCipher(retired))
                .write(plain, receivedAt);
        Files.delete(plain);
        String control = "K" + UUID.randomUUID().toString().substring(0, 8);
        long id = jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, control_id, status, size_bytes, content, content_ref)
                VALUES (?, 'sftp-x12', ?, 'queued', 5000000, decode('', 'hex'), ?) RETURNING id""", Long.class,
                Timestamp.from(receivedAt), control, reference);

        AtomicInteger attempts = new AtomicInteger();
        ActiveMQServerMessagePlugin countAttempts = new ActiveMQServerMessagePlugin() {
            @Override
            public void beforeDeliver(ServerConsumer consumer, MessageReference ref) {
                if (X12_INGRESS.equals(ref.getQueue().getName().toString())
                        && Long.valueOf(id).equals(ref.getMessage().getLongProperty(CarebusHeaders.JOURNAL_ID))) {
                    attempts.incrementAndGet();
                }
            }
        };
        embedded.getActiveMQServer().registerBrokerPlugin(countAttempts);
        try {
            // as the SFTP intake queues a file too large to travel on the queue (SftpX12Files.receive)
            new JmsTemplate(connectionFactory).send(X12_INGRESS, session -> {
                BytesMessage m = session.createBytesMessage();
                m.setLongProperty(CarebusHeaders.JOURNAL_ID, id);
                m.setLongProperty(CarebusHeaders.RECEIVED_AT, receivedAt.toEpochMilli());
                m.setStringProperty(CarebusHeaders.CONTROL_ID, control);
                m.setBooleanProperty(SftpX12Files.CONTENT_IN_JOURNAL, true);
                return m;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(status(id)));
        } finally {
            embedded.getActiveMQServer().unRegisterBrokerPlugin(countAttempts);
        }

        assertThat(attempts).hasValue(1);
        assertThat(jdbc.queryForObject("SELECT error FROM journal_message WHERE id = ?", String.class, id))
                .contains("JournalContentKeyException", keyId);
        String dlq = "DLQ." + X12_INGRESS;
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(dlq, DeadLetters.MAX_LIST).stream()
                .anyMatch(d -> Long.valueOf(id).equals(d.journalId())));
        assertThat(deadLetters.list(dlq, DeadLetters.MAX_LIST)).filteredOn(d -> Long.valueOf(id).equals(d.journalId()))
                .singleElement().satisfies(d -> assertThat(d.error()).contains(keyId));
        // leave the shared dead-letter queue as it was
        JmsTemplate take = new JmsTemplate(connectionFactory);
        take.setReceiveTimeout(5000);
        assertThat(take.receiveSelected(dlq, CarebusHeaders.JOURNAL_ID + " = " + id)).isNotNull();
    }

    private String status(long id) {
        return jdbc.queryForObject("SELECT status FROM journal_message WHERE id = ?", String.class, id);
    }

    private Path contentDir() {
        String configured = properties.getJournal().getContentDir();
        return configured == null || configured.isBlank() ? properties.getDataDir().resolve("journal-content")
                : Path.of(configured);
    }
}
