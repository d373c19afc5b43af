package io.carebus.hl7v2;

import java.nio.charset.Charset;

/**
 * What Carebus reads of a message before storing it: the MSH fields and the patient identifier.
 *
 * @param encodingCharacters MSH-2
 * @param sendingApplication MSH-3.1
 * @param sendingFacility    MSH-4.1
 * @param receivingApplication MSH-5.1
 * @param receivingFacility  MSH-6.1
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

    /** Sender key for duplicate detection and routing: MSH-3^MSH-4. */
    public String sender() {
        return sendingApplication + "^" + sendingFacility;
    }

    /** Receiver: MSH-5^MSH-6. */
    public String receiver() {
        return receivingApplication + "^" + receivingFacility;
    }

    /** Enhanced acknowledgement mode (HL7 v2 chapter 2): MSH-15 or MSH-16 valued. */
    public boolean enhancedMode() {
        return !acceptAckType.isEmpty() || !applicationAckType.isEmpty();
    }
}
