package io.carebus.x12.validate;

import java.util.List;

/**
 * The outcome for one interchange (ISA..IEA), as X12 5010 TA1 reports it, with its functional groups.
 *
 * @param noteCode TA105: 000 no error, 001 ISA13/IEA02 mismatch, 005..008 bad sender/receiver qualifiers or ids,
 *                 014 invalid date, 015 invalid time, 017 invalid version, 018 invalid control number,
 *                 019 invalid acknowledgment requested, 020 invalid test indicator, 021 IEA01 group count wrong,
 *                 022 invalid control structure, 023 premature end of file, 024 invalid interchange content
 */
public record InterchangeResult(String senderQualifier, String senderId, String receiverQualifier,
                                String receiverId, String date, String time, String controlNumber,
                                String version, boolean acknowledgmentRequested, String usage,
                                char repetitionSeparator, char componentSeparator, String noteCode,
                                List<GroupResult> groups) {

    /** TA104: A accepted, R rejected. */
    public String ackCode() {
        return "000".equals(noteCode) ? "A" : "R";
    }

    public boolean envelopeError() {
        return !"000".equals(noteCode);
    }
}
