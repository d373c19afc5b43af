package io.carebus.x12.validate;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.carebus.x12.read.X12EnvelopeException;
import io.carebus.x12.read.X12Reader;
import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.schema.SegmentDef;
import io.carebus.x12.schema.TransactionSchema;

/**
 * Reads X12 5010 interchanges as a stream and checks them the way a clearinghouse does: the envelope (ISA/IEA,
 * GS/GE, ST/SE counts and control numbers; TA1 and 999 AK9 material), SNIP 1-2 against the implementation-guide
 * schema of each transaction set (loops, segments, elements, usage, repeats, lengths, codes) and SNIP 3 balancing
 * for 837 and 835. Results come back per interchange; every segment also goes to an {@link X12Handler} with its loop.
 * One instance may be shared; each call keeps its own state.
 */
public final class X12Validator {

    /** Error detail kept per transaction set; beyond it errors are counted, not listed. */
    public static final int MAX_ERRORS_PER_TRANSACTION = 100;

    private static final Set<String> ID_QUALIFIERS = Set.of("01", "14", "20", "27", "28", "29", "30", "33", "ZZ");

    private final SchemaRegistry schemas;
    private final boolean retainTransactions;

    public X12Validator(SchemaRegistry schemas) {
        this(schemas, true);
    }

    /** @param retainTransactions false to keep only counts per group (very large files), true for a full 999 */
    public X12Validator(SchemaRegistry schemas, boolean retainTransactions) {
        this.schemas = schemas;
        this.retainTransactions = retainTransactions;
    }

    public List<InterchangeResult> validate(InputStream in) {
        return validate(in, X12Handler.NONE);
    }

    public List<InterchangeResult> validate(InputStream in, X12Handler handler) {
        Run run = new Run(handler);
        X12Reader reader = new X12Reader(in);
        try {
            X12Segment segment;
            while ((segment = reader.next()) != null) {
                run.segment(segment);
            }
        } catch (X12EnvelopeException e) {
            run.envelopeFailure(e.noteCode());
        }
        run.end();
        return run.interchanges;
    }

    /** State of one validation call. */
    private final class Run {
        final X12Handler handler;
        final List<InterchangeResult> interchanges = new ArrayList<>();

        // interchange
        String[] isa;
        String noteCode;
        int groupCount;
        List<GroupResult> groups;
        char repetition;
        char component;

        // group
        String[] gs;
        int transactionsReceived;
        int transactionsAccepted;
        List<TransactionResult> transactions;

        // transaction
        String[] st;
        TransactionSchema schema;
        LoopWalker walker;
        BalancingCheck balancing;
        HierarchyCheck hierarchy;
        List<SegmentError> errors;
        int errorCount;
        int segmentCount;
        String businessUnit;
        final List<ElementError> elementErrors = new ArrayList<>();

        Run(X12Handler handler) {
            this.handler = handler;
        }

        void segment(X12Segment s) {
            switch (s.id()) {
                case "ISA" -> startInterchange(s);
                case "IEA" -> endInterchange(s);
                case "GS" -> startGroup(s);
                case "GE" -> endGroup(s);
                case "ST" -> startTransaction(s);
                case "SE" -> endTransaction(s);
                case "TA1" -> interchangeAck(s);
                default -> body(s);
            }
        }

        /** X12 5010 TA1 between ISA and GS: an interchange acknowledgment, not a functional group. */
        void interchangeAck(X12Segment s) {
            if (isa == null || gs != null) {
                note("024");
                return;
            }
            handler.segment(s, null);
        }

        void envelopeFailure(String code) {
            if (isa == null) {
                isa = new String[17];
                java.util.Arrays.fill(isa, "");
                isa[13] = "000000000";
                groups = new ArrayList<>();
                repetition = '^';
                component = ':';
            }
            note(code);
        }

        void end() {
            if (st != null) {
                finishTransaction(null, "2");
            }
            if (gs != null) {
                finishGroup(null);
            }
            if (isa != null) {
                note("023");
                finishInterchange(null);
            }
        }

        private void note(String code) {
            if (noteCode == null || "000".equals(noteCode)) {
                noteCode = code;
            }
        }

        // ---- interchange: X12 5010 ISA / IEA, TA1

        void startInterchange(X12Segment s) {
            if (isa != null) {
                end();
            }
            isa = s.toArray();
            noteCode = "000";
            groupCount = 0;
            groups = new ArrayList<>();
            repetition = s.delimiters().repetition();
            component = s.delimiters().component();
            if (!isa[1].equals("00") && !isa[1].equals("03")) {
                note("010");
            } else if (!isa[3].equals("00") && !isa[3].equals("01")) {
                note("012");
            } else if (!ID_QUALIFIERS.contains(isa[5])) {
                note("005");
            } else if (isa[6].isBlank()) {
                note("006");
            } else if (!ID_QUALIFIERS.contains(isa[7])) {
                note("007");
            } else if (isa[8].isBlank()) {
                note("008");
            } else if (!ElementChecker.validDate(bytes(isa[9]), 0, isa[9].length()) || isa[9].length() != 6) {
                note("014");
            } else if (isa[10].length() != 4 || !ElementChecker.validTime(bytes(isa[10]), 0, 4)) {
                note("015");
            } else if (!isa[12].equals("00501")) {
                note("017");
            } else if (!isa[13].matches("\\d{9}")) {
                note("018");
            } else if (!isa[14].equals("0") && !isa[14].equals("1")) {
                note("019");
            } else if (!isa[15].equals("P") && !isa[15].equals("T")) {
                note("020");
            }
            handler.startInterchange(s);
        }

        void endInterchange(X12Segment s) {
            if (isa == null) {
                envelopeFailure("022");
                return;
            }
            if (st != null) {
                finishTransaction(null, "2");
            }
            if (gs != null) {
                finishGroup(null);
            }
            finishInterchange(s);
        }

        private void finishInterchange(X12Segment iea) {
            if (iea != null) {
                if (!iea.element(2).equals(isa[13])) {
                    note("001");
                } else if (!iea.element(1).equals(String.valueOf(groupCount))) {
                    note("021");
                }
            }
            InterchangeResult result = new InterchangeResult(isa[5], isa[6].trim(), isa[7], isa[8].trim(), isa[9],
                    isa[10], isa[13], isa[12], "1".equals(isa[14]), isa[15], repetition, component, noteCode,
                    List.copyOf(groups));
            interchanges.add(result);
            handler.endInterchange(result);
            isa = null;
        }

        // ---- functional group: X12 5010 GS / GE, 999 AK1 / AK9

        void startGroup(X12Segment s) {
            if (isa == null) {
                envelopeFailure("022");
                return;
            }
            if (st != null) {
                finishTransaction(null, "2");
            }
            if (gs != null) {
                finishGroup(null);
            }
            groupCount++;
            gs = s.toArray();
            transactionsReceived = 0;
            transactionsAccepted = 0;
            transactions = new ArrayList<>();
            handler.startGroup(s);
        }

        void endGroup(X12Segment s) {
            if (gs == null) {
                note("024");
                return;
            }
            if (st != null) {
                finishTransaction(null, "2");
            }
            finishGroup(s);
        }

        private void finishGroup(X12Segment ge) {
            List<String> codes = new ArrayList<>();
            int declared = -1;
            if (ge == null) {
                codes.add("3"); // AK905 3: functional group trailer missing
            } else {
                if (!ge.element(2).equals(gs[6])) {
                    codes.add("4"); // AK905 4: GS06 and GE02 do not match
                }
                try {
                    declared = Integer.parseInt(ge.element(1));
                } catch (NumberFormatException e) {
                    declared = -1;
                }
                if (declared != transactionsReceived) {
                    codes.add("5"); // AK905 5: number of included transaction sets does not match actual count
                }
            }
            String ack;
            if (!codes.isEmpty() || transactionsAccepted == 0) {
                ack = "R";
            } else if (transactionsAccepted < transactionsReceived) {
                ack = "P";
            } else {
                ack = "A";
            }
            GroupResult result = new GroupResult(gs[1], gs[6], element(gs, 8), gs[2], gs[3], declared,
                    transactionsReceived, transactionsAccepted, ack, List.copyOf(codes),
                    retainTransactions ? List.copyOf(transactions) : List.of());
            groups.add(result);
            handler.endGroup(result);
            gs = null;
        }

        // ---- transaction set: X12 5010 ST / SE, 999 AK2 / IK3 / IK4 / IK5

        void startTransaction(X12Segment s) {
            if (gs == null) {
                note("024");
                return;
            }
            if (st != null) {
                finishTransaction(null, "2");
            }
            st = s.toArray();
            transactionsReceived++;
            segmentCount = 1;
            s.positionInTransaction(1);
            errors = new ArrayList<>();
            errorCount = 0;
            businessUnit = null;
            String reference = element(st, 3).isEmpty() ? element(gs, 8) : element(st, 3);
            schema = schemas.find(element(st, 1), reference).orElse(null);
            balancing = schema == null ? null : BalancingCheck.forTransactionSet(schema.transactionSet());
            hierarchy = schema == null ? null : HierarchyCheck.forSchema(schema);
            handler.startTransaction(s, schema);
            if (schema != null) {
                walker = new LoopWalker(schema, handler);
                place(s);
            } else {
                handler.segment(s, null);
            }
        }

        void body(X12Segment s) {
            if (st == null) {
                note("024");
                return;
            }
            segmentCount++;
            s.positionInTransaction(segmentCount);
            if (schema == null) {
                handler.segment(s, null);
                return;
            }
            place(s);
        }

        private void place(X12Segment s) {
            List<SegmentError> sink = errorCount < MAX_ERRORS_PER_TRANSACTION ? errors : new ArrayList<>();
            int before = sink.size();
            SegmentDef def = walker.place(s, sink);
            if (def != null) {
                trackBusinessUnit(s);
                elementErrors.clear();
                ElementChecker.check(s, def, elementErrors);
                if (hierarchy != null && s.elementEquals(0, "HL")) {
                    int found = elementErrors.size();
                    hierarchy.check(s, walker.currentLoopId(), elementErrors);
                    if (elementErrors.size() == found) {
                        // HL04 of the HL before is judged only when this HL's place in the hierarchy is sound
                        hierarchy.childCode(s, walker.currentLoopId(), sink);
                    } else {
                        hierarchy.skipChildCode(s, walker.currentLoopId());
                    }
                }
                if (!elementErrors.isEmpty()) {
                    // X12 5010 999 IK304 8: segment has data element errors
                    sink.add(new SegmentError(s.id(), s.positionInTransaction(), walker.currentLoopId(), "8",
                            List.copyOf(elementErrors), null, null));
                }
            }
            if (balancing != null) {
                balancing.segment(s, walker.currentLoopId(), sink);
            }
            withBusinessUnit(sink, before);
            errorCount += sink.size() - before;
            handler.segment(s, def);
        }

        /** 999 2100 CTX: the claim (837 CLM01) an error sits in. */
        private void trackBusinessUnit(X12Segment s) {
            if (s.elementEquals(0, "CLM")) {
                businessUnit = "CLM01:" + s.element(1);
            } else if (s.elementEquals(0, "HL")) {
                businessUnit = null;
            }
        }

        private void withBusinessUnit(List<SegmentError> sink, int from) {
            if (businessUnit == null) {
                return;
            }
            for (int i = from; i < sink.size(); i++) {
                SegmentError e = sink.get(i);
                if (e.businessUnit() == null) {
                    sink.set(i, new SegmentError(e.segmentId(), e.position(), e.loopId(), e.code(), e.elements(),
                            businessUnit, e.detail(), e.trigger()));
                }
            }
        }

        void endTransaction(X12Segment s) {
            if (st == null) {
                note("024");
                return;
            }
            segmentCount++;
            s.positionInTransaction(segmentCount);
            if (schema != null) {
                // SE is checked as the envelope (count, control number); it closes every open loop.
                walker.finish(s, errorCount < MAX_ERRORS_PER_TRANSACTION ? errors : new ArrayList<>());
                if (hierarchy != null) {
                    hierarchy.finish(s, errorCount < MAX_ERRORS_PER_TRANSACTION ? errors : new ArrayList<>());
                }
            }
            handler.segment(s, null);
            finishTransaction(s, null);
        }

        private void finishTransaction(X12Segment se, String trailerCode) {
            if (balancing != null) {
                balancing.finish(errors);
            }
            List<String> codes = new ArrayList<>();
            if (schema == null) {
                codes.add("1"); // IK502 1: transaction set not supported
            }
            if (trailerCode != null) {
                codes.add(trailerCode); // IK502 2: transaction set trailer missing
            }
            if (se != null) {
                if (!se.element(2).equals(st[2])) {
                    codes.add("3"); // IK502 3: ST02 and SE02 do not match
                }
                if (!se.element(1).equals(String.valueOf(segmentCount))) {
                    codes.add("4"); // IK502 4: number of included segments does not match actual count
                }
            }
            if (element(st, 2).length() < 4 || element(st, 2).length() > 9) {
                codes.add("7"); // IK502 7: missing or invalid transaction set control number
            }
            if (!errors.isEmpty() || errorCount > 0) {
                codes.add("5"); // IK502 5: one or more segments in error
            }
            String ack = codes.isEmpty() ? "A" : "R";
            if (ack.equals("A")) {
                transactionsAccepted++;
            }
            // kept per transaction set for the 999 (AK2 / IK5): the ids every set repeats are shared, not copied
            TransactionResult result = new TransactionResult(st[1].intern(), st[2], element(st, 3).intern(),
                    schema == null ? null : schema.name(), segmentCount, ack, List.copyOf(codes), List.copyOf(errors));
            if (retainTransactions) {
                transactions.add(result);
            }
            handler.endTransaction(result);
            st = null;
            schema = null;
            walker = null;
        }
    }

    private static String element(String[] elements, int n) {
        return n < elements.length ? elements[n] : "";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
