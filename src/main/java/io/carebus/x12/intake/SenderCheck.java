package io.carebus.x12.intake;

import io.carebus.x12.validate.InterchangeResult;

/**
 * An interchange that arrives on a trading partner's drop box account must be that partner's: its ISA05/ISA06 are
 * the ones config/partners.yaml gives. Otherwise it is rejected with a TA1 and not processed.
 */
final class SenderCheck {

    /** X12 5010 TA1 TA105 005: Invalid Interchange ID Qualifier for Sender. */
    static final String INVALID_SENDER_QUALIFIER = "005";
    /** X12 5010 TA1 TA105 006: Invalid Interchange Sender ID. */
    static final String INVALID_SENDER_ID = "006";

    private SenderCheck() {
    }

    /** The interchange as answered: unchanged when its sender is the partner, else rejected with TA105 005/006. */
    static InterchangeResult check(TradingPartner partner, InterchangeResult r) {
        if (partner == null || r.envelopeError()) {
            return r;
        }
        String note = null;
        if (!partner.isaQualifier().equals(r.senderQualifier().trim())) {
            note = INVALID_SENDER_QUALIFIER;       // ISA05
        } else if (!partner.isaId().equals(r.senderId().trim())) {
            note = INVALID_SENDER_ID;              // ISA06 (space-padded to 15 in the ISA)
        }
        return note == null ? r : new InterchangeResult(r.senderQualifier(), r.senderId(), r.receiverQualifier(),
                r.receiverId(), r.date(), r.time(), r.controlNumber(), r.version(), r.acknowledgmentRequested(),
                r.usage(), r.repetitionSeparator(), r.componentSeparator(), note, r.groups());
    }
}
