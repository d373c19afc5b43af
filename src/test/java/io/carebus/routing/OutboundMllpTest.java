package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.journal.Journal;
import io.carebus.journal.JournalEntry;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.DownstreamReceiver;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;

/** Outbound MLLP: ACK correlation, retry with back-off, dead letters and their replay. */
@ExtendWith(OutputCaptureExtension.class)
class OutboundMllpTest extends EngineTestBase {

    @Autowired
    Journal journal;
    @Autowired
    DeadLetters deadLetters;

    private JournalEntry entry(String controlId) {
        return journal.repository().search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1))
                .get(0);
    }

    /**
     * Found by an analyst's search for dead messages: the row itself says delivered, as the Kafka "events" and the
     * FHIR destinations take the message.
     */
    private boolean foundDead(String controlId) {
        return !journal.repository().search(new JournalSearch(null, null, null, controlId, "dead", null, null, null, 1))
                .isEmpty();
    }

    /** The outcome for the MLLP destination (the message also goes to the Kafka "events" destination). */
    private String downstreamStatus(String controlId) {
        return journal.repository().deliveries(entry(controlId).id()).stream()
                .filter(d -> d.destination().equals("downstream")).map(JournalRepository.Delivery::status)
                .findFirst().orElse("none");
    }

    private void send(String controlId) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "OUT-" + controlId)), "MSA", 1)).isEqualTo("AA");
        }
    }

    @Test
    void anAckForAnotherMessageIsNotASuccessAndIsRetried() throws Exception {
        String controlId = "MM" + UUID.randomUUID().toString().substring(0, 12);
        AtomicInteger attempts = new AtomicInteger();
        // the first delivery's send and its two quick retries are answered for another message
        DOWNSTREAM.answer(msg -> !msg.contains(controlId) ? DownstreamReceiver.ack(msg, "AA")
                : attempts.incrementAndGet() <= 3 ? DownstreamReceiver.ack(msg, "AA", "SOMETHING-ELSE")
                : DownstreamReceiver.ack(msg, "AA"));
        send(controlId);
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(downstreamStatus(controlId)));
        assertThat(attempts.get()).isGreaterThanOrEqualTo(4);
        List<JournalRepository.Delivery> deliveries = journal.repository().deliveries(entry(controlId).id());
        assertThat(deliveries).filteredOn(d -> d.destination().equals("downstream")).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("delivered");
            assertThat(d.attempts()).isGreaterThanOrEqualTo(2);          // the mismatch was recorded, then success
        });
    }

    @Test
    void applicationErrorsAreRetriedUntilDeadLetteredThenReplayed() throws Exception {
        String controlId = "AE" + UUID.randomUUID().toString().substring(0, 12);
        DOWNSTREAM.answer(msg -> DownstreamReceiver.ack(msg, msg.contains(controlId) ? "AE" : "AA"));
        send(controlId);
        await().atMost(Duration.ofSeconds(40)).until(() -> foundDead(controlId));
        assertThat(downstreamStatus(controlId)).isEqualTo("dead");
        long id = entry(controlId).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list("DLQ.carebus.out.downstream", 1000)
                .stream().anyMatch(d -> Long.valueOf(id).equals(d.journalId())));

        DOWNSTREAM.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        assertThat(deadLetters.replay("DLQ.carebus.out.downstream", List.of(id))).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(downstreamStatus(controlId)));
    }

    /** An ACK refusing with ERR segments (HL7 v2.5.1 2.15.5) whose free text quotes the patient. */
    private static String refusal(String message, String code) {
        return DownstreamReceiver.ack(message, code) + "ERR||PID^1^3^1^1|204^Unknown key identifier^HL70357|E|||"
                + "MRN OUT-X of DOE^JANE unknown|Ask the ward about DOE\r";
    }

    @Test
    void anApplicationErrorIsJournaledWithItsErrCodesButNotItsFreeText(CapturedOutput output) throws Exception {
        String controlId = "AX" + UUID.randomUUID().toString().substring(0, 12);
        DOWNSTREAM.answer(msg -> msg.contains(controlId) ? refusal(msg, "AE") : DownstreamReceiver.ack(msg, "AA"));
        send(controlId);
        String codes = "ERR-3 204 Unknown key identifier, ERR-4 E, ERR-2 PID^1^3^1^1";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(journal.repository()
                .deliveries(entry(controlId).id())).filteredOn(d -> d.destination().equals("downstream"))
                .singleElement().satisfies(d -> assertThat(d.error()).isEqualTo(
                        "AckErrorException: Destination answered AE: " + codes)));
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(controlId + " to downstream failed"));
        DOWNSTREAM.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(downstreamStatus(controlId)));
        assertThat(output.getOut()).contains(codes).doesNotContain("DOE", "Ask the ward");
    }

    @Test
    void aDestinationThatAllowsItKeepsTheRefusalsFreeTextInTheJournalButNotInTheLog(CapturedOutput output)
            throws Exception {
        // lab-feed has ack-error-text=true (EngineTestBase); sender LABROUTE is routed to it
        String controlId = "AY" + UUID.randomUUID().toString().substring(0, 12);
        LAB_FEED.answer(msg -> msg.contains(controlId) ? refusal(msg, "AR") : DownstreamReceiver.ack(msg, "AA"));
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "OUT-" + controlId).replace("|EHR|HOSP|", "|LABROUTE|SOUTH|")),
                    "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(journal.repository()
                .deliveries(entry(controlId).id())).filteredOn(d -> d.destination().equals("lab-feed"))
                .singleElement().satisfies(d -> {
                    assertThat(d.status()).isEqualTo("dead");
                    assertThat(d.error()).startsWith("AckRejectedException: Destination rejected the message "
                            + "(AR, application reject): ERR-3 204 Unknown key identifier, ERR-4 E")
                            .contains("[ACK text: ERR#1 ERR-3.2 Unknown key identifier; "
                                    + "ERR#1 ERR-7 MRN OUT-X of DOE^JANE unknown; ERR#1 ERR-8 Ask the ward about DOE]");
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(controlId + " refused by lab-feed"));
        assertThat(output.getOut()).doesNotContain("DOE", "Ask the ward");
    }

    @Test
    void aRejectGoesStraightToTheDeadLetters() throws Exception {
        assertRefusedAtOnce("AR");
    }

    @Test
    void aCommitRejectGoesStraightToTheDeadLetters() throws Exception {
        // HL7 v2.5.1 2.9.3 enhanced acknowledgment, MSA-1 CR
        assertRefusedAtOnce("CR");
    }

    @Test
    void aRejectOfAnotherMessageIsAMismatchAndIsRetried() throws Exception {
        // MSA-2 is not our MSH-10: the AR refuses some other message, so it says nothing final about ours
        String controlId = "RM" + UUID.randomUUID().toString().substring(0, 12);
        AtomicInteger attempts = new AtomicInteger();
        DOWNSTREAM.answer(msg -> !msg.contains(controlId) ? DownstreamReceiver.ack(msg, "AA")
                : attempts.incrementAndGet() == 1 ? DownstreamReceiver.ack(msg, "AR", "SOMETHING-ELSE")
                : DownstreamReceiver.ack(msg, "AA"));
        send(controlId);
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(downstreamStatus(controlId)));
        assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
        long id = entry(controlId).id();
        assertThat(deadLetters.list("DLQ.carebus.out.downstream", 1000))
                .noneMatch(d -> Long.valueOf(id).equals(d.journalId()));
    }

    @Test
    void anApplicationAckAfterTheCommitAckIsNotTakenForTheNextMessage() throws Exception {
        // HL7 v2.5.1 2.9.3 enhanced mode: the downstream answers each message with its commit ACK (CA) at once and
        // sends its application ACK (AA) later on the same connection, here just before its next answer; that late
        // AA is no answer to the message sent next
        String prefix = "EN" + UUID.randomUUID().toString().substring(0, 10);
        java.util.concurrent.atomic.AtomicReference<String> applicationAck = new java.util.concurrent.atomic.AtomicReference<>();
        DOWNSTREAM.answerFrames(msg -> {
            if (!msg.contains(prefix)) {
                return List.of(DownstreamReceiver.ack(msg, "AA"));
            }
            List<String> frames = new java.util.ArrayList<>();
            String late = applicationAck.getAndSet(DownstreamReceiver.ack(msg, "AA"));
            if (late != null) {
                frames.add(late);
            }
            frames.add(DownstreamReceiver.ack(msg, "CA"));
            return frames;
        });
        List<String> controlIds = java.util.stream.IntStream.range(0, 5).mapToObj(i -> prefix + "-" + i).toList();
        for (String controlId : controlIds) {
            send(controlId);
            await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(downstreamStatus(controlId)));
        }
        assertThat(DOWNSTREAM.controlIds()).filteredOn(id -> id.startsWith(prefix))
                .as("each message sent once").containsExactlyElementsOf(controlIds);
        for (String controlId : controlIds) {
            assertThat(journal.repository().deliveries(entry(controlId).id()))
                    .filteredOn(d -> d.destination().equals("downstream")).singleElement()
                    .satisfies(d -> assertThat(d.attempts()).as(controlId).isEqualTo(1));
        }
    }

    private void assertRefusedAtOnce(String code) throws Exception {
        String controlId = code + UUID.randomUUID().toString().substring(0, 12);
        AtomicInteger attempts = new AtomicInteger();
        DOWNSTREAM.answer(msg -> {
            if (msg.contains(controlId)) {
                attempts.incrementAndGet();
                return DownstreamReceiver.ack(msg, code);
            }
            return DownstreamReceiver.ack(msg, "AA");
        });
        send(controlId);
        await().atMost(Duration.ofSeconds(20)).until(() -> foundDead(controlId));
        assertThat(downstreamStatus(controlId)).isEqualTo("dead");
        long id = entry(controlId).id();
        // the journal records "dead" just before the queue transaction that moves the message commits
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                deadLetters.list("DLQ.carebus.out.downstream", 1000))
                .anySatisfy(d -> {
                    assertThat(d.journalId()).isEqualTo(id);
                    assertThat(d.error()).contains("Reject").contains(code);
                }));
        assertThat(journal.repository().deliveries(id)).filteredOn(d -> d.destination().equals("downstream"))
                .singleElement().satisfies(d -> assertThat(d.error()).contains("rejected").contains(code));
        assertThat(attempts.get()).isEqualTo(1);                           // no retry for a refusal
    }
}
