package io.carebus.hl7v2;

import io.carebus.hl7v2.mllp.MllpRejections;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad framing on the MLLP listener (data outside a frame, a frame without its end block, a frame over the size
 * limit, a sender silent or gone mid-frame): what was received is journaled as rejected here so nothing vanishes.
 * Only the reason and the size are logged, never the bytes.
 */
public class MllpFrameErrors implements MllpRejections {

    private static final Logger log = LoggerFactory.getLogger(MllpFrameErrors.class);

    private final Journal journal;

    public MllpFrameErrors(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void rejected(String reason, byte[] received) {
        String error = "Bad MLLP framing: " + reason;
        try {
            long id = journal.store(Journal.Metadata.unknown(Hl7v2Intake.CHANNEL), received, Journal.now(),
                    MessageStatus.REJECTED, error, null);
            log.info("{}: {} bytes journaled as rejected (journal={})", error, received.length, id);
        } catch (RuntimeException e) {
            log.error("{}: could not journal the {} bytes received: {}", error, received.length, e.toString());
        }
    }
}
