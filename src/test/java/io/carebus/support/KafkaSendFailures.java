package io.carebus.support;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor on every Kafka producer of the test engine ({@code camel.component.kafka.interceptor-classes}):
 * passes records through, except that while {@link #fail} is in force the sends of a chosen record fail as a real
 * send fails, with the producer's own {@code RecordTooLargeException} (the record is enlarged past
 * {@code max.request.size} before the producer checks it). Kafka ignores an exception thrown by an interceptor, so
 * this is how one makes a send fail at once without stopping the broker.
 */
public class KafkaSendFailures implements ProducerInterceptor<Object, Object> {

    private static final int TOO_LARGE = 2 * 1024 * 1024;   // the producer's max.request.size is 1 MB by default
    /** topic|text of the records whose sends fail. */
    private static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

    /** Sends to {@code topic} of a value that contains {@code text} fail until {@link #recover}. */
    public static void fail(String topic, String text) {
        FAILING.add(topic + "|" + text);
    }

    public static void recover(String topic, String text) {
        FAILING.remove(topic + "|" + text);
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (FAILING.isEmpty()) {
            return record;
        }
        String value = record.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(record.value());
        for (String failing : FAILING) {
            String[] topicAndText = failing.split("\\|", 2);
            if (record.topic().equals(topicAndText[0]) && value.contains(topicAndText[1])) {
                Object tooLarge = record.value() instanceof byte[] ? new byte[TOO_LARGE] : "x".repeat(TOO_LARGE);
                return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                        tooLarge, record.headers());
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(java.util.Map<String, ?> configs) {
    }
}
