package io.carebus.x12.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.LoopDef;
import io.carebus.x12.schema.Node;
import io.carebus.x12.schema.TransactionSchema;
import io.carebus.x12.schema.Usage;

/**
 * The HL hierarchy of one transaction set (837, 270/271, 276/277, 278; an 835 has none). The TR3s say: HL01 begins
 * with 1 and is incremented by one for each HL in the transaction set; HL02 is the HL01 of the parent level, so it
 * refers to an earlier HL; and the level (HL03, which places the HL in its loop) sits under the level the guide puts
 * above it: the HL loop listed just before it, or, when that one is situational and absent, the one before that
 * (278: a patient event 2000E under the dependent 2000D or, without one, the subscriber 2000C).
 * Errors are reported as X12 5010 999 IK4 with IK403 I12 (implementation pattern match failure).
 */
final class HierarchyCheck {

    /** X12 5010 999 IK403 I12: implementation pattern match failure. */
    static final String PATTERN_FAILURE = "I12";

    /** HL loop id to the loop ids its parent may be in; a first-level loop maps to an empty set. */
    private final Map<String, Set<String>> allowedParents;
    /** HL01 to the loop that HL opened, in this transaction set. */
    private final Map<String, String> levels = new HashMap<>();
    private long last;
    /** The HL before the current one: its id, HL04, position and loop. */
    private String previousId;
    private String previousChildCode;
    private int previousPosition;
    private String previousLoop;

    private HierarchyCheck(Map<String, Set<String>> allowedParents) {
        this.allowedParents = allowedParents;
    }

    /** Allowed parents per guide, worked out once. */
    private static final Map<String, Map<String, Set<String>>> GUIDES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The check for one transaction set, null when its guide has no HL loops. */
    static HierarchyCheck forSchema(TransactionSchema schema) {
        Map<String, Set<String>> parents = GUIDES.computeIfAbsent(schema.name(), name -> allowedParents(schema));
        return parents.isEmpty() ? null : new HierarchyCheck(parents);
    }

    private static Map<String, Set<String>> allowedParents(TransactionSchema schema) {
        List<LoopDef> hlLoops = new ArrayList<>();
        collect(schema.body(), hlLoops);
        Map<String, Set<String>> parents = new HashMap<>();
        for (int i = 0; i < hlLoops.size(); i++) {
            Set<String> allowed = new HashSet<>();
            for (int j = i - 1; j >= 0; j--) {
                allowed.add(hlLoops.get(j).id());
                if (hlLoops.get(j).usage() == Usage.REQUIRED) {
                    break;
                }
            }
            parents.put(hlLoops.get(i).id(), allowed);
        }
        return parents;
    }

    private static void collect(LoopDef loop, List<LoopDef> out) {
        for (Node child : loop.children()) {
            if (child instanceof LoopDef l) {
                if ("HL".equals(l.firstSegment().id()) && out.stream().noneMatch(o -> o.id().equals(l.id()))) {
                    out.add(l);
                }
                collect(l, out);
            }
        }
    }

    /**
     * Checks one HL segment placed in {@code loopId}; element errors (999 IK4) go to {@code errors}.
     */
    void check(X12Segment hl, String loopId, List<ElementError> errors) {
        String id = hl.element(1);
        String parent = hl.element(2);
        long number = parse(id);
        // HL01 begins with 1 and is incremented by one for each HL: unique and increasing
        if (number != last + 1 || levels.containsKey(id)) {
            errors.add(new ElementError(1, 0, 0, "628", PATTERN_FAILURE, id));
        }
        if (number > last) {
            last = number;
        }
        Set<String> allowed = allowedParents.get(loopId);
        if (!parent.isEmpty()) {
            String parentLoop = levels.get(parent);
            if (parentLoop == null) {
                // HL02 must be the HL01 of an HL before this one
                errors.add(new ElementError(2, 0, 0, "734", PATTERN_FAILURE, parent));
            } else if (allowed != null && !allowed.contains(parentLoop)) {
                // HL03: this level cannot sit under the level of its parent
                errors.add(new ElementError(3, 0, 0, "735", PATTERN_FAILURE, hl.element(3)));
            }
        }
        if (!id.isEmpty() && !levels.containsKey(id)) {
            levels.put(id, loopId);
        }
    }

    /**
     * HL04 (hierarchical child code) is a situational trigger: 1 requires a subordinate HL right after it, 0 allows
     * none. A missing child is X12 5010 999 IK304 I6 (implementation dependent segment missing), a child that should
     * not be there I9 (implementation dependent "not used" segment present), each with the CTX segment context of
     * the HL whose HL04 set the requirement (999 2100 CTX, SITUATIONAL TRIGGER).
     */
    void childCode(X12Segment hl, String loopId, List<SegmentError> errors) {
        if (previousId != null) {
            boolean childOfPrevious = previousId.equals(hl.element(2));
            if ("1".equals(previousChildCode) && !childOfPrevious) {
                errors.add(new SegmentError("HL", hl.positionInTransaction(), previousLoop, "I6", List.of(), null,
                        "HL " + previousId + " announces a subordinate HL (HL04 1) that does not follow",
                        previousTrigger()));
            } else if ("0".equals(previousChildCode) && childOfPrevious) {
                errors.add(new SegmentError("HL", hl.positionInTransaction(), loopId, "I9", List.of(), null,
                        "HL " + previousId + " announces no subordinate HL (HL04 0) but has one",
                        previousTrigger()));
            }
        }
        skipChildCode(hl, loopId);
    }

    /** Takes this HL as the one before the next without judging the HL04 of the one before it. */
    void skipChildCode(X12Segment hl, String loopId) {
        previousId = hl.element(1);
        previousChildCode = hl.element(4);
        previousPosition = hl.positionInTransaction();
        previousLoop = loopId;
    }

    /** At SE: the last HL may not announce a subordinate HL. */
    void finish(X12Segment se, List<SegmentError> errors) {
        if (previousId != null && "1".equals(previousChildCode)) {
            errors.add(new SegmentError("HL", se.positionInTransaction(), previousLoop, "I6", List.of(), null,
                    "HL " + previousId + " announces a subordinate HL (HL04 1) that does not follow",
                    previousTrigger()));
        }
    }

    private SegmentContext previousTrigger() {
        return new SegmentContext("HL", previousPosition, previousLoop, 4, "736");
    }

    private static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
