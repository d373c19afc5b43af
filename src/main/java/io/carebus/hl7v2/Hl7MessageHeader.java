package io.carebus.hl7v2;

import java.nio.charset.Charset;

/**
 * What Carebus reads of a message before storing it: the MSH fields and the patient identifier.
 *
 * @param encodingCharacters MSH-2
 * @param sendingApplication MSH-3, the whole HD (HL7 v2.5 §2.A.33) in the message's own delimiters, trailing empty
 *                           components dropped
 * @param sendingFacility    MSH-4, as MSH-3
 * @param receivingApplication MSH-5, as MSH-3
 * @param receivingFacility  MSH-6, as MSH-3
 * @param messageCode        MSH-9.1
 * @param triggerEvent       MSH-9.2
 * @param controlId          MSH-10
 * @param processingId       MSH-11.1
 * @param version            MSH-12.1
 * @param acceptAckType      MSH-15 (enhanced mode when valued)
 * @param applicationAckType MSH-16
 * @param charset            MSH-18 resolved, or the configured default or fallback
 * @param patientId          PID-3.1 of the first repetition, empty when there is no PID
 * @param patientAuthority   PID-3.4.1 of the first repetition
 * @param hasPid             whether a PID segment is present
 */
public record Hl7MessageHeader(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageCode,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        String acceptAckType,
        String applicationAckType,
        Charset charset,
        String patientId,
        String patientAuthority,
        boolean hasPid) {

    /**
     * Sender key for duplicate detection, routing and the journal: MSH-3^MSH-4 when each names a namespace id alone
     * (LAB^NORTH), else MSH-3|MSH-4 with each whole HD, components joined with '^' (^1.2.3^ISO|NORTH), so that
     * senders told apart only by their universal id (HD.2) keep apart and the two fields cannot run into each other.
     */
    public String sender() {
        return hdPair(sendingApplication, sendingFacility, encodingCharacters.charAt(0));
    }

    /** Receiver: MSH-5 and MSH-6, in the form of {@link #sender()}. */
    public String receiver() {
        return hdPair(receivingApplication, receivingFacility, encodingCharacters.charAt(0));
    }

    /**
     * The key of {@link #sender()} from two HD fields as they stand in the message (the converter keys its
     * per-sender mappings and Provenance ids the same way).
     */
    public static String hdPair(String application, String facility, char componentSep) {
        String app = withoutTrailingEmpty(application, componentSep).replace(componentSep, '^');
        String fac = withoutTrailingEmpty(facility, componentSep).replace(componentSep, '^');
        return app.indexOf('^') < 0 && fac.indexOf('^') < 0 ? app + "^" + fac : app + "|" + fac;
    }

    /** LAB^^ is LAB: trailing empty components say nothing. */
    static String withoutTrailingEmpty(String hd, char componentSep) {
        int end = hd.length();
        while (end > 0 && hd.charAt(end - 1) == componentSep) {
            end--;
        }
        return hd.substring(0, end);
    }

    /** Enhanced acknowledgement mode (HL7 v2 chapter 2): MSH-15 or MSH-16 valued. */
    public boolean enhancedMode() {
        return !acceptAckType.isEmpty() || !applicationAckType.isEmpty();
    }
}
