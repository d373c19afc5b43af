package io.carebus.x12.tree;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.LoopDef;
import io.carebus.x12.schema.SegmentDef;
import io.carebus.x12.schema.TransactionSchema;
import io.carebus.x12.validate.TransactionResult;
import io.carebus.x12.validate.X12Handler;

/**
 * Builds a loop tree per transaction set while the validator reads, and hands each finished transaction to a
 * consumer: memory holds one transaction set at a time, whatever the size of the file.
 */
public final class X12TreeBuilder implements X12Handler {

    private final Consumer<X12Transaction> consumer;
    private final Consumer<X12Segment> interchangeAcknowledgments;
    private final Deque<X12Loop> stack = new ArrayDeque<>();
    private X12Segment isa;
    private X12Segment gs;

    public X12TreeBuilder(Consumer<X12Transaction> consumer) {
        this(consumer, ta1 -> { });
    }

    /** @param interchangeAcknowledgments receives each TA1 found between ISA and GS (copies) */
    public X12TreeBuilder(Consumer<X12Transaction> consumer, Consumer<X12Segment> interchangeAcknowledgments) {
        this.consumer = consumer;
        this.interchangeAcknowledgments = interchangeAcknowledgments;
    }

    @Override
    public void startInterchange(X12Segment isa) {
        this.isa = isa.copy();
    }

    @Override
    public void startGroup(X12Segment gs) {
        this.gs = gs.copy();
    }

    @Override
    public void startTransaction(X12Segment st, TransactionSchema schema) {
        stack.clear();
        stack.push(new X12Loop(schema == null ? st.element(1) : schema.name()));
    }

    @Override
    public void startLoop(LoopDef loop) {
        X12Loop child = new X12Loop(loop.id());
        stack.peek().add(child);
        stack.push(child);
    }

    @Override
    public void endLoop(LoopDef loop) {
        if (stack.size() > 1) {
            stack.pop();
        }
    }

    @Override
    public void segment(X12Segment segment, SegmentDef def) {
        if (stack.isEmpty() && segment.elementEquals(0, "TA1")) {
            interchangeAcknowledgments.accept(segment.copy());
        } else if (!stack.isEmpty()) {
            stack.peek().add(segment.copy());
        }
    }

    @Override
    public void endTransaction(TransactionResult result) {
        if (stack.isEmpty()) {
            return;
        }
        X12Loop root = stack.getLast();
        stack.clear();
        consumer.accept(new X12Transaction(isa, gs, root, result));
    }
}
