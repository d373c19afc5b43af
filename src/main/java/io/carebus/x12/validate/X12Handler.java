package io.carebus.x12.validate;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.LoopDef;
import io.carebus.x12.schema.SegmentDef;
import io.carebus.x12.schema.TransactionSchema;

/**
 * Receives what the validator reads, in order, with the implementation-guide loop each segment belongs to. Segments
 * are views over the reader's buffer: {@link X12Segment#copy()} what must outlive the call.
 */
public interface X12Handler {

    default void startInterchange(X12Segment isa) {
    }

    default void startGroup(X12Segment gs) {
    }

    /** {@code schema} is null when Carebus has no schema for the transaction set. */
    default void startTransaction(X12Segment st, TransactionSchema schema) {
    }

    default void startLoop(LoopDef loop) {
    }

    /** A segment of a transaction set; {@code def} is null for a segment the schema does not place. */
    default void segment(X12Segment segment, SegmentDef def) {
    }

    default void endLoop(LoopDef loop) {
    }

    default void endTransaction(TransactionResult result) {
    }

    default void endGroup(GroupResult result) {
    }

    default void endInterchange(InterchangeResult result) {
    }

    X12Handler NONE = new X12Handler() {
    };
}
