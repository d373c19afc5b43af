package io.carebus.x12.intake;

import java.time.Clock;
import java.time.LocalDateTime;

import io.carebus.x12.write.InterchangeHeader;

/** Interchange headers for what Carebus sends a partner, with fresh durable control numbers (ISA13, GS06, ST02). */
public class Envelopes {

    private final X12Identity identity;
    private final ControlNumbers numbers;
    private final Clock clock;

    public Envelopes(X12Identity identity, ControlNumbers numbers, Clock clock) {
        this.identity = identity;
        this.numbers = numbers;
        this.clock = clock;
    }

    public InterchangeHeader to(TradingPartner partner) {
        return to(partner.name(), partner.isaQualifier(), partner.isaId(), partner.gsId(), partner);
    }

    /** To whoever sent an interchange (ISA05 / ISA06 / GS02 of theirs), with the partner's delimiters when known. */
    public InterchangeHeader to(String partnerName, String qualifier, String isaId, String gsId,
                                TradingPartner partner) {
        return new InterchangeHeader(identity.isaQualifier(), identity.isaId(), qualifier, isaId, identity.gsId(),
                gsId, numbers.next(partnerName, ControlNumbers.Kind.INTERCHANGE),
                numbers.next(partnerName, ControlNumbers.Kind.GROUP), identity.production(), false,
                LocalDateTime.now(clock), partner == null ? io.carebus.x12.read.X12Delimiters.DEFAULT
                : partner.delimiters(), () -> numbers.next(partnerName, ControlNumbers.Kind.TRANSACTION));
    }
}
