package io.carebus.x12.schema;

import java.util.List;
import java.util.Set;

import io.carebus.x12.read.X12Segment;

/**
 * A segment at one position of a transaction set.
 *
 * @param elements   element definitions by position (index 0 is element 01)
 * @param qualifier  position (1-based) of the element whose code tells this segment from its siblings with the same
 *                   id (NM101, HL03...), or 0
 * @param qualifierComponent 1 when the qualifier is the first component of a composite, else 0
 */
public record SegmentDef(String id, int idCode, String name, Usage usage, int maxUse, List<SyntaxRule> syntax,
                         List<ElementDef> elements, int qualifier, int qualifierComponent,
                         Set<String> qualifierCodes) implements Node {

    @Override
    public SegmentDef firstSegment() {
        return this;
    }

    /** True when the segment has this id (and, when {@code strict}, a qualifier code this position accepts). */
    public boolean matches(X12Segment segment, boolean strict) {
        if (segment.idCode() != idCode || !segment.elementEquals(0, id)) {
            return false;
        }
        if (!strict || qualifier == 0) {
            return true;
        }
        String value = qualifierComponent == 0 ? segment.element(qualifier) : segment.component(qualifier, 1);
        return qualifierCodes.contains(value);
    }
}
