package io.carebus.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.carebus.CarebusHeaders;
import io.carebus.support.EngineTestBase;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The transform stage's duplicate check over a whole batch (one statement) against the journal's database. */
class DuplicateFilterBatchTest extends EngineTestBase {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime());

    @Autowired
    DuplicateFilter filter;
    @Autowired
    CamelContext camel;

    @Test
    void aBatchIsCheckedAsIfItsMessagesCameOneAfterAnother() {
        String sender = "BATCH^" + UUID.randomUUID().toString().substring(0, 8);
        Exchange taken = message(sender, "C1", false);
        filter.check(taken);
        assertThat(taken.getProperty(DuplicateFilter.DUPLICATE, Boolean.class)).isFalse();

        Exchange fresh = message(sender, "C2", false);
        Exchange repeatOfEarlier = message(sender, "C1", false);
        Exchange repeatInBatch = message(sender, "C2", false);
        Exchange replay = message(sender, "C1", true);
        List<Exchange> batch = List.of(fresh, repeatOfEarlier, repeatInBatch, replay);
        filter.prepare(batch);
        batch.forEach(filter::check);

        assertThat(batch).extracting(e -> e.getProperty(DuplicateFilter.DUPLICATE, Boolean.class))
                .containsExactly(false, true, true, false);
    }

    @Test
    void aRedeliveredBatchIsNotItsOwnDuplicate() {
        String sender = "REDELIVERY^" + UUID.randomUUID().toString().substring(0, 8);
        Exchange first = message(sender, "R1", false);
        Exchange second = message(sender, "R2", false);
        filter.prepare(List.of(first, second));

        // the batch rolled back after the check: the same messages (same journal rows) come again
        Exchange firstAgain = copy(first);
        Exchange secondAgain = copy(second);
        filter.prepare(List.of(firstAgain, secondAgain));
        assertThat(List.of(first, second, firstAgain, secondAgain))
                .extracting(e -> e.getProperty(DuplicateFilter.DUPLICATE, Boolean.class))
                .containsExactly(false, false, false, false);
    }

    private Exchange message(String sender, String controlId, boolean replay) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(CarebusHeaders.SENDER, sender);
        exchange.getMessage().setHeader(CarebusHeaders.CONTROL_ID, controlId);
        exchange.getMessage().setHeader(CarebusHeaders.JOURNAL_ID, IDS.incrementAndGet());
        exchange.getMessage().setHeader(CarebusHeaders.RECEIVED_AT, System.currentTimeMillis());
        if (replay) {
            exchange.getMessage().setHeader(CarebusHeaders.REPLAY, true);
        }
        return exchange;
    }

    private Exchange copy(Exchange original) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(original.getMessage().getHeaders()));
        return exchange;
    }
}
