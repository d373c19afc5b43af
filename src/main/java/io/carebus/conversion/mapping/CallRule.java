package io.carebus.conversion.mapping;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;

/** {@code call: name}: a registered {@link SegmentFunction} on the whole segment. */
record CallRule(String name, SegmentFunction function, SourcePosition from) implements MappingRule {

    @Override
    public void apply(ConversionContext ctx, Er7Segment segment, V2Value value, Base target) {
        function.apply(ctx, segment, from == null ? java.util.List.of() : from.select(ctx, segment), target);
    }
}
