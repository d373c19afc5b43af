package io.carebus.routing;

import java.util.regex.Pattern;

/**
 * A downstream system's acknowledgement of a message we sent, judged by its MSA segment: MSA-2 first (an ACK for
 * another message is no answer to ours, whatever its code), then MSA-1.
 */
final class DownstreamAck {

    private DownstreamAck() {
    }

    /**
     * The failure this acknowledgement stands for, or null when it accepts the message whose MSH-10 was
     * {@code sentControlId}. An AE/AR/CE/CR names the ACK's error codes ({@link AckErrorDetails}), never its free
     * text, which it carries apart only when {@code keepFreeText} (the destination's {@code ack-error-text}).
     */
    static RuntimeException failure(String ack, String sentControlId) {
        return failure(ack, sentControlId, false);
    }

    static RuntimeException failure(String ack, String sentControlId, boolean keepFreeText) {
        if (ack == null || ack.isEmpty()) {
            return new AckErrorException("No acknowledgement received");
        }
        String[] msa = msa(ack);
        if (msa == null) {
            return new AckErrorException("The acknowledgement has no MSA segment");
        }
        String code = msa.length > 1 ? msa[1] : "";
        String acked = msa.length > 2 ? msa[2] : "";
        // HL7 v2.5.1 2.15.8.2 MSA-2 message control ID: the MSH-10 of the message being acknowledged
        if (!acked.equals(sentControlId)) {
            return new AckMismatchException("MSA-2 '" + acked + "' does not match the MSH-10 sent '" + sentControlId
                    + "' (MSA-1 " + safeCode(code) + ")");
        }
        if (code.equals("AA") || code.equals("CA")) {
            return null;
        }
        AckErrorDetails details = AckErrorDetails.of(ack);
        String why = details.codes().isEmpty() ? "" : ": " + details.codes();
        String freeText = keepFreeText ? details.freeText() : "";
        // HL7 v2.5.1 table 0008: 2.9.2 original mode AA/AE/AR, 2.9.3 enhanced mode (accept level) CA/CE/CR
        return switch (code) {
            case "AR" -> new AckRejectedException("Destination rejected the message (AR, application reject)" + why,
                    freeText);
            case "CR" -> new AckRejectedException("Destination rejected the message (CR, commit reject)" + why,
                    freeText);
            default -> new AckErrorException("Destination answered " + safeCode(code) + why, freeText);
        };
    }

    /** MSA-1 as it came when it is a code; anything else is not repeated (it might be any text). */
    private static String safeCode(String code) {
        return code.matches("[A-Za-z]{1,2}") ? code : "an MSA-1 that is not an acknowledgment code";
    }

    /** MSA-2 of an acknowledgement: the MSH-10 it answers; null when it has no MSA segment. */
    static String acknowledgedControlId(String ack) {
        String[] msa = ack == null ? null : msa(ack);
        return msa == null ? null : msa.length > 2 ? msa[2] : "";
    }

    /** Fields of the MSA segment, split on the ACK's own field separator (MSH-1). */
    private static String[] msa(String ack) {
        if (ack.length() < 4 || !ack.startsWith("MSH")) {
            return null;
        }
        char fs = ack.charAt(3);
        for (String segment : ack.split("[\r\n]+")) {
            if (segment.startsWith("MSA" + fs)) {
                return segment.split(Pattern.quote(String.valueOf(fs)), -1);
            }
        }
        return null;
    }
}
