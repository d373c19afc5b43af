package io.carebus.journal;

/** No journal row with that id. */
public class JournalEntryNotFoundException extends RuntimeException {
    public JournalEntryNotFoundException(long id) {
        super("No journal entry " + id);
    }
}
