package io.carebus.journal;

import java.time.Instant;

/** Journal search criteria; null fields do not constrain. {@code patientKey} is the hashed identifier. */
public record JournalSearch(
        String channel,
        String messageType,
        String triggerEvent,
        String controlId,
        String status,
        String patientKey,
        Instant from,
        Instant to,
        int limit) {
}
