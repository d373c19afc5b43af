package io.carebus.conversion.functions;

import java.util.List;

import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.CodeTable;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * PID-10 (race) and PID-22 (ethnic group) to the US Core race and ethnicity extensions: OMB categories
 * (CDC Race &amp; Ethnicity code system) in ombCategory, other CDC codes in detailed, and the text always. Local
 * codes are translated by the tables {@code omb-race} and {@code omb-ethnicity}.
 */
final class UsCoreRaceEthnicity {

    static final String RACE_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    static final String ETHNICITY_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";
    static final String CDC_REC = "urn:oid:2.16.840.1.113883.6.238";
    private static final List<String> OMB_RACE = List.of("1002-5", "2028-9", "2054-5", "2076-8", "2106-3");
    private static final List<String> OMB_ETHNICITY = List.of("2135-2", "2186-5");

    private UsCoreRaceEthnicity() {
    }

    static void race(ConversionContext ctx, Er7Segment segment, List<V2Value> values, Base target) {
        build(ctx, values, target, RACE_URL, OMB_RACE, "omb-race");
    }

    static void ethnicity(ConversionContext ctx, Er7Segment segment, List<V2Value> values, Base target) {
        build(ctx, values, target, ETHNICITY_URL, OMB_ETHNICITY, "omb-ethnicity");
    }

    private static void build(ConversionContext ctx, List<V2Value> values, Base target, String url,
                              List<String> omb, String tableName) {
        if (values.isEmpty() || !(target instanceof DomainResource resource)) {
            return;
        }
        CodeTable table = ctx.mappings().table(tableName);
        Extension ext = new Extension(url);
        StringBuilder text = new StringBuilder();
        for (V2Value cwe : values) {
            String code = ctx.text(cwe.part(1, ctx.delimiters())).trim();
            String display = ctx.text(cwe.part(2, ctx.delimiters())).trim();
            String cdcCode = code;
            String cdcDisplay = display;
            if (!code.matches("\\d{4}-\\d") && table != null) {
                CodeTable.Concept c = table.lookup(code);
                cdcCode = c == null ? null : c.code();
                if (c != null && c.display() != null) {
                    cdcDisplay = c.display();
                }
            }
            if (cdcCode != null && omb.contains(cdcCode)) {
                // other CDC codes stay in the text: their value set (detailed) is not checkable offline
                Coding coding = new Coding(CDC_REC, cdcCode, cdcDisplay == null || cdcDisplay.isEmpty() ? null : cdcDisplay);
                ext.addExtension("ombCategory", coding);
            }
            String label = !display.isEmpty() ? display : cdcDisplay != null && !cdcDisplay.isEmpty() ? cdcDisplay : code;
            if (!label.isEmpty()) {
                if (text.length() > 0) {
                    text.append(", ");
                }
                text.append(label);
            }
        }
        if (text.length() == 0) {
            return;
        }
        ext.addExtension("text", new StringType(text.toString()));
        resource.addExtension(ext);
    }
}
