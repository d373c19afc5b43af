package io.carebus.conversion.mapping;

import java.util.Map;
import java.util.function.Supplier;

import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.OidType;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.UrlType;

/** The FHIR primitive types by name, made without reflection. */
final class Primitives {

    private static final Map<String, Supplier<PrimitiveType<?>>> TYPES = Map.ofEntries(
            Map.entry("string", StringType::new), Map.entry("code", CodeType::new),
            Map.entry("id", IdType::new), Map.entry("uri", UriType::new), Map.entry("url", UrlType::new),
            Map.entry("canonical", CanonicalType::new), Map.entry("oid", OidType::new),
            Map.entry("markdown", MarkdownType::new), Map.entry("date", DateType::new),
            Map.entry("dateTime", DateTimeType::new), Map.entry("instant", InstantType::new),
            Map.entry("time", TimeType::new), Map.entry("decimal", DecimalType::new),
            Map.entry("integer", IntegerType::new), Map.entry("positiveInt", PositiveIntType::new),
            Map.entry("unsignedInt", UnsignedIntType::new), Map.entry("boolean", BooleanType::new),
            Map.entry("base64Binary", Base64BinaryType::new));

    private Primitives() {
    }

    static boolean isPrimitive(String type) {
        return TYPES.containsKey(type);
    }

    static Supplier<PrimitiveType<?>> factory(String type) {
        Supplier<PrimitiveType<?>> f = TYPES.get(type);
        if (f == null) {
            throw new MappingException("Not a primitive type: " + type);
        }
        return f;
    }
}
