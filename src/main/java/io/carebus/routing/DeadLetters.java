package io.carebus.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.carebus.CarebusHeaders;
import io.carebus.config.BrokerConfig;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;

/** Dead-letter queues DLQ.&lt;queue&gt;: list what is there and move messages back to their queue. */
public class DeadLetters {

    /** The most messages one listing returns (a larger limit is refused). */
    public static final int MAX_LIST = 1000;
    /** The most messages a replay moves in one JMS transaction. */
    public static final int REPLAY_CHUNK = 500;

    private final JmsTemplate jms;
    private final List<String> queues;

    public DeadLetters(JmsTemplate jms, List<String> queues) {
        this.jms = jms;
        this.queues = List.copyOf(queues);
    }

    /** One dead-lettered message, without content. */
    public record DeadLetter(String jmsMessageId, Long journalId, String controlId, String messageType,
                             String destination, String error, int deliveryCount) {
    }

    public List<String> queues() {
        return queues.stream().map(q -> BrokerConfig.DLQ_PREFIX + q).toList();
    }

    /** The first {@code limit} messages (1 to {@link #MAX_LIST}) of a dead-letter queue, oldest first. */
    public List<DeadLetter> list(String deadLetterQueue, int limit) {
        requireKnown(deadLetterQueue);
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit: from 1 to " + MAX_LIST);
        }
        return jms.browse(deadLetterQueue, (session, browser) -> {
            List<DeadLetter> out = new ArrayList<>();
            var e = browser.getEnumeration();
            while (e.hasMoreElements() && out.size() < limit) {
                Message m = (Message) e.nextElement();
                out.add(new DeadLetter(m.getJMSMessageID(), longProperty(m, CarebusHeaders.JOURNAL_ID),
                        m.getStringProperty(CarebusHeaders.CONTROL_ID),
                        m.getStringProperty(CarebusHeaders.MESSAGE_TYPE),
                        m.getStringProperty(CarebusHeaders.DESTINATION), m.getStringProperty(CarebusHeaders.ERROR),
                        m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 0));
            }
            return out;
        });
    }

    /**
     * Moves messages from DLQ.&lt;queue&gt; back to &lt;queue&gt;: all of them, or only those of the given journal
     * ids, in JMS transactions of at most {@link #REPLAY_CHUNK} messages each, so a large queue is never held in one
     * transaction. Moves at most as many as were there when it started: a message that fails again and comes back
     * meanwhile waits for the next replay. Returns how many moved; when a chunk fails, those moved before it stay
     * moved and {@link DeadLetterReplayFailedException} says how many.
     */
    public int replay(String deadLetterQueue, List<Long> journalIds) {
        requireKnown(deadLetterQueue);
        if (journalIds != null && journalIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("journalIds: a list of journal ids");
        }
        String target = deadLetterQueue.substring(BrokerConfig.DLQ_PREFIX.length());
        // JMS selector IN takes strings only, so numeric ids are spelt out as ORs.
        String selector = journalIds == null || journalIds.isEmpty() ? null
                : String.join(" OR ", journalIds.stream().map(id -> CarebusHeaders.JOURNAL_ID + " = " + id).toList());
        int moved = 0;
        try {
            int waiting = count(deadLetterQueue, selector);
            while (moved < waiting) {
                int chunk = Math.min(REPLAY_CHUNK, waiting - moved);
                Integer n = jms.execute(session -> move(session, deadLetterQueue, target, selector, chunk), true);
                if (n == null || n == 0) {
                    break;
                }
                moved += n;
            }
        } catch (JmsException e) {
            // the chunks committed before stay moved: the caller is told how many, not just that it failed
            throw new DeadLetterReplayFailedException(deadLetterQueue, moved, e.getMostSpecificCause().getMessage(), e);
        }
        return moved;
    }

    private int count(String queue, String selector) {
        Integer n = jms.browseSelected(queue, selector, (session, browser) -> {
            int count = 0;
            for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                count++;
            }
            return count;
        });
        return n == null ? 0 : n;
    }

    /** Moves up to {@code max} messages in the session's transaction, committed before it returns. */
    private static int move(Session session, String from, String to, String selector, int max) throws JMSException {
        Queue source = session.createQueue(from);
        Queue destination = session.createQueue(to);
        int count = 0;
        try (MessageConsumer consumer = session.createConsumer(source, selector);
             MessageProducer producer = session.createProducer(destination)) {
            Message m;
            while (count < max && (m = consumer.receive(500)) != null) {
                producer.send(m);
                count++;
            }
            if (session.getTransacted()) {
                session.commit();
            }
        }
        return count;
    }

    private void requireKnown(String deadLetterQueue) {
        if (!queues().contains(deadLetterQueue)) {
            throw new IllegalArgumentException("Unknown dead-letter queue " + deadLetterQueue
                    + "; known: " + Collections.unmodifiableList(queues()));
        }
    }

    private static Long longProperty(Message m, String name) throws JMSException {
        return m.propertyExists(name) ? m.getLongProperty(name) : null;
    }
}
