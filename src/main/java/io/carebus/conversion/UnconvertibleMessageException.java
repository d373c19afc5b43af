package io.carebus.conversion;

/**
 * The message cannot become a FHIR bundle (not HL7 v2, no mapping for its type, nothing convertible in it).
 * Nothing is sent on: the reason goes to the journal and the message to the dead letters.
 */
public class UnconvertibleMessageException extends RuntimeException {
    public UnconvertibleMessageException(String message) {
        super(message);
    }

    public UnconvertibleMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
