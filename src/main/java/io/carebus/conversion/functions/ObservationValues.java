package io.carebus.conversion.functions;

import java.util.List;

import io.carebus.conversion.er7.Er7Delimiters;
import io.carebus.conversion.er7.Er7Segment;
import io.carebus.conversion.mapping.CodeTable;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.Hl7Timestamps;
import io.carebus.conversion.mapping.V2Value;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;

/**
 * OBX-5 (observation value) typed by OBX-2 (value type, HL7 table 0125) with OBX-6 (units) into
 * Observation.value[x]. v2-to-FHIR IG: "OBX[Observation]" rows for OBX-5 by OBX-2.
 * NM → valueQuantity ("&lt;15" keeps its comparator), SN → Quantity/Range/Ratio, ST/TX/FT → valueString
 * (repetitions one per line), CE/CWE/CNE → valueCodeableConcept, DT/TS/DTM → valueDateTime, TM → valueTime,
 * ED → the encapsulated-data extension. No value: dataAbsentReason.
 */
final class ObservationValues {

    private static final String DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    private ObservationValues() {
    }

    static void apply(ConversionContext ctx, Er7Segment obx, List<V2Value> values, Base target) {
        if (!(target instanceof Observation observation)) {
            return;
        }
        String type = ctx.text(obx.field(2)).trim().toUpperCase(java.util.Locale.ROOT);
        if (values.isEmpty()) {
            absent(observation, "unknown", "Unknown");
            return;
        }
        V2Value first = values.get(0);
        Er7Delimiters d = ctx.delimiters();
        switch (type) {
            case "NM" -> numeric(ctx, obx, observation, ctx.text(first));
            case "SN" -> structuredNumeric(ctx, obx, observation, first);
            case "CE", "CWE", "CNE", "CF" -> {
                Base cc = ctx.mappings().datatype("CWE").build(ctx, obx, first);
                if (cc instanceof CodeableConcept c) {
                    observation.setValue(c);
                }
            }
            case "DT", "TS", "DTM" -> {
                String dt = Hl7Timestamps.toDateTime(ctx.text(first.part(1, d)), ctx.settings().defaultZone());
                if (dt != null) {
                    observation.setValue(new DateTimeType(dt));
                } else {
                    observation.setValue(new StringType(ctx.text(first.raw())));
                }
            }
            case "TM" -> time(ctx, observation, first);
            case "ED" -> {
                var attachment = EncapsulatedData.attachment(ctx, first);
                if (attachment != null) {
                    observation.addExtension(new Extension(ctx.settings().extensionBase()
                            + EncapsulatedData.EXTENSION, attachment));
                }
                // an R4 Observation value cannot be an Attachment: the document is in the extension
                absent(observation, "unsupported", "Unsupported");
            }
            case "ID", "IS" -> observation.setValue(new CodeableConcept().addCoding(
                    new Coding().setCode(ctx.text(first).trim())));
            default -> text(ctx, observation, values);
        }
        if (!observation.hasValue() && !observation.hasDataAbsentReason()) {
            absent(observation, "unknown", "Unknown");
        }
    }

    private static void text(ConversionContext ctx, Observation observation, List<V2Value> values) {
        StringBuilder text = new StringBuilder();
        for (V2Value v : values) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(ctx.text(v.raw()));
        }
        if (!text.toString().isBlank()) {
            observation.setValue(new StringType(text.toString()));
        }
    }

    private static void numeric(ConversionContext ctx, Er7Segment obx, Observation observation, String text) {
        String t = text.trim();
        String comparator = null;
        for (String c : new String[] {"<=", ">=", "<", ">"}) {
            if (t.startsWith(c)) {
                comparator = c;
                t = t.substring(c.length()).trim();
                break;
            }
        }
        java.math.BigDecimal number = decimal(t);
        if (number == null) {
            observation.setValue(new StringType(text));
            return;
        }
        Quantity q = units(ctx, obx, new Quantity().setValue(number));
        if (comparator != null) {
            q.setComparator(Quantity.QuantityComparator.fromCode(comparator));
        }
        observation.setValue(q);
    }

    /** SN: comparator^num1^separator/suffix^num2 (v2.5.1 chapter 2.A.74). */
    private static void structuredNumeric(ConversionContext ctx, Er7Segment obx, Observation observation, V2Value sn) {
        Er7Delimiters d = ctx.delimiters();
        String comparator = ctx.text(sn.part(1, d)).trim();
        java.math.BigDecimal n1 = decimal(ctx.text(sn.part(2, d)).trim());
        String separator = ctx.text(sn.part(3, d)).trim();
        java.math.BigDecimal n2 = decimal(ctx.text(sn.part(4, d)).trim());
        if (n1 != null && n2 != null && "-".equals(separator)) {
            observation.setValue(new Range().setLow(units(ctx, obx, new Quantity().setValue(n1)))
                    .setHigh(units(ctx, obx, new Quantity().setValue(n2))));
        } else if (n1 != null && n2 != null && (":".equals(separator) || "/".equals(separator))) {
            observation.setValue(new Ratio().setNumerator(new Quantity().setValue(n1))
                    .setDenominator(new Quantity().setValue(n2)));
        } else if (n1 != null) {
            Quantity q = units(ctx, obx, new Quantity().setValue(n1));
            if (!comparator.isEmpty() && !"=".equals(comparator)) {
                try {
                    q.setComparator(Quantity.QuantityComparator.fromCode(comparator.replace("<>", "")));
                } catch (Exception e) {
                    // "<>" (not equal) has no FHIR comparator: the value stands alone
                }
            }
            observation.setValue(q);
        } else {
            observation.setValue(new StringType(ctx.text(sn.raw())));
        }
    }

    private static void time(ConversionContext ctx, Observation observation, V2Value tm) {
        String t = ctx.text(tm).trim();
        if (t.length() >= 4 && t.substring(0, 4).chars().allMatch(Character::isDigit)) {
            String s = t.length() >= 6 && t.substring(4, 6).chars().allMatch(Character::isDigit) ? t.substring(4, 6) : "00";
            observation.setValue(new TimeType(t.substring(0, 2) + ":" + t.substring(2, 4) + ":" + s));
        } else {
            observation.setValue(new StringType(t));
        }
    }

    /** OBX-6 units: code and system when OBX-6.3 names UCUM, otherwise the text as the unit. */
    private static Quantity units(ConversionContext ctx, Er7Segment obx, Quantity q) {
        String units = obx.field(6);
        if (units.isEmpty()) {
            return q;
        }
        Er7Delimiters d = ctx.delimiters();
        V2Value u = new V2Value(io.carebus.conversion.er7.Er7Message.piece(units, d.repetition(), 1), V2Value.REPETITION);
        String code = ctx.text(u.part(1, d)).trim();
        String text = ctx.text(u.part(2, d)).trim();
        String system = ctx.text(u.part(3, d)).trim();
        q.setUnit(text.isEmpty() ? code : text);
        CodeTable unitSystems = ctx.mappings().table("unit-system");
        CodeTable.Concept s = system.isEmpty() || unitSystems == null ? null : unitSystems.lookup(system);
        if (s != null && !code.isEmpty()) {
            q.setSystem(s.code()).setCode(code);
        }
        return q;
    }

    private static java.math.BigDecimal decimal(String t) {
        if (t.isEmpty()) {
            return null;
        }
        try {
            return new java.math.BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void absent(Observation observation, String code, String display) {
        observation.setDataAbsentReason(new CodeableConcept(new Coding(DATA_ABSENT, code, display)));
    }
}
