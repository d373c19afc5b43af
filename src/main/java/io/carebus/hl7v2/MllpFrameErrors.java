package io.carebus.hl7v2;

import java.time.Instant;

import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpException;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad framing on the MLLP listener (a frame without its end block, a client that stops mid-frame or drops the
 * connection): camel-mllp resets that connection and keeps listening; what was received is journaled as
 * rejected here so nothing vanishes. Only the exception type is logged, never the bytes.
 */
public class MllpFrameErrors implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(MllpFrameErrors.class);

    private final Journal journal;

    public MllpFrameErrors(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String reason = "Bad MLLP framing: " + exception.getClass().getSimpleName();
        if (exception instanceof MllpException mllp && mllp.hasHl7MessageBytes()) {
            byte[] received = mllp.getHl7MessageBytes();
            try {
                long id = journal.store(Journal.Metadata.unknown(Hl7v2Intake.CHANNEL), received, Journal.now(),
                        MessageStatus.REJECTED, reason, null);
                log.warn("{}: {} bytes received, journaled as rejected (journal={})", reason, received.length, id);
            } catch (RuntimeException e) {
                log.error("{}: could not journal the {} bytes received: {}", reason, received.length, e.toString());
            }
        } else {
            log.warn("{} (nothing received to journal)", reason);
        }
    }
}
