package io.carebus.hl7v2;

import java.time.Duration;
import java.time.Instant;

import io.carebus.CarebusHeaders;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate detection on (sender, MSH-10) within the configured window. It runs as the first step of the
 * transform stage, inside its queue transaction, rather than before the ACK: a message counts as seen only
 * once it is safely queued, so a sender resending after a crash before our ACK is never told "duplicate"
 * for a message that was lost.
 */
public class DuplicateFilter {

    private static final Logger log = LoggerFactory.getLogger(DuplicateFilter.class);

    private final Journal journal;
    private final Duration window;

    public DuplicateFilter(Journal journal, Duration window) {
        this.journal = journal;
        this.window = window;
    }

    /** Exchange property set by {@link #check}. */
    public static final String DUPLICATE = "CarebusDuplicate";

    /** Sets {@link #DUPLICATE}: whether this message repeats one already taken (see {@link #isDuplicate}). */
    public void check(Exchange exchange) {
        exchange.setProperty(DUPLICATE, isDuplicate(exchange));
    }

    public boolean isDuplicate(Exchange exchange) {
        Message in = exchange.getMessage();
        String sender = in.getHeader(CarebusHeaders.SENDER, String.class);
        String controlId = in.getHeader(CarebusHeaders.CONTROL_ID, String.class);
        Long id = in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
        Long at = in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class);
        if (sender == null || controlId == null || id == null || at == null
                || Boolean.TRUE.equals(in.getHeader(CarebusHeaders.REPLAY, Boolean.class))) {
            return false;
        }
        boolean duplicate = journal.isDuplicate(sender, controlId, id, Instant.ofEpochMilli(at), window);
        if (duplicate) {
            journal.status(exchange, MessageStatus.DUPLICATE, "Same MSH-10 from the same sender within " + window);
            log.info("Duplicate controlId={} journal={}: not processed again", controlId, id);
        }
        return duplicate;
    }
}
