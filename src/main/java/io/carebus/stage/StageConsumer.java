package io.carebus.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.JmsResourceHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Consumer threads of a stage queue, each with its own transacted session. The session is bound to the thread
 * the way Spring's listener container binds its own, so the route's {@code jms:} producers send in it: consumed
 * and sent messages commit together, once per batch.
 */
class StageConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(StageConsumer.class);
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final StageEndpoint endpoint;
    private volatile boolean running;
    private ExecutorService threads;
    private JmsEndpoint jms;
    private ConnectionFactory listenerFactory;
    private ConnectionFactory templateFactory;
    private RetryHolds holds;
    /** Threads of this stage whose consumer may receive a message now (open, and not holding a batch). */
    private final AtomicInteger receivers = new AtomicInteger();

    StageConsumer(StageEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        jms = endpoint.jmsEndpoint();
        listenerFactory = jms.getConfiguration().getOrCreateListenerConnectionFactory();
        templateFactory = jms.getConfiguration().getOrCreateTemplateConnectionFactory();
        holds = new RetryHolds(endpoint.getRedeliveryDelayMs(), endpoint.getRedeliveryMultiplier(),
                endpoint.getMaxRedeliveryDelayMs());
        running = true;
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newFixedThreadPool(endpoint.getConsumers(), r -> {
            Thread t = new Thread(r, "StageConsumer[" + endpoint.getQueue() + "]-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < endpoint.getConsumers(); i++) {
            threads.execute(this::consumeUntilStopped);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (threads != null) {
            threads.shutdown();
            if (!threads.awaitTermination(endpoint.getReceiveTimeout() + 30_000, TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        }
        super.doStop();
    }

    private boolean shouldRun() {
        return running && isRunAllowed();
    }

    private void consumeUntilStopped() {
        while (shouldRun()) {
            // with spring.jms.cache the connection is shared and closing it, or the session, returns it
            try (Connection connection = listenerFactory.createConnection()) {
                connection.start();
                try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                     MessageConsumer consumer = session.createConsumer(session.createQueue(endpoint.getQueue()))) {
                    receivers.incrementAndGet();
                    try {
                        consume(connection, session, consumer);
                    } finally {
                        receivers.decrementAndGet();
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (shouldRun()) {
                    log.warn("Stage queue {}: consumer failed ({}); reconnecting", endpoint.getQueue(), e.toString());
                    LockSupport.parkNanos(RECONNECT_NANOS);
                }
            }
        }
    }

    /**
     * A batch is the first message and those already waiting behind it or arriving within the endpoint's batch
     * linger, up to maxBatch. A redelivered message (its earlier attempt failed, maybe in someone else's batch) is
     * processed alone when it comes first, and ends the batch when it comes later, so a failing message rolls back
     * as few others as possible. A message that failed before is held, unprocessed, until its back-off has passed
     * ({@link RetryHolds}); it is the batch's first or last, so nothing else of the batch has been processed yet.
     */
    private void consume(Connection connection, Session session, MessageConsumer consumer) throws JMSException {
        List<Message> batch = new ArrayList<>(endpoint.getMaxBatch());
        while (shouldRun()) {
            Message first = consumer.receive(endpoint.getReceiveTimeout());
            if (first == null) {
                continue;
            }
            batch.clear();
            batch.add(first);
            if (!first.getJMSRedelivered()) {
                long lingerEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getBatchLingerMs());
                while (batch.size() < endpoint.getMaxBatch()) {
                    Message next = consumer.receiveNoWait();
                    if (next == null) {
                        long leftMs = TimeUnit.NANOSECONDS.toMillis(lingerEnd - System.nanoTime());
                        // receive(0) would wait for ever
                        next = leftMs > 0 && shouldRun() ? consumer.receive(leftMs) : null;
                        if (next == null) {
                            break;
                        }
                    }
                    batch.add(next);
                    if (next.getJMSRedelivered()) {
                        break;
                    }
                }
            }
            if (!awaitTurn(session, batch)) {
                return;
            }
            process(connection, session, batch);
        }
    }

    /**
     * Holds the batch until the back-off of its message that failed before, if any, has passed; false when the
     * stage stops meanwhile: the batch then goes back to the queue, unprocessed.
     */
    private boolean awaitTurn(Session session, List<Message> batch) throws JMSException {
        receivers.decrementAndGet();
        try {
            for (Message message : batch) {
                if (!holds.awaitTurn(message, this::shouldRun)) {
                    // The broker counts a delivery for each consumer that receives the message and rolls it back:
                    // let the stage's other threads close their consumers first, so that none of them receives it
                    // again and it keeps its attempts but this one. Rolled back before the session closes: closing
                    // would hand back what the broker sent this consumer since (the patient's next message) first.
                    awaitOtherReceiversClosed();
                    session.rollback();
                    return false;
                }
            }
            return true;
        } finally {
            receivers.incrementAndGet();
        }
    }

    private void awaitOtherReceiversClosed() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getReceiveTimeout() + 30_000);
        while (receivers.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /**
     * Runs the batch step, if any, then the route for each message; commits if all succeeded (or were
     * dead-lettered), else rolls back.
     */
    private void process(Connection connection, Session session, List<Message> batch) throws JMSException {
        TransactionSynchronizationManager.bindResource(templateFactory,
                new JmsResourceHolder(templateFactory, connection, session));
        Exception failure = null;
        Message failed = null;
        try {
            List<Exchange> exchanges = new ArrayList<>(batch.size());
            for (Message message : batch) {
                Exchange exchange = jms.createExchange(message, session);
                exchange.getExchangeExtension().setFromEndpoint(endpoint);
                exchange.getExchangeExtension().setFromRouteId(getRouteId());
                exchanges.add(exchange);
            }
            prepare(exchanges);
            for (int i = 0; failure == null && i < exchanges.size(); i++) {
                Exchange exchange = exchanges.get(i);
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                if (exchange.getException() != null || exchange.isRollbackOnly()) {
                    failure = exchange.getException() != null ? exchange.getException()
                            : new IllegalStateException("marked for rollback");
                    failed = batch.get(i);
                }
            }
        } finally {
            TransactionSynchronizationManager.unbindResource(templateFactory);
        }
        if (failure == null) {
            session.commit();
        } else {
            // the broker puts the batch back at the head of the queue at once, in order; the failed message is held
            // for its back-off when it comes again, its neighbours go on at once (see consume())
            holds.failed(failed);
            session.rollback();
            log.debug("Stage queue {}: batch of {} rolled back ({})", endpoint.getQueue(), batch.size(),
                    failure.getClass().getSimpleName());
        }
    }

    /** The endpoint's batch step over the batch; when it fails, the route's own steps do its work per message. */
    private void prepare(List<Exchange> exchanges) {
        StageBatchStep step = endpoint.getBatchStep();
        if (step == null) {
            return;
        }
        try {
            step.prepare(exchanges);
        } catch (Exception e) {
            log.warn("Stage queue {}: batch step failed for {} messages ({}); each is handled alone",
                    endpoint.getQueue(), exchanges.size(), e.toString());
        }
    }
}
