package io.carebus.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.carebus.CarebusHeaders;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Store-then-acknowledge in groups. Messages received at the same time on different connections are journaled
 * in one database transaction and put on the ingress queue in one JMS transaction, instead of a commit (and a
 * disk sync) each; each sender still gets its acknowledgement only once its own message is both journaled and
 * queued. A group is whatever arrived while the previous one was being written: no waiting is added when
 * messages come one at a time.
 *
 * <p>Order: a sender waits for its ACK before sending the next message, so one connection's messages are in
 * separate groups, in order. One patient's messages arriving on different connections all go to the same writer
 * (chosen by the patient key), which commits its groups one after the other, so they reach the queue in the order
 * they arrived; with a writer per group instead, two writers' commits could finish in either order. When the
 * journal insert fails the rows are tried one at a time, so a message the
 * database refuses fails alone and its neighbours are still taken; when the queue transaction fails, every message
 * of the group is answered with an error and sent again by its sender.
 */
public class IngressGroupCommit implements SmartLifecycle {

    /** Exchange property: the row {@link #commit} journals (made by {@link Journal#newRow}). */
    public static final String ROW = "CarebusJournalRow";

    private static final Logger log = LoggerFactory.getLogger(IngressGroupCommit.class);

    private record Pending(Exchange exchange, JournalRepository.NewMessage row, CompletableFuture<Long> done) {
    }

    private final Journal journal;
    private final ConnectionFactory connectionFactory;
    private final Supplier<CamelContext> camel;
    private final String queue;
    private final int writers;
    private final int maxGroup;
    private final Duration timeout;
    /** One queue per writer thread: a message goes to the writer of its patient ({@link #writerOf}). */
    private final List<BlockingQueue<Pending>> pending;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile JmsBinding binding;

    /**
     * @param camel    looked up when the first group is written: a lifecycle bean depending on the Camel context
     *                 directly would start it before its routes are loaded
     * @param queue    the queue each message is put on ({@code jms:queue:<queue>} gives the header mapping)
     * @param writers  threads writing groups, each for its share of the patients; while one waits on a commit,
     *                 another's group fills
     * @param maxGroup the most messages in one group
     * @param timeout  how long a sender's thread waits for its group before answering with an error
     */
    public IngressGroupCommit(Journal journal, ConnectionFactory connectionFactory, Supplier<CamelContext> camel,
                              String queue,
                              int writers, int maxGroup, Duration timeout) {
        this.journal = journal;
        this.connectionFactory = connectionFactory;
        this.camel = camel;
        this.queue = queue;
        this.writers = writers;
        this.maxGroup = maxGroup;
        this.timeout = timeout;
        if (writers < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("The intake needs at least one writer and groups of at least one"
                    + " message (carebus.mllp.intake-writers, intake-max-group)");
        }
        int capacity = Math.max(maxGroup * 4, 1024 / writers);
        List<BlockingQueue<Pending>> queues = new ArrayList<>(writers);
        for (int i = 0; i < writers; i++) {
            queues.add(new LinkedBlockingQueue<>(capacity));
        }
        this.pending = List.copyOf(queues);
    }

    /** The writer of a message: the same for every message of one patient (none: the first writer). */
    private int writerOf(JournalRepository.NewMessage row) {
        return row.patientKey() == null ? 0 : Math.floorMod(row.patientKey().hashCode(), pending.size());
    }

    /**
     * Journals the message (row in property {@link #ROW}) and puts it on the queue; returns when both are
     * committed, with the row id in header {@link CarebusHeaders#JOURNAL_ID}. Throws when either failed or did not
     * finish within the timeout (the sender is then answered with an error and sends again; if the group did
     * commit late, the resend is journaled as a duplicate and not processed twice).
     */
    public void commit(Exchange exchange) throws Exception {
        JournalRepository.NewMessage row = exchange.getProperty(ROW, JournalRepository.NewMessage.class);
        if (row == null) {
            throw new IllegalStateException("No journal row on the exchange (property " + ROW + ")");
        }
        if (!running) {
            throw new IllegalStateException("The intake is stopping");
        }
        Pending p = new Pending(exchange, row, new CompletableFuture<>());
        if (!pending.get(writerOf(row)).offer(p, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Intake busy: message not stored within " + timeout);
        }
        try {
            p.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            exchange.removeProperty(ROW);
        }
    }

    private void run(BlockingQueue<Pending> queue) {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Messages waiting for a writer (tests). */
    int waiting() {
        return pending.stream().mapToInt(BlockingQueue::size).sum();
    }

    /** Writes these exchanges as one group on the calling thread (tests); one outcome per exchange, in order. */
    List<CompletableFuture<Long>> writeAsOneGroup(List<Exchange> exchanges) {
        List<Pending> group = new ArrayList<>();
        for (Exchange e : exchanges) {
            group.add(new Pending(e, e.getProperty(ROW, JournalRepository.NewMessage.class), new CompletableFuture<>()));
        }
        write(group);
        return group.stream().map(Pending::done).toList();
    }

    private void write(List<Pending> group) {
        List<Pending> stored = store(group);
        if (stored.isEmpty()) {
            return;
        }
        try {
            queue(stored);
        } catch (Exception e) {
            // not retried: had the commit gone through after all, a retry would queue the messages twice; the
            // senders are answered AE and resend, and a resend whose first copy was queued is found a duplicate
            stored.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        stored.forEach(p -> p.done().complete(p.exchange().getMessage().getHeader(CarebusHeaders.JOURNAL_ID,
                Long.class)));
    }

    /**
     * Journals the group's rows in one transaction and sets each message's {@link CarebusHeaders#JOURNAL_ID}.
     * When that fails, each row is tried alone, so a row the database refuses fails only its own message.
     * Returns the messages stored; the others are completed with their failure.
     */
    private List<Pending> store(List<Pending> group) {
        try {
            List<JournalRepository.NewMessage> rows = new ArrayList<>(group.size());
            group.forEach(p -> rows.add(p.row()));
            long[] ids = journal.storeAll(rows);
            for (int i = 0; i < ids.length; i++) {
                group.get(i).exchange().getMessage().setHeader(CarebusHeaders.JOURNAL_ID, ids[i]);
            }
            return group;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(e);
                return List.of();
            }
            log.warn("Could not journal a group of {} messages ({}); storing them one at a time", group.size(),
                    e.toString());
            List<Pending> stored = new ArrayList<>(group.size());
            for (Pending p : group) {
                stored.addAll(store(List.of(p)));
            }
            return stored;
        }
    }

    /** One JMS transaction for the group's messages. */
    private void queue(List<Pending> group) throws JMSException {
        // A cached connection and session (spring.jms.cache): closing returns them, rolling back what was not
        // committed. Once the commit returned, nothing may fail the group.
        Connection connection = connectionFactory.createConnection();
        try {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            try {
                MessageProducer producer = session.createProducer(session.createQueue(queue));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                JmsBinding jms = binding();
                for (Pending p : group) {
                    producer.send(jms.makeJmsMessage(p.exchange(), session));
                }
                session.commit();
            } finally {
                closeQuietly(session);
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(AutoCloseable jms) {
        try {
            jms.close();
        } catch (Exception e) {
            log.debug("Closing a JMS session or connection failed: {}", e.toString());
        }
    }

    /** Camel's own mapping of headers to JMS properties, the one the stage consumers read back. */
    private JmsBinding binding() {
        JmsBinding b = binding;
        if (b == null) {
            b = camel.get().getEndpoint("jms:queue:" + queue, JmsEndpoint.class).getBinding();
            binding = b;
        }
        return b;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            BlockingQueue<Pending> queue = pending.get(i);
            Thread t = new Thread(() -> run(queue), "carebus-ingress-commit-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        List<Pending> left = new ArrayList<>();
        pending.forEach(queue -> queue.drainTo(left));
        left.forEach(p -> p.done().completeExceptionally(new IllegalStateException("The intake stopped")));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after Camel's routes (phase Integer.MAX_VALUE - 1), so no sender waits in vain. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }
}
