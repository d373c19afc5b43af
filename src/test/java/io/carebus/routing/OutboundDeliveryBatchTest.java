package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.carebus.CarebusHeaders;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import io.carebus.support.EngineTestBase;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The outbound stage's "delivered already?" over a whole batch (one query) against the journal's database. */
class OutboundDeliveryBatchTest extends EngineTestBase {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime());

    @Autowired
    OutboundDelivery delivery;
    @Autowired
    Journal journal;
    @Autowired
    CamelContext camel;

    @Test
    void aBatchIsCheckedAsIfItsMessagesCameOneAfterAnother() {
        long now = System.currentTimeMillis();
        Exchange deliveredBefore = message("stage:carebus.out.downstream", IDS.incrementAndGet(), now);
        recordDelivered(deliveredBefore);
        long freshId = IDS.incrementAndGet();
        Exchange fresh = message("stage:carebus.out.downstream", freshId, now);
        // the same journal row queued twice: same id, same receive time
        Exchange secondCopyOfFresh = message("stage:carebus.out.downstream", freshId, now);
        List<Exchange> batch = List.of(deliveredBefore, fresh, secondCopyOfFresh);

        delivery.prepare(batch);
        assertThat(batch).extracting(e -> e.getProperty(OutboundDelivery.ALREADY_DELIVERED, Boolean.class))
                .containsExactly(true, false, null);

        // the route delivers the first copy; the second copy's own check then finds that delivery
        batch.forEach(e -> {
            delivery.checkDelivered(e);
            if (!e.getProperty(OutboundDelivery.ALREADY_DELIVERED, Boolean.class)) {
                recordDelivered(e);
            }
        });
        assertThat(batch).extracting(e -> e.getProperty(OutboundDelivery.ALREADY_DELIVERED, Boolean.class))
                .containsExactly(true, false, true);
    }

    @Test
    void aQueueOfNoDestinationIsLeftToThePerMessageCheck() {
        Exchange other = message("stage:carebus.canonical", IDS.incrementAndGet(), System.currentTimeMillis());
        delivery.prepare(List.of(other));
        assertThat(other.getProperty(OutboundDelivery.ALREADY_DELIVERED)).isNull();
    }

    private void recordDelivered(Exchange exchange) {
        journal.recordDelivery(exchange, "downstream", MessageStatus.DELIVERED, null);
    }

    private Exchange message(String stageUri, long journalId, long receivedAt) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromEndpoint(camel.getEndpoint(stageUri));
        exchange.getMessage().setHeader(CarebusHeaders.JOURNAL_ID, journalId);
        exchange.getMessage().setHeader(CarebusHeaders.RECEIVED_AT, receivedAt);
        exchange.getMessage().setHeader(CarebusHeaders.DESTINATION, "downstream");
        return exchange;
    }
}
