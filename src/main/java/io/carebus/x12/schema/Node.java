package io.carebus.x12.schema;

/** A child of a loop: a segment or a nested loop. */
public sealed interface Node permits SegmentDef, LoopDef {
    Usage usage();

    /** The segment that opens this node: the segment itself, or a loop's first segment. */
    SegmentDef firstSegment();
}
