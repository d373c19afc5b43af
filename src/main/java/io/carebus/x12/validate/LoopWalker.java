package io.carebus.x12.validate;

import java.util.List;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.LoopDef;
import io.carebus.x12.schema.Node;
import io.carebus.x12.schema.SegmentDef;
import io.carebus.x12.schema.TransactionSchema;
import io.carebus.x12.schema.Usage;

/**
 * Places each segment of one transaction set in the implementation guide's loop structure (SNIP 2): looks forward
 * in the current loop, then into nested loops, then up through the enclosing loops, the way an X12 loop-aware
 * parser does, and reports required segments and loops that were skipped, loops and segments used too often and
 * segments that fit nowhere (X12 5010 999 IK304 1, 2, 3, 4, 5).
 */
final class LoopWalker {

    private static final class Frame {
        LoopDef loop;
        int position;
        int[] counts;
        int instances;
    }

    private final TransactionSchema schema;
    private final X12Handler handler;
    private final Frame[] stack = new Frame[64];
    private int depth;

    LoopWalker(TransactionSchema schema, X12Handler handler) {
        this.schema = schema;
        this.handler = handler;
        for (int i = 0; i < stack.length; i++) {
            stack[i] = new Frame();
        }
        Frame root = stack[0];
        root.loop = schema.body();
        root.position = -1;
        root.counts = new int[root.loop.children().size()];
        root.instances = 1;
        depth = 0;
    }

    /** Loop id of the innermost open loop (IK303), null at the transaction header level. */
    String currentLoopId() {
        return depth == 0 ? null : stack[depth].loop.id();
    }

    /**
     * Places one segment and returns its definition, or null when it fits nowhere; structural errors go to
     * {@code errors}.
     */
    SegmentDef place(X12Segment segment, List<SegmentError> errors) {
        for (int pass = 0; pass < 2; pass++) {
            boolean strict = pass == 0;
            for (int d = depth; d >= 0; d--) {
                Frame f = stack[d];
                List<Node> children = f.loop.children();
                int from = Math.max(f.position, 0);
                for (int j = from; j < children.size(); j++) {
                    Node child = children.get(j);
                    boolean opensOwnLoop = d > 0 && j == 0;
                    if (child instanceof SegmentDef sd) {
                        if (opensOwnLoop || !sd.matches(segment, strict)) {
                            continue;
                        }
                        close(d, segment, errors);
                        skipped(f, j, segment, errors);
                        f.position = j;
                        f.counts[j]++;
                        if (f.counts[j] > sd.maxUse()) {
                            // X12 5010 999 IK304 5: segment exceeds maximum use
                            errors.add(new SegmentError(sd.id(), segment.positionInTransaction(), loopId(d), "5",
                                    List.of(), null, sd.id() + " used more than " + sd.maxUse() + " times"));
                        }
                        if (sd.usage() == Usage.NOT_USED) {
                            errors.add(new SegmentError(sd.id(), segment.positionInTransaction(), loopId(d), "I4",
                                    List.of(), null, sd.id() + " is not used in this implementation"));
                        }
                        return sd;
                    }
                    LoopDef loop = (LoopDef) child;
                    if (strict && loop.firstSegment().matches(segment, true)) {
                        close(d, segment, errors);
                        skipped(f, j, segment, errors);
                        f.position = j;
                        f.counts[j]++;
                        if (f.counts[j] > loop.maxRepeat()) {
                            // X12 5010 999 IK304 4: loop occurs over maximum times
                            errors.add(new SegmentError(segment.id(), segment.positionInTransaction(), loop.id(),
                                    "4", List.of(), null, "loop " + loop.id() + " occurs more than "
                                    + loop.maxRepeat() + " times"));
                        }
                        open(loop);
                        return loop.firstSegment();
                    }
                }
                if (strict && d == depth) {
                    SegmentDef reentered = reenterHierarchicalLoop(segment);
                    if (reentered != null) {
                        return reentered;
                    }
                }
            }
        }
        // X12 5010 999 IK304 2: unexpected segment (a segment of this transaction set out of place), 1: unrecognized
        String code = knows(schema.body(), segment) ? "2" : "1";
        errors.add(new SegmentError(segment.id(), segment.positionInTransaction(), currentLoopId(), code, List.of(),
                null, "segment " + segment.id() + " is not expected here"));
        return null;
    }

    /**
     * HL loops that a guide lists side by side (277: 2000A..2000E) follow the hierarchy, not the list order: a new HL
     * may open any HL loop of an enclosing level, also one listed before the current position.
     */
    private SegmentDef reenterHierarchicalLoop(X12Segment segment) {
        if (!segment.elementEquals(0, "HL")) {
            return null;
        }
        for (int d = depth; d >= 0; d--) {
            Frame f = stack[d];
            List<Node> children = f.loop.children();
            for (int j = 0; j < Math.max(f.position, 0); j++) {
                if (children.get(j) instanceof LoopDef loop && loop.firstSegment().matches(segment, true)) {
                    while (depth > d) {
                        handler.endLoop(stack[depth].loop);
                        depth--;
                    }
                    f.position = j;
                    f.counts[j]++;
                    open(loop);
                    return loop.firstSegment();
                }
            }
        }
        return null;
    }

    /** Closes every loop above depth {@code d}, reporting what they lacked. */
    private void close(int d, X12Segment next, List<SegmentError> errors) {
        while (depth > d) {
            Frame f = stack[depth];
            skipped(f, f.loop.children().size(), next, errors);
            handler.endLoop(f.loop);
            depth--;
        }
    }

    /** Closes all open loops at SE (or at the end of input). */
    void finish(X12Segment next, List<SegmentError> errors) {
        close(0, next, errors);
    }

    private void open(LoopDef loop) {
        depth++;
        if (depth == stack.length) {
            throw new io.carebus.x12.schema.X12SchemaException("Schema " + schema.name() + " nests loops deeper than "
                    + stack.length);
        }
        Frame f = stack[depth];
        f.loop = loop;
        f.position = 0;
        f.counts = new int[loop.children().size()];
        f.counts[0] = 1;
        handler.startLoop(loop);
    }

    /** Required children between the current position and {@code until} (exclusive) that never occurred. */
    private void skipped(Frame f, int until, X12Segment next, List<SegmentError> errors) {
        for (int k = Math.max(f.position, 0); k < until; k++) {
            if (f.counts[k] > 0 || k < f.position) {
                continue;
            }
            Node child = f.loop.children().get(k);
            if (child.usage() == Usage.REQUIRED) {
                String loopId = child instanceof LoopDef l ? l.id() : (f == stack[0] ? null : f.loop.id());
                // X12 5010 999 IK304 3: required segment missing (for a loop: its first segment)
                errors.add(new SegmentError(child.firstSegment().id(), next.positionInTransaction(), loopId, "3",
                        List.of(), null, (child instanceof LoopDef ? "required loop " + loopId
                        : "required segment " + child.firstSegment().id()) + " missing"));
            }
        }
    }

    private String loopId(int d) {
        return d == 0 ? null : stack[d].loop.id();
    }

    private static boolean knows(LoopDef loop, X12Segment segment) {
        for (Node child : loop.children()) {
            if (child instanceof SegmentDef sd && sd.matches(segment, false)) {
                return true;
            }
            if (child instanceof LoopDef l && knows(l, segment)) {
                return true;
            }
        }
        return false;
    }
}
