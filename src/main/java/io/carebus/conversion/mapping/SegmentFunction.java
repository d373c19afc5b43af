package io.carebus.conversion.mapping;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;

/** Java for what a field rule cannot say (OBX-5 typed by OBX-2); named in mapping files as {@code call: name} (with {@code from}: the values found there). */
@FunctionalInterface
public interface SegmentFunction {
    void apply(ConversionContext ctx, Er7Segment segment, java.util.List<V2Value> values, Base target);
}
