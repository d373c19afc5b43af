package io.carebus.conversion.mapping;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;

/** Makes one FHIR value from one v2 value (null: nothing to set). Compiled from a rule's {@code as}/{@code table}. */
@FunctionalInterface
public interface ValueBuilder {
    Base build(ConversionContext ctx, Er7Segment segment, V2Value value);
}
