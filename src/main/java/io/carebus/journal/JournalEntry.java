package io.carebus.journal;

import java.time.Instant;

/** One journal row's metadata (content is read separately, decrypted and audited). */
public record JournalEntry(
        long id,
        Instant receivedAt,
        String channel,
        String sender,
        String receiver,
        String messageType,
        String triggerEvent,
        String controlId,
        String version,
        String patientKey,
        String status,
        String error,
        int sizeBytes,
        Long replayOf,
        Instant updatedAt) {
}
