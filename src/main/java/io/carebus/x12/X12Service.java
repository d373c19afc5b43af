package io.carebus.x12;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.carebus.x12.ack.AcknowledgmentWriter;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.tree.X12Transaction;
import io.carebus.x12.tree.X12TreeBuilder;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.X12Validator;
import io.carebus.x12.write.InterchangeHeader;

/**
 * X12 5010 as the rest of the engine uses it: validate a file (SNIP 1-3) and answer it (TA1 / 999), or read it into
 * loop trees one transaction set at a time. Plain Java; the routes and the REST API call it.
 */
public class X12Service {

    private final SchemaRegistry schemas;
    private final X12Validator validator;
    private final AcknowledgmentWriter acknowledgments = new AcknowledgmentWriter();

    public X12Service(SchemaRegistry schemas) {
        this.schemas = schemas;
        this.validator = new X12Validator(schemas);
    }

    public SchemaRegistry schemas() {
        return schemas;
    }

    public List<InterchangeResult> validate(InputStream in) {
        return validator.validate(in);
    }

    /** Validates and hands every transaction set, as a loop tree, to {@code consumer} as soon as it is read. */
    public List<InterchangeResult> read(InputStream in, Consumer<X12Transaction> consumer) {
        return validator.validate(in, new X12TreeBuilder(consumer));
    }

    /** As {@link #read(InputStream, Consumer)}, with the TA1 segments found between ISA and GS. */
    public List<InterchangeResult> read(InputStream in, Consumer<X12Transaction> consumer,
                                        Consumer<io.carebus.x12.read.X12Segment> interchangeAcknowledgments) {
        return validator.validate(in, new X12TreeBuilder(consumer, interchangeAcknowledgments));
    }

    /** Reads a small input entirely. */
    public List<X12Transaction> readAll(InputStream in) {
        List<X12Transaction> out = new ArrayList<>();
        read(in, out::add);
        return out;
    }

    /** The TA1 and/or 999 for one inbound interchange. */
    public String acknowledge(InterchangeResult inbound, InterchangeHeader header) {
        return acknowledgments.write(inbound, header);
    }
}
