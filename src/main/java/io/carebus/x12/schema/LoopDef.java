package io.carebus.x12.schema;

import java.util.List;

/** A loop of the implementation guide (2000A, 2300, 2400...): its usage, maximum repeat and body in order. */
public record LoopDef(String id, String name, Usage usage, int maxRepeat, List<Node> children) implements Node {

    @Override
    public SegmentDef firstSegment() {
        return children.get(0).firstSegment();
    }
}
