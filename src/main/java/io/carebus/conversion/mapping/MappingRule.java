package io.carebus.conversion.mapping;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;

/** One compiled rule: reads from a segment (or from a value inside it) and writes into a FHIR element. */
public interface MappingRule {

    /** @param value the value the rule is relative to, or null at segment level */
    void apply(ConversionContext ctx, Er7Segment segment, V2Value value, Base target);
}
