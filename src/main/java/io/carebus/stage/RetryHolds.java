package io.carebus.stage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * The back-off of a stage queue's failed messages, kept by the consumer rather than by the broker. A failed
 * message is rolled back to the head of its queue at once (the stage queues have no broker redelivery delay) and
 * the consumer that receives it again holds it until its back-off has passed: its message group (the patient) gets
 * nothing past it, so one patient's messages stay in arrival order. An Artemis redelivery delay would instead set
 * the message aside and let the group's next message through first (ARTEMIS-2417).
 *
 * <p>The attempt count is the broker's (JMSXDeliveryCount, kept in its journal), so the dead-letter rules and the
 * back-off survive a restart; only the hold's end time is in memory, and after a restart the first redelivery is at
 * once.
 */
final class RetryHolds {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long delayMs;
    private final double multiplier;
    private final long maxDelayMs;
    /** JMSMessageID → System.nanoTime() before which the message is not processed again. */
    private final Map<String, Long> notBefore = new ConcurrentHashMap<>();

    RetryHolds(long delayMs, double multiplier, long maxDelayMs) {
        this.delayMs = delayMs;
        this.multiplier = multiplier;
        this.maxDelayMs = maxDelayMs;
    }

    /**
     * The wait after the failed delivery {@code deliveryCount} (1 for the first): the delay, times the multiplier for
     * each earlier failure, at most the maximum; as Artemis computes its redelivery delay.
     */
    long backOffMs(int deliveryCount) {
        double delay = delayMs * Math.pow(multiplier, Math.max(0, deliveryCount - 1));
        return (long) Math.min(delay, maxDelayMs);
    }

    /** The message's processing failed and is rolled back: hold it for its back-off when it comes again. */
    void failed(Message message) throws JMSException {
        String id = message.getJMSMessageID();
        if (id == null) {
            return;
        }
        long now = System.nanoTime();
        // forget holds long passed: their messages went elsewhere (dead letters, another engine)
        notBefore.values().removeIf(end -> now - end > TimeUnit.MILLISECONDS.toNanos(maxDelayMs) * 2);
        long backOff = backOffMs(message.getIntProperty("JMSXDeliveryCount"));
        if (backOff > 0) {
            notBefore.put(id, now + TimeUnit.MILLISECONDS.toNanos(backOff));
        }
    }

    /**
     * Waits, holding the message, until its back-off has passed; false if {@code running} turned false first (the
     * caller leaves it unprocessed, and it stays on the queue).
     */
    boolean awaitTurn(Message message, BooleanSupplier running) throws JMSException {
        if (notBefore.isEmpty()) {
            return true;     // the usual case, without building the message's id for each message
        }
        String id = message.getJMSMessageID();
        Long end = id == null ? null : notBefore.get(id);
        if (end == null) {
            return true;
        }
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            if (!running.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, SLICE_NANOS));
        }
        notBefore.remove(id);
        return running.getAsBoolean();
    }
}
