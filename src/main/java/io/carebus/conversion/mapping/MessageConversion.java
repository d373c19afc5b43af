package io.carebus.conversion.mapping;

import java.util.List;

import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Walks a message's segments through its {@link MessageMapping}: each mapped segment becomes a resource (linked
 * from its parent's resource) or is folded into the latest one; Z-segments are kept whole as an extension on
 * the latest resource; other unknown segments are skipped.
 */
public final class MessageConversion {

    /** Extension (under the configured base) holding a Z-segment as sent. */
    public static final String Z_SEGMENT_EXTENSION = "hl7v2-z-segment";

    private MessageConversion() {
    }

    public static ConversionContext run(Er7Message message, MessageMapping mapping, MappingSet mappings,
                                        ConversionSettings settings) {
        ConversionContext ctx = new ConversionContext(message, mappings, settings);
        List<Er7Segment> segments = message.segments();
        for (int i = 0; i < segments.size(); i++) {
            Er7Segment segment = segments.get(i);
            MessageMapping.SegmentEntry entry = mapping.segments().get(segment.name());
            if (entry == null) {
                if (segment.isZSegment()) {
                    keepZSegment(ctx, segment, settings);
                }
                continue;
            }
            if (entry.into() != null) {
                ConvertedEntry target = entry.intoTarget() == null ? ctx.latest() : ctx.latestFrom(entry.intoTarget());
                List<MappingRule> rules = target == null ? null
                        : mappings.intoRules(target.resource().fhirType(), segment.name());
                if (rules != null) {
                    for (MappingRule rule : rules) {
                        rule.apply(ctx, segment, null, target.resource());
                    }
                }
            }
            ConvertedEntry parent = entry.parentSegment() == null ? null : ctx.latestFrom(entry.parentSegment());
            for (ResourceMapping resource : entry.resources()) {
                ConvertedEntry made = resource.create(ctx, segment, null);
                if (made != null && parent != null && made != parent) {
                    Base holder = entry.parentElement().parent(parent.resource());
                    entry.parentElement().set(holder, new Reference(made.fullUrl()));
                }
            }
        }
        ctx.resolveReferences();
        return ctx;
    }

    private static void keepZSegment(ConversionContext ctx, Er7Segment segment, ConversionSettings settings) {
        ConvertedEntry latest = ctx.latest();
        if (latest == null || !(latest.resource() instanceof DomainResource r)) {
            return;
        }
        StringBuilder text = new StringBuilder(segment.name());
        char fs = ctx.delimiters().field();
        for (int f = 1; f <= segment.fieldCount(); f++) {
            text.append(fs).append(segment.field(f));
        }
        r.addExtension(new Extension(settings.extensionBase() + Z_SEGMENT_EXTENSION, new StringType(text.toString())));
    }
}
