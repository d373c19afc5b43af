package io.carebus.x12.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The one FHIR R4 context of the engine (expensive to build, thread-safe once built) and JSON in and out. */
public final class Fhir {

    private Fhir() {
    }

    public static FhirContext context() {
        return FhirContext.forR4Cached();
    }

    public static String json(IBaseResource resource) {
        return context().newJsonParser().setPrettyPrint(true).encodeResourceToString(resource);
    }

    public static <T extends IBaseResource> T parse(Class<T> type, String json) {
        IParser parser = context().newJsonParser();
        return parser.parseResource(type, json);
    }
}
