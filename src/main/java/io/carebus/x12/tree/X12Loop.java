package io.carebus.x12.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.carebus.x12.read.X12Segment;

/**
 * One loop instance of a transaction set (2000A, 2300, 2400...; the transaction itself is the root), with its
 * segments and nested loops in the order they were read.
 */
public final class X12Loop {

    private final String id;
    private final List<Object> children = new ArrayList<>();

    public X12Loop(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    void add(Object child) {
        children.add(child);
    }

    /** Segments and loops in order: {@link X12Segment} or {@link X12Loop}. */
    public List<Object> children() {
        return children;
    }

    public List<X12Segment> segments(String segmentId) {
        List<X12Segment> out = new ArrayList<>();
        for (Object c : children) {
            if (c instanceof X12Segment s && s.id().equals(segmentId)) {
                out.add(s);
            }
        }
        return out;
    }

    public Optional<X12Segment> segment(String segmentId) {
        for (Object c : children) {
            if (c instanceof X12Segment s && s.id().equals(segmentId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The first segment with this id whose first element (the qualifier) is {@code qualifier}. */
    public Optional<X12Segment> segment(String segmentId, String qualifier) {
        for (Object c : children) {
            if (c instanceof X12Segment s && s.id().equals(segmentId) && s.element(1).equals(qualifier)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Element {@code n} of the first segment with this id, "" when absent. */
    public String value(String segmentId, int n) {
        return segment(segmentId).map(s -> s.element(n)).orElse("");
    }

    public List<X12Loop> loops(String loopId) {
        List<X12Loop> out = new ArrayList<>();
        for (Object c : children) {
            if (c instanceof X12Loop l && l.id.equals(loopId)) {
                out.add(l);
            }
        }
        return out;
    }

    public Optional<X12Loop> loop(String loopId) {
        return loops(loopId).stream().findFirst();
    }

    /** All loops with this id at any depth below this one, in document order. */
    public List<X12Loop> descendants(String loopId) {
        List<X12Loop> out = new ArrayList<>();
        collect(loopId, out);
        return out;
    }

    private void collect(String loopId, List<X12Loop> out) {
        for (Object c : children) {
            if (c instanceof X12Loop l) {
                if (l.id.equals(loopId)) {
                    out.add(l);
                }
                l.collect(loopId, out);
            }
        }
    }

    /** All segments of this loop and the loops below it, in document order. */
    public List<X12Segment> allSegments() {
        List<X12Segment> out = new ArrayList<>();
        for (Object c : children) {
            if (c instanceof X12Segment s) {
                out.add(s);
            } else {
                out.addAll(((X12Loop) c).allSegments());
            }
        }
        return out;
    }
}
