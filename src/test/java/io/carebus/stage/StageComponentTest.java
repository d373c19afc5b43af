package io.carebus.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.carebus.support.EngineTestBase;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/** stage: consumes in transacted batches; a failure rolls back the batch's sends, and only its own message fails. */
class StageComponentTest extends EngineTestBase {

    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void aFailingMessageRollsBackItsBatchThenFailsAloneWhileTheOthersPassOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "test.stage.in." + run;
        String out = "test.stage.out." + run;
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        // all waiting before the route starts: the first batch holds the bad message and its neighbours
        List<String> sent = List.of("a", "b", "bad", "c", "d", "e");
        sent.forEach(body -> jms.convertAndSend(in, body));
        AtomicInteger badAttempts = new AtomicInteger();
        AtomicInteger largestBatchSeen = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("stage:" + in + "?consumers=1&maxBatch=10").routeId("test-stage-" + run)
                        .process(e -> {
                            String body = e.getMessage().getBody(String.class);
                            if ("bad".equals(body)) {
                                badAttempts.incrementAndGet();
                                throw new IllegalStateException("refused");
                            }
                        })
                        .to("jms:queue:" + out);
            }
        });

        jms.setReceiveTimeout(10_000);
        List<String> received = new ArrayList<>();
        while (received.size() < 5) {
            Message m = jms.receive(out);
            assertThat(m).as("message %d of 5 on the next queue", received.size() + 1).isNotNull();
            received.add(((jakarta.jms.TextMessage) m).getText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> badAttempts.get() >= 3);
        camel.getRouteController().stopRoute("test-stage-" + run);

        // each good message once, in order, although the first batch that held them was rolled back
        assertThat(received).containsExactly("a", "b", "c", "d", "e");
        jms.setReceiveTimeout(500);
        assertThat(jms.receive(out)).as("nothing sent twice").isNull();
        camel.removeRoute("test-stage-" + run);
    }

    @Test
    void aBatchWaitsItsLingerForMoreMessagesButAFullBatchDoesNotWait() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "test.stage.linger." + run;
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        camel.getRegistry().bind("batchSizes" + run, (StageBatchStep) exchanges -> batches.add(exchanges.size()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("stage:" + in + "?consumers=1&maxBatch=4&batchLingerMs=3000&batchStep=#batchSizes" + run)
                        .routeId("test-stage-linger-" + run)
                        .log(org.apache.camel.LoggingLevel.DEBUG, "${body}");
            }
        });
        // one message, then three more at 200 ms intervals: all within the first one's linger, so one batch
        jms.convertAndSend(in, "1");
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        for (int i = 2; i <= 4; i++) {
            String body = Integer.toString(i);
            later.schedule(() -> jms.convertAndSend(in, body), 200L * (i - 1), TimeUnit.MILLISECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().mapToInt(Integer::intValue).sum() == 4);
        assertThat(batches).containsExactly(4);

        // a full batch (maxBatch 4) is processed at once: well before its 3 s linger would have ended
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            jms.convertAndSend(in, "full-" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().mapToInt(Integer::intValue).sum() == 8);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        later.shutdown();
        camel.getRouteController().stopRoute("test-stage-linger-" + run);
        camel.removeRoute("test-stage-linger-" + run);
    }
}
