package io.carebus.x12.tree;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.validate.TransactionResult;

/**
 * One transaction set read as a loop tree, with the envelope around it and its validation result.
 *
 * @param isa    the interchange header (ISA06 sender, ISA13 control number...)
 * @param gs     the functional group header (GS08 version...)
 * @param root   ST .. SE as a loop whose id is the schema name (or the transaction set id without a schema)
 */
public record X12Transaction(X12Segment isa, X12Segment gs, X12Loop root, TransactionResult result) {

    public String transactionSet() {
        return result.transactionSet();
    }

    public String controlNumber() {
        return result.controlNumber();
    }
}
