package io.carebus.x12.write;

/**
 * Who submits: 837 1000A / 276 2100B (NM1*41, NM109 the submitter id the receiver assigned, PER contact) and the
 * receiver named in 837 1000B (NM1*40).
 */
public record Submitter(String name, String id, String contactName, String contactPhone, String receiverName,
                        String receiverId) {
}
