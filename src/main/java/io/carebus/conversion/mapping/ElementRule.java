package io.carebus.conversion.mapping;

import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Base;

/**
 * A field → element rule: every value found at {@code from} (each repetition of a field) becomes one element at
 * {@code to}, built by a {@link ValueBuilder} or, for composite targets, by nested rules on a new element.
 * Single-valued targets keep the first value.
 */
final class ElementRule implements MappingRule {

    private final SourcePosition from;
    private final SourcePosition when;
    private final SourcePosition unless;
    private final ValueMatch match;
    private final ElementPath to;
    private final ValueBuilder builder;
    private final List<MappingRule> nested;
    private final boolean firstOnly;
    private final boolean fallback;

    ElementRule(SourcePosition from, SourcePosition when, SourcePosition unless, ValueMatch match, ElementPath to,
                ValueBuilder builder, List<MappingRule> nested, boolean firstOnly, boolean fallback) {
        this.from = from;
        this.when = when;
        this.unless = unless;
        this.match = match;
        this.to = to;
        this.builder = builder;
        this.nested = nested;
        this.firstOnly = firstOnly || !to.leafRepeats();
        this.fallback = fallback;
    }

    @Override
    public void apply(ConversionContext ctx, Er7Segment segment, V2Value value, Base target) {
        // when/unless/match read positions in the same context as from: the segment, or the enclosing value
        if (from == null) {
            applyOne(ctx, segment, value, value, target);
        } else if (value == null || from.isAbsolute()) {
            List<V2Value> values = from.select(ctx, segment);
            for (int i = 0; i < values.size(); i++) {
                if (applyOne(ctx, segment, values.get(i), value, target) && firstOnly) {
                    return;
                }
            }
        } else {
            V2Value v = from.within(value, ctx.delimiters());
            if (!v.isEmpty()) {
                applyOne(ctx, segment, v, value, target);
            }
        }
    }

    /** @return true when something was written */
    private boolean applyOne(ConversionContext ctx, Er7Segment segment, V2Value v, V2Value context, Base target) {
        if (!conditionsHold(ctx, segment, v, context)) {
            return false;
        }
        if (nested != null) {
            Base parent = to.parent(target);
            if (to.isTaken(parent, fallback)) {
                return false;
            }
            Base element = to.addNew(parent);
            for (MappingRule rule : nested) {
                rule.apply(ctx, segment, v, element);
            }
            if (element.isEmpty() || isOnlyFixed(element)) {
                to.remove(parent, element);
                return false;
            }
            return true;
        }
        Base built = builder.build(ctx, segment, v);
        if (built == null) {
            return false;
        }
        Base parent = to.parent(target);
        if (to.isTaken(parent, fallback)) {
            return false;
        }
        to.set(parent, built);
        return true;
    }

    /** An element that holds only an extension url is empty for our purpose. */
    private static boolean isOnlyFixed(Base element) {
        return element instanceof org.hl7.fhir.r4.model.Extension ext && !ext.hasValue() && !ext.hasExtension();
    }

    private boolean conditionsHold(ConversionContext ctx, Er7Segment segment, V2Value v, V2Value context) {
        if (match != null && !match.test(ctx, segment, v, context)) {
            return false;
        }
        if (when != null && isEmptyAt(ctx, segment, context, when)) {
            return false;
        }
        return unless == null || isEmptyAt(ctx, segment, context, unless);
    }

    static boolean isEmptyAt(ConversionContext ctx, Er7Segment segment, V2Value v, SourcePosition p) {
        if (v == null || v.depth() < V2Value.REPETITION || p.isAbsolute()) {
            return p.select(ctx, segment).isEmpty();
        }
        return p.within(v, ctx.delimiters()).isEmpty();
    }

    @Override
    public String toString() {
        return "→ " + to;
    }
}
