package io.carebus.journal;

/** A journal row that must not be replayed, such as one refused at intake (its sender was answered AR or AE). */
public class JournalReplayRefusedException extends RuntimeException {
    public JournalReplayRefusedException(String message) {
        super(message);
    }
}
