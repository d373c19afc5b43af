package io.carebus.journal;

/**
 * A journal row's content is missing or cannot be read: mostly content kept in a file under
 * carebus.journal.content-dir (the folder not mounted, the file removed, cut off or of an unknown format), or content
 * in the row of an unknown format. The message names the row and the file, never the content.
 */
public class JournalContentUnreadableException extends JournalContentException {

    private final long journalId;

    public JournalContentUnreadableException(long journalId, String reason, Throwable cause) {
        super("Content of journal entry " + journalId + " is unavailable: " + reason, cause);
        this.journalId = journalId;
    }

    public long journalId() {
        return journalId;
    }
}
