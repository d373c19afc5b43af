package io.carebus.x12.schema;

import java.util.List;
import java.util.Set;

/**
 * One data element position of a segment (or one component of a composite) as the implementation guide uses it.
 *
 * @param reference  reference designator, e.g. CLM05 or SV101-1
 * @param dataElement X12 data element number (e.g. 782), or composite id (C003)
 * @param codes       allowed code values, empty when any value of the type is allowed
 * @param repeat      maximum repetitions (X12 5010 repetition separator); 1 for a non-repeating element
 * @param components  for a composite, its components in order; empty for a simple element
 */
public record ElementDef(String reference, String dataElement, Usage usage, DataType type, int minLength,
                         int maxLength, Set<String> codes, int repeat, List<ElementDef> components) {

    public boolean composite() {
        return !components.isEmpty() || dataElement.startsWith("C");
    }
}
