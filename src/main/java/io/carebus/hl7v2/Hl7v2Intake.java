package io.carebus.hl7v2;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import io.carebus.CarebusHeaders;
import io.carebus.hl7v2.AckBuilder.Code;
import io.carebus.hl7v2.Hl7RejectException.ErrorLocation;
import io.carebus.journal.IngressGroupCommit;
import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake of the MLLP channel (route inbound-mllp-hl7v2): read the header, refuse what cannot be taken,
 * journal the bytes, and answer with the acknowledgement once the message is on the ingress queue.
 * Logs carry control ids, types and sizes, never content.
 */
public class Hl7v2Intake {

    /** Exchange property: the acknowledgement text to send (null: send none, MSH-15 NE/SU/ER). */
    public static final String ACK_TEXT = "CarebusAckText";
    /** Exchange property: the charset to encode the acknowledgement in (the message's own). */
    public static final String ACK_CHARSET = "CarebusAckCharset";
    /** Exchange property (not a header: it is not carried to the queue): accepted (queue it) or answered. */
    public static final String DISPOSITION = "CarebusDisposition";
    public static final String ACCEPTED = "accepted";
    public static final String ANSWERED = "answered";
    /** Exchange property: the header of the message, once read. */
    public static final String HEADER_PROPERTY = "CarebusHl7Header";

    public static final String CHANNEL = "mllp-hl7v2";

    private static final Logger log = LoggerFactory.getLogger(Hl7v2Intake.class);

    private final Hl7HeaderReader reader;
    private final AckBuilder acks;
    private final Journal journal;
    private final Set<String> supportedVersions;
    private final Set<String> supportedTypes;

    public Hl7v2Intake(Hl7HeaderReader reader, AckBuilder acks, Journal journal, Set<String> supportedVersions,
                       Set<String> supportedTypes) {
        this.reader = reader;
        this.acks = acks;
        this.journal = journal;
        this.supportedVersions = supportedVersions;
        this.supportedTypes = supportedTypes;
    }

    /** Reads, checks and journals the message; sets the headers the stages need. */
    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] raw = in.getBody(byte[].class);
        Instant receivedAt = Journal.now();
        Hl7HeaderReader.Decoded decoded;
        try {
            decoded = reader.read(raw);
        } catch (Hl7RejectException e) {
            if (e.header() != null) {                // MSH was read, the message refused (MSH-18)
                refuse(exchange, raw, receivedAt, e.header(), metadata(e.header()), e);
            } else {
                rejectUnreadable(exchange, raw, receivedAt, AckBuilder.Error.of(e));
            }
            return;
        } catch (RuntimeException e) {
            // a header the reader could not make sense of is refused (AR), never answered AE 207 ("send again")
            log.debug("MSH segment not readable", e);
            rejectUnreadable(exchange, raw, receivedAt, new AckBuilder.Error(ErrorLocation.of("MSH", 0),
                    Hl7RejectException.DATA_TYPE_ERROR, "The MSH segment could not be read ("
                    + e.getClass().getSimpleName() + ")"));
            return;
        }
        Hl7MessageHeader header = decoded.header();
        exchange.setProperty(HEADER_PROPERTY, header);
        Journal.Metadata metadata = metadata(header);
        String patientKey = metadata.patientKey();

        Hl7RejectException problem = check(header);
        if (problem != null) {
            refuse(exchange, raw, receivedAt, header, metadata, problem);
            return;
        }

        // journaled and queued together with other connections' messages (IngressGroupCommit, next in the route)
        exchange.setProperty(IngressGroupCommit.ROW, journal.newRow(metadata, raw, receivedAt, MessageStatus.RECEIVED));
        in.setHeader(CarebusHeaders.RECEIVED_AT, receivedAt.toEpochMilli());
        in.setHeader(CarebusHeaders.CHANNEL, CHANNEL);
        in.setHeader(CarebusHeaders.SENDER, header.sender());
        in.setHeader(CarebusHeaders.MESSAGE_TYPE, header.messageCode());
        in.setHeader(CarebusHeaders.TRIGGER_EVENT, header.triggerEvent());
        in.setHeader(CarebusHeaders.CONTROL_ID, header.controlId());
        in.setHeader(CarebusHeaders.VERSION, header.version());
        in.setHeader(CarebusHeaders.CHARSET, header.charset().name());
        if (!patientKey.isEmpty()) {
            in.setHeader(CarebusHeaders.PATIENT_KEY, patientKey);
            in.setHeader(CarebusHeaders.JMS_GROUP, patientKey);  // one patient, one consumer, in order
        }
        exchange.setProperty(DISPOSITION, ACCEPTED);
    }

    private Journal.Metadata metadata(Hl7MessageHeader header) {
        return new Journal.Metadata(CHANNEL, header.sender(), header.receiver(), header.messageCode(),
                header.triggerEvent(), header.controlId(), header.version(),
                journal.patientKey(header.patientId(), header.patientAuthority()));
    }

    /** A message whose header was read, refused: journaled as rejected, answered AR/AE (CR/CE) naming the field. */
    private void refuse(Exchange exchange, byte[] raw, Instant receivedAt, Hl7MessageHeader header,
                        Journal.Metadata metadata, Hl7RejectException problem) {
        long id = journal.store(metadata, raw, receivedAt, MessageStatus.REJECTED, problem.getMessage(), null);
        log.info("Refused message controlId={} type={}^{} journal={}: {}", header.controlId(),
                header.messageCode(), header.triggerEvent(), id, problem.getMessage());
        exchange.setProperty(DISPOSITION, ANSWERED);
        Code code = problem.isReject() ? Code.reject(header.enhancedMode()) : Code.error(header.enhancedMode());
        answerIfWanted(exchange, header, code, AckBuilder.Error.of(problem));
    }

    /** Bytes without a readable MSH: journaled as rejected with no metadata, answered AR. */
    private void rejectUnreadable(Exchange exchange, byte[] raw, Instant receivedAt, AckBuilder.Error error) {
        long id = journal.store(Journal.Metadata.unknown(CHANNEL), raw, receivedAt, MessageStatus.REJECTED,
                error.text(), null);
        log.info("Rejected unreadable message journal={} size={}: {}", id, raw.length, error.text());
        exchange.setProperty(DISPOSITION, ANSWERED);
        answer(exchange, acks.buildForUnreadable(Code.AR, error), StandardCharsets.UTF_8);
    }

    /** After the message is journaled and on the ingress queue: AA (or CA). */
    public void acknowledge(Exchange exchange) {
        Hl7MessageHeader header = exchange.getProperty(HEADER_PROPERTY, Hl7MessageHeader.class);
        log.debug("Received controlId={} type={}^{} journal={}", header.controlId(), header.messageCode(),
                header.triggerEvent(), exchange.getMessage().getHeader(CarebusHeaders.JOURNAL_ID));
        journal.status(exchange, MessageStatus.QUEUED);
        answerIfWanted(exchange, header, Code.accept(header.enhancedMode()), null);
    }

    /**
     * The message could not be stored or queued (database or broker down): AE (or CE) with code 207, so the
     * sender keeps it and sends it again.
     */
    public void answerFailure(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "Message not stored: " + (cause == null ? "internal error" : cause.getClass().getSimpleName());
        journal.status(exchange, MessageStatus.ERROR, cause == null ? reason : String.valueOf(cause.getMessage()));
        log.warn("Could not take message controlId={}: {}", exchange.getMessage().getHeader(CarebusHeaders.CONTROL_ID),
                reason);
        Hl7MessageHeader header = exchange.getProperty(HEADER_PROPERTY, Hl7MessageHeader.class);
        AckBuilder.Error error = new AckBuilder.Error(ErrorLocation.of("MSH", 0),
                Hl7RejectException.APPLICATION_INTERNAL_ERROR, reason);
        if (header == null) {
            answer(exchange, acks.buildForUnreadable(Code.AE, error), StandardCharsets.UTF_8);
        } else {
            answerIfWanted(exchange, header, Code.error(header.enhancedMode()), error);
        }
    }

    private Hl7RejectException check(Hl7MessageHeader h) {
        if (h.messageCode().isEmpty()) {
            return new Hl7RejectException("MSH-9 message type is missing", ErrorLocation.of("MSH", 9),
                    Hl7RejectException.REQUIRED_FIELD_MISSING, true);
        }
        if (h.controlId().isEmpty()) {
            return new Hl7RejectException("MSH-10 message control id is missing", ErrorLocation.of("MSH", 10),
                    Hl7RejectException.REQUIRED_FIELD_MISSING, true);
        }
        if (h.version().isEmpty()) {
            return new Hl7RejectException("MSH-12 version id is missing", ErrorLocation.of("MSH", 12),
                    Hl7RejectException.REQUIRED_FIELD_MISSING, true);
        }
        if (!supportedVersions.contains(h.version())) {
            return new Hl7RejectException("Version " + h.version() + " is not supported",
                    ErrorLocation.of("MSH", 12), Hl7RejectException.UNSUPPORTED_VERSION_ID, true);
        }
        if (!supportedTypes.contains(h.messageCode())) {
            return new Hl7RejectException("Message type " + h.messageCode() + " is not accepted on this channel",
                    ErrorLocation.of("MSH", 9), Hl7RejectException.UNSUPPORTED_MESSAGE_TYPE, true);
        }
        if (h.hasPid() && h.patientId().isEmpty()) {
            return new Hl7RejectException("PID-3 patient identifier is missing", ErrorLocation.of("PID", 3),
                    Hl7RejectException.REQUIRED_FIELD_MISSING, false);
        }
        return null;
    }

    /** Enhanced mode honours MSH-15: NE never, ER only on errors, SU only on success, AL (or empty) always. */
    private void answerIfWanted(Exchange exchange, Hl7MessageHeader header, Code code, AckBuilder.Error error) {
        if (header.enhancedMode()) {
            String when = header.acceptAckType();
            boolean success = code == Code.CA;
            if ("NE".equals(when) || ("ER".equals(when) && success) || ("SU".equals(when) && !success)) {
                exchange.removeProperty(ACK_TEXT);
                return;
            }
        }
        answer(exchange, acks.build(header, code, error), header.charset());
    }

    private static void answer(Exchange exchange, String ack, Charset charset) {
        exchange.setProperty(ACK_TEXT, ack);
        exchange.setProperty(ACK_CHARSET, charset.name());
    }
}
