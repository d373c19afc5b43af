package io.carebus.hl7v2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.carebus.CarebusHeaders;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalRepository.DedupKey;
import io.carebus.journal.MessageStatus;
import io.carebus.stage.StageBatchStep;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate detection on (sender, MSH-10) within the configured window. It runs as the first step of the
 * transform stage, inside its queue transaction, rather than before the ACK: a message counts as seen only
 * once it is safely queued, so a sender resending after a crash before our ACK is never told "duplicate"
 * for a message that was lost.
 *
 * <p>As the stage's batch step it checks a whole batch in one statement; {@link #check} then only reads the
 * answer, and checks alone a message the batch step did not answer.
 */
public class DuplicateFilter implements StageBatchStep {

    private static final Logger log = LoggerFactory.getLogger(DuplicateFilter.class);

    private final Journal journal;
    private final Duration window;

    public DuplicateFilter(Journal journal, Duration window) {
        this.journal = journal;
        this.window = window;
    }

    /** Exchange property set by {@link #check} (or ahead of it by {@link #prepare}). */
    public static final String DUPLICATE = "CarebusDuplicate";

    /** Sets {@link #DUPLICATE}: whether this message repeats one already taken (see {@link #isDuplicate}). */
    public void check(Exchange exchange) {
        if (exchange.getProperty(DUPLICATE) == null) {
            exchange.setProperty(DUPLICATE, isDuplicate(exchange));
        }
    }

    public boolean isDuplicate(Exchange exchange) {
        DedupKey key = key(exchange.getMessage());
        if (key == null) {
            return false;
        }
        boolean duplicate = journal.isDuplicate(key.sender(), key.controlId(), key.messageId(), key.receivedAt(),
                window);
        if (duplicate) {
            markDuplicate(exchange);
        }
        return duplicate;
    }

    /**
     * Checks the batch's messages in one statement. The statement takes each (sender, MSH-10) once: a key that
     * comes back later in the same batch is left to {@link #check}, which sees it after the first one is taken,
     * exactly as one message after another would.
     */
    @Override
    public void prepare(List<Exchange> batch) {
        List<Exchange> checked = new ArrayList<>(batch.size());
        List<DedupKey> keys = new ArrayList<>(batch.size());
        Set<List<String>> seen = new HashSet<>();
        for (Exchange exchange : batch) {
            DedupKey key = key(exchange.getMessage());
            if (key == null) {
                exchange.setProperty(DUPLICATE, false);
            } else if (seen.add(List.of(key.sender(), key.controlId()))) {
                checked.add(exchange);
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Set<Long> owners = journal.takeDuplicateKeys(keys, window);
        for (int i = 0; i < checked.size(); i++) {
            Exchange exchange = checked.get(i);
            boolean duplicate = !owners.contains(keys.get(i).messageId());
            if (duplicate) {
                markDuplicate(exchange);
            }
            exchange.setProperty(DUPLICATE, duplicate);
        }
    }

    /** The message's key, or null when it is not checked: a replay, or a message without MSH-10 or journal row. */
    private static DedupKey key(Message in) {
        String sender = in.getHeader(CarebusHeaders.SENDER, String.class);
        String controlId = in.getHeader(CarebusHeaders.CONTROL_ID, String.class);
        Long id = in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
        Long at = in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class);
        if (sender == null || controlId == null || id == null || at == null
                || Boolean.TRUE.equals(in.getHeader(CarebusHeaders.REPLAY, Boolean.class))) {
            return null;
        }
        return new DedupKey(sender, controlId, id, Instant.ofEpochMilli(at));
    }

    private void markDuplicate(Exchange exchange) {
        journal.status(exchange, MessageStatus.DUPLICATE, "Same MSH-10 from the same sender within " + window);
        log.info("Duplicate controlId={} journal={}: not processed again",
                exchange.getMessage().getHeader(CarebusHeaders.CONTROL_ID),
                exchange.getMessage().getHeader(CarebusHeaders.JOURNAL_ID));
    }
}
