package io.carebus.conversion.mapping;

import java.util.ArrayList;
import java.util.List;

import io.carebus.conversion.er7.Er7Delimiters;
import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7Segment;

/**
 * Where a rule reads: in a segment mapping {@code 5}, {@code 5.1} or {@code 3.4.2} (PID-5, PID-5.1, PID-3.4.2:
 * every repetition of the field); in a datatype mapping {@code 1} or {@code 4.2} (component, subcomponent).
 * Written as in the v2-to-FHIR IG ("PID-5.1") or bare ("5.1").
 */
public final class SourcePosition {

    /** The trigger event (MSH-9.2, or EVN-1 for v2.3 messages without it). */
    private static final String EVENT = "EVENT";

    private final int[] indexes;
    /** Another segment of the message to read from (its first occurrence), or null for the current one. */
    private final String segmentName;
    private final boolean event;

    private SourcePosition(int[] indexes, String segmentName, boolean event) {
        this.indexes = indexes;
        this.segmentName = segmentName;
        this.event = event;
    }

    public static SourcePosition parse(Object spec) {
        String s = String.valueOf(spec).trim();
        if (EVENT.equals(s)) {
            return new SourcePosition(new int[] {1}, null, true);
        }
        String segmentName = null;
        int dash = s.indexOf('-');
        if (dash > 0 && Character.isLetter(s.charAt(0))) {
            segmentName = s.substring(0, dash);
            s = s.substring(dash + 1);
        }
        String[] parts = s.split("\\.");
        int[] indexes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                indexes[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new MappingException("Bad source position '" + spec + "' (expected like 5, 5.1 or PID-5.1)");
            }
        }
        return new SourcePosition(indexes, segmentName, false);
    }

    /**
     * Values at this position of a segment: one per repetition of the field. A position naming another
     * segment (ORC-2 in an OBR rule) reads the nearest such segment before this one, else the first after.
     */
    public List<V2Value> select(ConversionContext ctx, Er7Segment current) {
        Er7Delimiters d = ctx.delimiters();
        if (event) {
            String trigger = ctx.message().triggerEvent();
            return trigger.isEmpty() ? List.of() : List.of(new V2Value(trigger, V2Value.SUBCOMPONENT));
        }
        Er7Segment segment = current;
        if (segmentName != null && !segmentName.equals(current.name())) {
            segment = ctx.message().nearestBefore(segmentName, current.index());
            if (segment == null) {
                return List.of();
            }
        }
        String field = segment.field(indexes[0]);
        if (field.isEmpty()) {
            return List.of();
        }
        List<V2Value> out = new ArrayList<>(1);
        if (field.indexOf(d.repetition()) < 0 || "MSH".equals(segment.name()) && indexes[0] == 2) {
            add(out, new V2Value(field, V2Value.REPETITION), d);
        } else {
            int count = Er7Message.pieceCount(field, d.repetition());
            for (int r = 1; r <= count; r++) {
                add(out, new V2Value(Er7Message.piece(field, d.repetition(), r), V2Value.REPETITION), d);
            }
        }
        return out;
    }

    private void add(List<V2Value> out, V2Value repetition, Er7Delimiters d) {
        V2Value v = repetition;
        for (int i = 1; i < indexes.length; i++) {
            v = v.part(indexes[i], d);
        }
        if (!v.isEmpty()) {
            out.add(v);
        }
    }

    /** Names a segment (PID-3) or the trigger event: read from the message, not from the value at hand. */
    public boolean isAbsolute() {
        return segmentName != null || event;
    }

    /** The value at this position inside a composite value. */
    public V2Value within(V2Value value, Er7Delimiters d) {
        V2Value v = value;
        for (int index : indexes) {
            v = v.part(index, d);
        }
        return v;
    }
}
