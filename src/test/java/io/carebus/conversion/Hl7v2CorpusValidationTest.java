package io.carebus.conversion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.validation.SingleValidationMessage;
import io.carebus.conversion.mapping.ConversionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample message (edi-samples/hl7v2 and ../shared/corpus/hl7v2) converts to a transaction bundle that
 * HAPI's validator accepts against FHIR R4 and US Core 6.1.0 with no error.
 */
class Hl7v2CorpusValidationTest {

    private static Hl7v2ToFhirConverter converter;
    private static UsCoreValidator validator;

    @BeforeAll
    static void setUp() {
        converter = Hl7v2ToFhirConverters.fromDirectory(Path.of("mappings"), ConversionSettings.defaults());
        validator = new UsCoreValidator(converter.fhirContext());
    }

    @TestFactory
    Stream<DynamicTest> everySampleValidatesAgainstUsCore() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("edi-samples/hl7v2"), Path.of("../shared/corpus/hl7v2"),
                Path.of("src/test/resources/hl7v2"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(p -> p.toString().endsWith(".hl7")).sorted().forEach(files::add);
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(20);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
            String er7 = Files.readString(file, StandardCharsets.ISO_8859_1);
            Bundle bundle = converter.convert(er7);
            assertThat(bundle.getEntry()).isNotEmpty();
            List<SingleValidationMessage> errors = validator.errors(bundle);
            assertThat(errors).as(file + UsCoreValidator.describe(errors)).isEmpty();
        }));
    }
}
