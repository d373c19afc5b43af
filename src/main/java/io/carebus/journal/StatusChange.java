package io.carebus.journal;

import java.time.Instant;

/** A status change of one journal row. */
public record StatusChange(long messageId, Instant receivedAt, MessageStatus status, String error) {
}
