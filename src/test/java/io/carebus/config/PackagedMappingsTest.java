package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.functions.StandardFunctions;
import io.carebus.conversion.mapping.ConversionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** Without a mappings directory the engine uses the copy packaged in the jar, sender files included. */
class PackagedMappingsTest {

    @Test
    void theClasspathCopyConvertsLikeTheWorkingTree() throws Exception {
        Hl7v2ToFhirConverter packaged = new Hl7v2ToFhirConverter(FhirContext.forR4Cached(),
                ConversionConfig.fromClasspath(), StandardFunctions.create(), ConversionSettings.defaults());
        String oru = Files.readString(Path.of("edi-samples/hl7v2/oru_r01_types.hl7"));
        Bundle bundle = packaged.convert(oru);
        assertThat(packaged.toJson(bundle)).contains("http://loinc.org").contains("review-flag");   // NORTHLAB override
        assertThat(packaged.mappings().events()).contains("ADT^A01", "SIU^S12", "VXU^V04", "MDM^T02");
    }
}
