package io.carebus.conversion.mapping;

import java.util.List;
import java.util.function.Supplier;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResourceFactory;

/** The value builders a rule's {@code as}, {@code table}, {@code const}, {@code ref} and {@code resource} compile to. */
final class Builders {

    private Builders() {
    }

    /** A v2 leaf as a FHIR primitive: text, code, date/dateTime/instant (HL7 DTM), decimal, integer, boolean. */
    static ValueBuilder primitive(String kind, String targetType) {
        Supplier<PrimitiveType<?>> factory = Primitives.factory(targetType);
        return (ctx, segment, value) -> {
            String text = convert(kind, ctx.text(value), ctx);
            return text == null ? null : primitiveOf(factory, text);
        };
    }

    static Base primitiveOf(Supplier<PrimitiveType<?>> factory, String text) {
        PrimitiveType<?> p = factory.get();
        try {
            p.setValueAsString(text);
        } catch (RuntimeException e) {
            return null;
        }
        return p;
    }

    static String convert(String kind, String text, ConversionContext ctx) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        return switch (kind) {
            case "date" -> Hl7Timestamps.toDate(t);
            case "dateTime" -> Hl7Timestamps.toDateTime(t, ctx.settings().defaultZone());
            case "instant" -> Hl7Timestamps.toInstant(t, ctx.settings().defaultZone());
            case "decimal" -> decimal(t);
            case "integer", "positiveInt", "unsignedInt" -> integer(t, kind);
            case "boolean" -> bool(t);
            case "code", "id" -> singleSpaced(t);
            case "uri", "url", "canonical" -> t.replace(" ", "%20");
            default -> text.isBlank() ? null : text;
        };
    }

    static String decimal(String t) {
        String s = t.startsWith("+") ? t.substring(1) : t;
        if (s.startsWith(".")) {
            s = "0" + s;
        } else if (s.startsWith("-.")) {
            s = "-0" + s.substring(1);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return DECIMAL.matcher(s).matches() ? s : null;
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    /** FHIR code: no leading, trailing or repeated whitespace. */
    static String singleSpaced(String t) {
        boolean clean = true;
        for (int i = 0; i < t.length() && clean; i++) {
            char c = t.charAt(i);
            clean = c != '\t' && c != '\n' && c != '\r' && !(c == ' ' && i + 1 < t.length() && t.charAt(i + 1) == ' ');
        }
        return clean ? t : t.replaceAll("\\s+", " ");
    }

    private static String integer(String t, String kind) {
        try {
            int n = Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
            if ("positiveInt".equals(kind) && n < 1 || "unsignedInt".equals(kind) && n < 0) {
                return null;
            }
            return String.valueOf(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String bool(String t) {
        return switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "Y", "YES", "T", "TRUE", "1" -> "true";
            case "N", "NO", "F", "FALSE", "0" -> "false";
            default -> null;
        };
    }

    /** A coded v2 value (ID, IS) through a code table, into a code, Coding or CodeableConcept. */
    static ValueBuilder table(CodeTable table, String targetType) {
        switch (targetType) {
            case "CodeableConcept":
                return (ctx, segment, value) -> {
                    String code = ctx.text(value).trim();
                    if (code.isEmpty()) {
                        return null;
                    }
                    CodeTable.Concept c = table.lookup(code);
                    CodeableConcept cc = new CodeableConcept();
                    if (c == null) {
                        return table.unmappedAsText() ? cc.setText(code) : null;
                    }
                    cc.addCoding(coding(c));
                    return cc;
                };
            case "Coding":
                return (ctx, segment, value) -> {
                    CodeTable.Concept c = table.lookup(ctx.text(value).trim());
                    return c == null ? null : coding(c);
                };
            default:
                Supplier<PrimitiveType<?>> factory = Primitives.factory(targetType);
                return (ctx, segment, value) -> {
                    String code = ctx.text(value).trim();
                    CodeTable.Concept c = code.isEmpty() ? null : table.lookup(code);
                    return c == null || c.code() == null ? null : primitiveOf(factory, c.code());
                };
        }
    }

    static Coding coding(CodeTable.Concept c) {
        Coding coding = new Coding().setSystem(c.system()).setCode(c.code());
        if (c.display() != null) {
            coding.setDisplay(c.display());
        }
        return coding;
    }

    /** A fixed value: text for primitives, {system, code, display} for codes. */
    static ValueBuilder constant(Object spec, String targetType) {
        Base template;
        if ("CodeableConcept".equals(targetType) || "Coding".equals(targetType)) {
            CodeTable.Concept c = concept(spec);
            template = "Coding".equals(targetType) ? coding(c) : new CodeableConcept().addCoding(coding(c));
        } else if (Primitives.isPrimitive(targetType)) {
            template = primitiveOf(Primitives.factory(targetType), String.valueOf(spec));
            if (template == null) {
                throw new MappingException("Constant '" + spec + "' is not a valid " + targetType);
            }
        } else {
            throw new MappingException("A constant cannot fill a " + targetType);
        }
        Base fixed = template;
        return (ctx, segment, value) -> fixed.copy();
    }

    @SuppressWarnings("unchecked")
    static CodeTable.Concept concept(Object spec) {
        if (spec instanceof java.util.Map<?, ?> m) {
            java.util.Map<String, Object> map = (java.util.Map<String, Object>) m;
            return new CodeTable.Concept((String) map.get("system"), String.valueOf(map.get("code")),
                    (String) map.get("display"));
        }
        String[] parts = String.valueOf(spec).split("\\|", -1);
        return new CodeTable.Concept(parts[0], parts.length > 1 ? parts[1] : null, parts.length > 2 ? parts[2] : null);
    }

    /** A reference to the first resource of a type in the message (filled in at the end). */
    static ValueBuilder reference(String resourceType) {
        return (ctx, segment, value) -> ctx.referenceTo(resourceType);
    }

    /** A reference to the latest resource made from a segment (MSH: the sending facility's Organization). */
    static ValueBuilder referenceToSegment(String segmentName) {
        return (ctx, segment, value) -> {
            ConvertedEntry e = ctx.latestFrom(segmentName);
            return e == null ? null : new Reference(e.fullUrl());
        };
    }

    /** A separate resource made from this value (XCN → Practitioner), referenced from the element. */
    static ValueBuilder resource(Supplier<ResourceMapping> mapping) {
        return (ctx, segment, value) -> {
            ConvertedEntry entry = mapping.get().create(ctx, segment, value);
            return entry == null ? null : new Reference(entry.fullUrl());
        };
    }

    static Supplier<Base> typeFactory(String fhirType) {
        Class<? extends Base> type = ResourceFactory.createType(fhirType).getClass();
        try {
            java.lang.reflect.Constructor<? extends Base> constructor = type.getConstructor();
            return () -> {
                try {
                    return constructor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (NoSuchMethodException e) {
            throw new MappingException("Cannot make a " + fhirType, e);
        }
    }

    /** A composite datatype (HumanName, Identifier…) filled by the rules of a datatype mapping. */
    static ValueBuilder datatype(String fhirType, Supplier<List<MappingRule>> rules, List<String> requires) {
        Supplier<Base> factory = typeFactory(fhirType);
        String[] required = requires.toArray(new String[0]);
        return (ctx, segment, value) -> {
            Base element = factory.get();
            for (MappingRule rule : rules.get()) {
                rule.apply(ctx, segment, value, element);
            }
            for (String name : required) {
                Base[] found = element.getProperty(name.hashCode(), name, false);
                if (found == null || found.length == 0 || found[0] == null || found[0].isEmpty()) {
                    return null;
                }
            }
            return element.isEmpty() ? null : element;
        };
    }

}
