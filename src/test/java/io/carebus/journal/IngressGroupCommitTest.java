package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.carebus.CarebusHeaders;
import io.carebus.support.EngineTestBase;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/** Group commit of received messages: one journal transaction and one queue transaction per group. */
class IngressGroupCommitTest extends EngineTestBase {

    private static final String QUEUE = "test.ingress.group";

    @Autowired
    Journal journal;
    @Autowired
    JournalRepository repository;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;
    JmsTemplate jms;

    @Test
    void aGroupIsJournaledAndQueuedWithEachMessagesOwnIdAndPatientGroup() throws Exception {
        IngressGroupCommit commit = newCommit();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Exchange> group = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            group.add(exchange("GC" + run + "-" + i, "patient-key-" + i));
        }

        List<CompletableFuture<Long>> outcomes = commit.writeAsOneGroup(group);

        List<Long> ids = outcomes.stream().map(CompletableFuture::join).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        for (int i = 0; i < 5; i++) {
            assertThat(repository.find(ids.get(i))).get().satisfies(row -> assertThat(row.controlId())
                    .startsWith("GC" + run));
            assertThat(journal.content(ids.get(i))).get().satisfies(bytes -> assertThat(new String(bytes))
                    .startsWith("MSH|"));
        }
        jms.setReceiveTimeout(5000);
        for (int i = 0; i < 5; i++) {
            Message m = jms.receive(QUEUE);
            assertThat(m).as("queued message %d", i).isNotNull();
            assertThat(m.getLongProperty(CarebusHeaders.JOURNAL_ID)).isEqualTo(ids.get(i));
            assertThat(m.getStringProperty(CarebusHeaders.JMS_GROUP)).isEqualTo("patient-key-" + i);
            assertThat(m.getStringProperty(CarebusHeaders.CONTROL_ID)).isEqualTo("GC" + run + "-" + i);
        }
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndItsNeighboursAreStillTaken() throws Exception {
        IngressGroupCommit commit = newCommit();
        String run = UUID.randomUUID().toString().substring(0, 8);
        // PostgreSQL text cannot hold NUL: the whole group's insert fails, then each message is tried alone
        List<Exchange> group = List.of(exchange("OK1-" + run, "pk-a"), exchange("BAD\u0000" + run, "pk-b"),
                exchange("OK2-" + run, "pk-c"));

        List<CompletableFuture<Long>> outcomes = commit.writeAsOneGroup(group);

        assertThat(outcomes.get(0)).isCompleted().isNotCompletedExceptionally();
        assertThat(outcomes.get(1)).isCompletedExceptionally();
        assertThat(outcomes.get(2)).isCompleted().isNotCompletedExceptionally();
        assertThat(group.get(1).getMessage().getHeader(CarebusHeaders.JOURNAL_ID)).isNull();
        assertThat(queuedControlIds(2)).containsExactly("OK1-" + run, "OK2-" + run);
        jms.setReceiveTimeout(500);
        assertThat(jms.receive(QUEUE)).as("nothing else queued").isNull();
    }

    /**
     * One patient's messages from two connections: the first is still being journaled when the second arrives. The
     * second waits for the first's writer and is queued after it; with any free writer taking it, it was queued
     * first (per-patient order, the stage consumers' message groups keep the queue's order).
     */
    @Test
    void onePatientsMessagesAreQueuedInArrivalOrderAcrossConnections() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch firstStoring = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Journal slowFirst = new Journal(repository, null, null, null, null, 0) {
            @Override
            public long[] storeAll(List<JournalRepository.NewMessage> rows) {
                if (rows.get(0).controlId().equals("FIRST-" + run)) {
                    firstStoring.countDown();
                    awaitQuietly(releaseFirst);
                }
                return super.storeAll(rows);
            }
        };
        jms = new JmsTemplate(connectionFactory);
        IngressGroupCommit commit = new IngressGroupCommit(slowFirst, connectionFactory, () -> camel, QUEUE, 2, 64,
                Duration.ofSeconds(30));
        commit.start();
        ExecutorService connections = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = connections.submit(() -> commitQuietly(commit, exchange("FIRST-" + run, "pk-" + run)));
            assertThat(firstStoring.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = connections.submit(() -> commitQuietly(commit, exchange("SECOND-" + run, "pk-" + run)));
            // the second is either waiting behind the first or (one writer per group) already written
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting() == 1 || second.isDone());
            releaseFirst.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            releaseFirst.countDown();
            connections.shutdownNow();
            commit.stop();
        }
        assertThat(queuedControlIds(2)).containsExactly("FIRST-" + run, "SECOND-" + run);
    }

    /** The MSH-10s of the next messages on the queue, in queue order. */
    private List<String> queuedControlIds(int count) throws Exception {
        jms.setReceiveTimeout(5000);
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = jms.receive(QUEUE);
            assertThat(m).as("queued message %d", i).isNotNull();
            queued.add(m.getStringProperty(CarebusHeaders.CONTROL_ID));
        }
        return queued;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Void commitQuietly(IngressGroupCommit commit, Exchange exchange) throws Exception {
        commit.commit(exchange);
        return null;
    }

    private IngressGroupCommit newCommit() {
        jms = new JmsTemplate(connectionFactory);
        return new IngressGroupCommit(journal, connectionFactory, () -> camel, QUEUE, 1, 64, Duration.ofSeconds(10));
    }

    private Exchange exchange(String controlId, String patientKey) {
        Exchange e = new DefaultExchange(camel);
        byte[] raw = adt(controlId.replace("\u0000", ""), "MRN-" + patientKey).getBytes();
        Journal.Metadata m = new Journal.Metadata("mllp-hl7v2", "SENDER^FAC", "CAREBUS^FAC", "ADT", "A01", controlId,
                "2.5.1", patientKey);
        java.time.Instant at = Journal.now();
        e.setProperty(IngressGroupCommit.ROW, journal.newRow(m, raw, at, MessageStatus.RECEIVED));
        e.getMessage().setBody(raw);
        e.getMessage().setHeader(CarebusHeaders.RECEIVED_AT, at.toEpochMilli());
        e.getMessage().setHeader(CarebusHeaders.CONTROL_ID, controlId);
        e.getMessage().setHeader(CarebusHeaders.JMS_GROUP, patientKey);
        return e;
    }
}
