package io.carebus.journal;

/** Journal content kept on disk cannot be written, found or decrypted. */
public class JournalContentException extends RuntimeException {

    public JournalContentException(String message) {
        super(message);
    }

    public JournalContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
