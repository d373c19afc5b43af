package io.carebus.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.Hl7v2ToFhirConverters;
import io.carebus.conversion.mapping.ConversionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The validator the write path uses: it takes every resource the engine's own HL7 v2 → FHIR conversion writes (the
 * sample messages), and reusing pooled validators, from one thread or several, changes no answer.
 */
class UsCoreValidatorCorpusTest {

    private static UsCoreValidator validator;
    private static UsCoreWriteValidator writeValidator;
    private static Hl7v2ToFhirConverter converter;

    @BeforeAll
    static void build() {
        converter = Hl7v2ToFhirConverters.fromDirectory(Path.of("mappings"), ConversionSettings.defaults());
        validator = new UsCoreValidator(converter.fhirContext());
        writeValidator = new UsCoreWriteValidator(validator, new UsCoreValidationProperties());
    }

    @TestFactory
    Stream<DynamicTest> everyConvertedSampleResourcePassesTheWritePath() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.list(Path.of("edi-samples/hl7v2"))) {
            files = walk.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Bundle bundle = converter.convert(Files.readString(file, StandardCharsets.ISO_8859_1));
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                assertThatCode(() -> writeValidator.check(resource)).as(file + " " + resource.fhirType())
                        .doesNotThrowAnyException();
            }
        }));
    }

    /** The sample resources beside the HL7 v2 ones: the valid ones pass the write path, the invalid one does not. */
    @Test
    void theFhirSamplesAreValidOrNotAsNamed() throws IOException {
        ca.uhn.fhir.parser.IParser parser = converter.fhirContext().newJsonParser();
        for (String name : List.of("us-core-patient.json", "us-core-observation.json")) {
            Resource resource = (Resource) parser.parseResource(Files.readString(Path.of("edi-samples/fhir", name)));
            assertThat(errors(resource)).as(name).isZero();
        }
        Resource invalid = (Resource) parser.parseResource(
                Files.readString(Path.of("edi-samples/fhir/us-core-patient-invalid.json")));
        assertThat(errors(invalid)).isGreaterThanOrEqualTo(3);
    }

    private static long errors(Resource resource) {
        return validator.validate(resource, List.of()).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR).count();
    }

    private static Patient invalidPatient() {
        Patient patient = new Patient();
        patient.getMeta().addProfile(UsCoreSamples.PATIENT);
        return patient;
    }

    @Test
    void aReusedValidatorGivesTheSameAnswers() {
        Random random = new Random(11);
        long first = errors(invalidPatient());
        assertThat(first).isGreaterThanOrEqualTo(3);               // identifier, name, gender
        for (int i = 0; i < 5; i++) {
            assertThat(errors(UsCoreSamples.patient(random))).isZero();
            assertThat(errors(invalidPatient())).isEqualTo(first);
            assertThat(errors(UsCoreSamples.observation(random, "Patient/1"))).isZero();
            assertThat(errors(UsCoreSamples.encounter(random, "Patient/1"))).isZero();
        }
    }

    @Test
    void concurrentValidationsGiveTheSameAnswers() throws Exception {
        long expected = errors(invalidPatient());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long valid = 0;
                    long invalid = 0;
                    for (int i = 0; i < 10; i++) {
                        valid += errors(UsCoreSamples.patient(random));
                        invalid += errors(invalidPatient());
                    }
                    return new long[] {valid, invalid};
                }));
            }
            for (Future<long[]> result : results) {
                assertThat(result.get()).containsExactly(0, expected * 10);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(validator.module().pooled()).isLessThanOrEqualTo(5);   // one per thread at most
        assertThat(validator.module().built()).isPositive();
    }
}
