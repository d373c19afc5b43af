package io.carebus.hl7v2;

/**
 * A message Carebus refuses: answered with an ERR segment naming the field (HL7 table 0357 code).
 * {@code reject} true gives AR/CR (the message itself is unacceptable), false gives AE/CE.
 */
public class Hl7RejectException extends RuntimeException {

    private final ErrorLocation location;
    private final String errorCode;
    private final boolean reject;
    private final Hl7MessageHeader header;

    public Hl7RejectException(String message, ErrorLocation location, String errorCode, boolean reject) {
        this(message, location, errorCode, reject, null);
    }

    /** A message whose header was read before it was refused: the answer and the journal row use the header. */
    public Hl7RejectException(String message, ErrorLocation location, String errorCode, boolean reject,
                              Hl7MessageHeader header) {
        super(message);
        this.location = location;
        this.errorCode = errorCode;
        this.reject = reject;
        this.header = header;
    }

    public ErrorLocation location() { return location; }

    /** HL7 table 0357 message error condition code. */
    public String errorCode() { return errorCode; }

    public boolean isReject() { return reject; }

    /** The message's header when it was read before the refusal (MSH-18 refused), else null. */
    public Hl7MessageHeader header() { return header; }

    /** ERR-2: segment id, sequence, field position (0 when the whole segment is meant). */
    public record ErrorLocation(String segment, int sequence, int field) {
        public static ErrorLocation of(String segment, int field) {
            return new ErrorLocation(segment, 1, field);
        }
    }

    // HL7 table 0357 codes used by Carebus.
    public static final String SEGMENT_SEQUENCE_ERROR = "100";
    public static final String REQUIRED_FIELD_MISSING = "101";
    public static final String DATA_TYPE_ERROR = "102";
    public static final String TABLE_VALUE_NOT_FOUND = "103";
    public static final String UNSUPPORTED_MESSAGE_TYPE = "200";
    public static final String UNSUPPORTED_EVENT_CODE = "201";
    public static final String UNSUPPORTED_PROCESSING_ID = "202";
    public static final String UNSUPPORTED_VERSION_ID = "203";
    public static final String APPLICATION_INTERNAL_ERROR = "207";
}
