package io.carebus.conversion;

import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.conversion.functions.StandardFunctions;
import io.carebus.conversion.mapping.ConversionSettings;
import io.carebus.conversion.mapping.MappingDocuments;

/** Builds a converter from a mappings directory ({@code <dir>/hl7v2-fhir}). */
public final class Hl7v2ToFhirConverters {

    private Hl7v2ToFhirConverters() {
    }

    public static Hl7v2ToFhirConverter fromDirectory(Path mappingsDir, ConversionSettings settings) {
        return new Hl7v2ToFhirConverter(FhirContext.forR4Cached(),
                MappingDocuments.fromDirectory(mappingsDir.resolve("hl7v2-fhir")), StandardFunctions.create(), settings);
    }
}
