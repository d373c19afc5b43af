package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.journal.Journal;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.DownstreamReceiver;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One patient's messages reach an MLLP destination in the order they arrived even when a delivery fails and is
 * retried: the next message of the patient waits for the retried one (the test configuration's back-off is 100 ms
 * doubling up to 500 ms, three attempts).
 */
class OutboundRetryOrderTest extends EngineTestBase {

    @Autowired
    Journal journal;

    /** Control ids the downstream accepted (answered AA), in the order it accepted them. */
    private final List<String> accepted = new CopyOnWriteArrayList<>();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private void send(String controlId, String patientId) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, patientId)), "MSA", 1)).isEqualTo("AA");
        }
    }

    /** Answers AE to {@code failing} while {@code failAttempt} says so, AA else. */
    private void downstreamFails(String failing, java.util.function.IntPredicate failAttempt) {
        AtomicInteger attempts = new AtomicInteger();
        DOWNSTREAM.answer(msg -> {
            String controlId = field(msg, "MSH", 10);
            if (controlId.equals(failing) && failAttempt.test(attempts.incrementAndGet())) {
                return DownstreamReceiver.ack(msg, "AE");
            }
            accepted.add(controlId);
            return DownstreamReceiver.ack(msg, "AA");
        });
    }

    private String downstreamStatus(String controlId) {
        List<io.carebus.journal.JournalEntry> rows = journal.repository()
                .search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1));
        if (rows.isEmpty()) {
            return "none";
        }
        return journal.repository().deliveries(rows.get(0).id()).stream()
                .filter(d -> d.destination().equals("downstream")).map(JournalRepository.Delivery::status)
                .findFirst().orElse("none");
    }

    @Test
    void aPatientsNextMessageWaitsForTheOneAnsweredAeUntilItIsAccepted() throws Exception {
        String first = "OA1" + run;
        String second = "OA2" + run;
        // the first two broker deliveries (each a send and its two quick retries) answered AE, the third accepted
        downstreamFails(first, attempt -> attempt <= 6);
        send(first, "ORD-A-" + run);
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(first));
        send(second, "ORD-A-" + run);

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.containsAll(List.of(first, second)));
        assertThat(accepted).filteredOn(id -> id.endsWith(run)).containsExactly(first, second);
        assertThat(DOWNSTREAM.controlIds()).filteredOn(second::equals).as("the second sent once").hasSize(1);
    }

    @Test
    void aPatientsNextMessageWaitsForTheOneThatTimedOut() throws Exception {
        String first = "OT1" + run;
        String second = "OT2" + run;
        // no answer to the first broker delivery of the first message (its send and two quick retries time out),
        // AE to the second, and the third accepted
        AtomicInteger attempts = new AtomicInteger();
        DOWNSTREAM.answer(msg -> {
            String controlId = field(msg, "MSH", 10);
            int attempt = controlId.equals(first) ? attempts.incrementAndGet() : 0;
            if (attempt > 3 && attempt <= 6) {
                return DownstreamReceiver.ack(msg, "AE");
            }
            if (attempt > 0 && attempt <= 3) {
                return null;
            }
            accepted.add(controlId);
            return DownstreamReceiver.ack(msg, "AA");
        });
        send(first, "ORD-T-" + run);
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(first));
        send(second, "ORD-T-" + run);

        await().atMost(Duration.ofSeconds(40)).until(() -> accepted.containsAll(List.of(first, second)));
        assertThat(accepted).filteredOn(id -> id.endsWith(run)).containsExactly(first, second);
    }

    @Test
    void aDeadLetteredMessageReleasesThePatientsNextMessage() throws Exception {
        String first = "OD1" + run;
        String second = "OD2" + run;
        downstreamFails(first, attempt -> true);
        send(first, "ORD-D-" + run);
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(first));
        send(second, "ORD-D-" + run);

        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(downstreamStatus(second)));
        assertThat(downstreamStatus(first)).isEqualTo("dead");
        List<String> sent = DOWNSTREAM.controlIds().stream().filter(id -> id.endsWith(run)).toList();
        // every attempt of the first (three broker deliveries of three sends) before the second is sent
        assertThat(sent).containsExactly(first, first, first, first, first, first, first, first, first, second);
    }

    @Test
    void otherPatientsGoOnWhileOnePatientsMessageIsRetried() throws Exception {
        String failing = "OB0" + run;
        List<String> others = List.of("OB1" + run, "OB2" + run, "OB3" + run);
        AtomicBoolean outage = new AtomicBoolean(true);
        Set<String> acceptedDuringOutage = ConcurrentHashMap.newKeySet();
        downstreamFails(failing, attempt -> outage.get());
        send(failing, "ORD-B0-" + run);
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(failing));
        for (int i = 0; i < others.size(); i++) {
            send(others.get(i), "ORD-B" + (i + 1) + "-" + run);
        }
        // the other patients' messages are accepted while the first patient's message is still being retried
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!"dead".equals(downstreamStatus(failing))) {
                others.stream().filter(accepted::contains).forEach(acceptedDuringOutage::add);
            }
            return accepted.containsAll(others) || "dead".equals(downstreamStatus(failing));
        });
        outage.set(false);
        assertThat(acceptedDuringOutage).as("other patients delivered during the outage").isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.containsAll(others));
    }
}
