package io.carebus.x12.write;

import java.util.List;
import java.util.function.BiConsumer;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;

/** Wraps transaction sets in the X12 5010 envelope (ISA/GS ... GE/IEA), and writes loop trees back as X12. */
public final class Interchanges {

    private Interchanges() {
    }

    /**
     * One interchange with one functional group.
     *
     * @param functionalId GS01 (HC claims, HS eligibility inquiry, HR claim status inquiry, HI services review)
     * @param version      GS08 implementation reference (e.g. 005010X222A1)
     * @param transactions writers of ST..SE, each given the writer and its ST02
     */
    public static String write(InterchangeHeader header, String functionalId, String version,
                               List<BiConsumer<X12Writer, String>> transactions) {
        X12Writer w = new X12Writer(header.delimiters(), true);
        w.raw(header.isa());
        w.segment("GS", functionalId, header.applicationSender(), header.applicationReceiver(), header.gsDate(),
                header.hhmm(), String.valueOf(header.groupControlNumber()), "X", version);
        int st = 0;
        for (BiConsumer<X12Writer, String> transaction : transactions) {
            st++;
            String control = header.transactionControl(st);
            w.startTransaction();
            transaction.accept(w, control);
        }
        w.segment("GE", String.valueOf(st), String.valueOf(header.groupControlNumber()));
        w.segment("IEA", "1", header.interchangeControl());
        return w.toString();
    }

    /** Writes the segments of a loop tree back as read (element for element), for round trips and splits. */
    public static void writeTree(X12Loop loop, StringBuilder out, char segmentTerminator) {
        for (X12Segment s : loop.allSegments()) {
            out.append(s).append(segmentTerminator);
        }
    }
}
