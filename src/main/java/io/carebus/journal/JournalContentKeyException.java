package io.carebus.journal;

/**
 * No configured content key opens journal content: it was sealed with a key that is no longer configured (not
 * the current key nor one of the previous keys), or it was altered.
 */
public class JournalContentKeyException extends JournalContentException {

    static final String KEYS = "CAREBUS_JOURNAL_KEY, CAREBUS_JOURNAL_PREVIOUS_KEYS";

    public JournalContentKeyException(String message) {
        super(message);
    }
}
