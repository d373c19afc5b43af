package io.carebus.x12.ack;

import java.util.ArrayList;
import java.util.List;

import io.carebus.x12.validate.ElementError;
import io.carebus.x12.validate.GroupResult;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.SegmentContext;
import io.carebus.x12.validate.SegmentError;
import io.carebus.x12.validate.TransactionResult;
import io.carebus.x12.write.InterchangeHeader;
import io.carebus.x12.write.X12Writer;

/**
 * Writes the answer to an inbound interchange: a TA1 (X12 5010 interchange acknowledgment) when the envelope is in
 * error or ISA14 asks for one, and a 999 (005010X231A1) per functional group with AK1, AK2 per transaction set,
 * IK3/CTX/IK4 per error, IK5 and AK9. An interchange whose envelope is in error gets the TA1 alone.
 */
public final class AcknowledgmentWriter {

    public static final String IMPLEMENTATION = "005010X231A1";

    /** Most IK4 per IK3 and IK3 per AK2 the 999 carries (X231A1 repeat limits: IK4 99, IK3 unbounded). */
    private static final int MAX_ELEMENT_ERRORS = 99;

    /**
     * @param header our ISA/GS for the answer (sender = Carebus, receiver = the inbound sender)
     * @return the acknowledgment interchange
     */
    public String write(InterchangeResult inbound, InterchangeHeader header) {
        X12Writer w = new X12Writer(header.delimiters(), true);
        w.raw(header.isa());
        boolean ta1 = inbound.envelopeError() || inbound.acknowledgmentRequested();
        if (ta1) {
            // X12 5010 TA1: ISA13, ISA09, ISA10 of the interchange acknowledged, TA104 A/E/R, TA105 note code
            w.segment("TA1", inbound.controlNumber(), inbound.date(), inbound.time(), inbound.ackCode(),
                    inbound.noteCode());
        }
        int groups = 0;
        if (!inbound.envelopeError() && !inbound.groups().isEmpty()) {
            groups = 1;
            w.segment("GS", "FA", header.applicationSender(), header.applicationReceiver(), header.gsDate(),
                    header.hhmm(), String.valueOf(header.groupControlNumber()), "X", IMPLEMENTATION);
            int st = 0;
            for (GroupResult group : inbound.groups()) {
                st++;
                functionalAck(w, group, header.transactionControl(st));
            }
            w.segment("GE", String.valueOf(st), String.valueOf(header.groupControlNumber()));
        }
        w.segment("IEA", String.valueOf(groups), header.interchangeControl());
        return w.toString();
    }

    /** One 999 transaction set for one functional group. */
    public void functionalAck(X12Writer w, GroupResult group, String controlNumber) {
        w.startTransaction();
        w.segment("ST", "999", controlNumber, IMPLEMENTATION);
        // AK1: GS01 functional identifier, GS06 group control number, GS08 version
        w.segment("AK1", group.functionalId(), group.controlNumber(), group.version());
        for (TransactionResult t : group.transactions()) {
            // AK2: ST01, ST02, ST03
            w.segment("AK2", t.transactionSet(), t.controlNumber(), t.implementationReference());
            for (SegmentError e : t.errors()) {
                // IK3: segment id, position in the transaction set, loop id, IK304 syntax error code
                w.segment("IK3", e.segmentId(), String.valueOf(e.position()), e.loopId(), e.code());
                if (e.trigger() != null) {
                    // 999 2100 CTX segment context: the segment and element whose value set off the situational
                    // requirement (CTX01 SITUATIONAL TRIGGER, CTX02..CTX04 segment, position, loop, CTX05, CTX06)
                    SegmentContext c = e.trigger();
                    w.segment("CTX", new String[] {SegmentContext.SITUATIONAL_TRIGGER}, c.segmentId(),
                            String.valueOf(c.position()), c.loopId(), String.valueOf(c.elementPosition()),
                            c.dataElement());
                }
                if (e.businessUnit() != null) {
                    // CTX business unit identifier, e.g. CLM01:<claim submitter's identifier>
                    int colon = e.businessUnit().indexOf(':');
                    w.segment("CTX", (Object) new String[] {e.businessUnit().substring(0, colon),
                            e.businessUnit().substring(colon + 1)});
                }
                int n = 0;
                for (ElementError x : e.elements()) {
                    if (++n > MAX_ELEMENT_ERRORS) {
                        break;
                    }
                    // IK4: C030 position (element:component:repetition), data element number, IK403, bad value
                    String[] position = x.repetition() > 0
                            ? new String[] {String.valueOf(x.position()), x.component() > 0
                            ? String.valueOf(x.component()) : "", String.valueOf(x.repetition())}
                            : new String[] {String.valueOf(x.position()),
                            x.component() > 0 ? String.valueOf(x.component()) : ""};
                    w.segment("IK4", position, x.dataElement(), x.code(), truncate(x.badValue()));
                }
            }
            List<Object> ik5 = new ArrayList<>();
            ik5.add(t.ackCode());
            t.syntaxCodes().stream().limit(5).forEach(ik5::add);
            w.segment("IK5", ik5.toArray());
        }
        List<Object> ak9 = new ArrayList<>();
        ak9.add(group.ackCode());
        ak9.add(String.valueOf(group.declaredCount() >= 0 ? group.declaredCount() : group.received()));
        ak9.add(String.valueOf(group.received()));
        ak9.add(String.valueOf(group.accepted()));
        group.codes().stream().limit(5).forEach(ak9::add);
        w.segment("AK9", ak9.toArray());
        w.segment("SE", String.valueOf(w.transactionSegments() + 1), controlNumber);
    }

    /** IK404 holds at most 99 characters. */
    private static String truncate(String value) {
        return value == null || value.length() <= 99 ? value : value.substring(0, 99);
    }
}
