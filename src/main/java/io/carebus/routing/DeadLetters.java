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
import org.springframework.jms.core.JmsTemplate;

/** Dead-letter queues DLQ.&lt;queue&gt;: list what is there and move messages back to their queue. */
public class DeadLetters {

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

    public List<DeadLetter> list(String deadLetterQueue, int limit) {
        requireKnown(deadLetterQueue);
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
     * Moves messages from DLQ.&lt;queue&gt; back to &lt;queue&gt; in one JMS transaction: all of them, or only
     * those of the given journal ids. Returns how many moved.
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
        Integer moved = jms.execute(session -> move(session, deadLetterQueue, target, selector), true);
        return moved == null ? 0 : moved;
    }

    private static int move(Session session, String from, String to, String selector) throws JMSException {
        Queue source = session.createQueue(from);
        Queue destination = session.createQueue(to);
        int count = 0;
        try (MessageConsumer consumer = session.createConsumer(source, selector);
             MessageProducer producer = session.createProducer(destination)) {
            Message m;
            while ((m = consumer.receive(500)) != null) {
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
