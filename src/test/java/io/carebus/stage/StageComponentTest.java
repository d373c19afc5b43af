package io.carebus.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
}
