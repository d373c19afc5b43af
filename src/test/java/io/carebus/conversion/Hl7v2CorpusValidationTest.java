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

    /** Every trigger event of the families (ADT A01–A17, A28, A31; SIU S12–S26; MDM; BAR) through the same check. */
    @TestFactory
    Stream<DynamicTest> everyTriggerEventValidatesAgainstUsCore() throws IOException {
        String adt = Files.readString(Path.of("edi-samples/hl7v2/adt_a03.hl7"), StandardCharsets.ISO_8859_1);
        String siu = Files.readString(Path.of("edi-samples/hl7v2/siu_s12.hl7"), StandardCharsets.ISO_8859_1);
        String bar = Files.readString(Path.of("edi-samples/hl7v2/bar_p01.hl7"), StandardCharsets.ISO_8859_1);
        List<String[]> cases = new ArrayList<>();
        for (String event : List.of("A01", "A02", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A12",
                "A13", "A17", "A28", "A31")) {
            cases.add(new String[] {"ADT^" + event, adt.replace("ADT^A03^ADT_A03", "ADT^" + event + "^ADT_A01")
                    .replace("EVN|A03", "EVN|" + event)});
        }
        for (int s = 13; s <= 26; s++) {
            cases.add(new String[] {"SIU^S" + s, siu.replace("SIU^S12^SIU_S12", "SIU^S" + s + "^SIU_S12")});
        }
        cases.add(new String[] {"BAR^P05", bar.replace("BAR^P01^BAR_P01", "BAR^P05^BAR_P05")});
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            Bundle bundle = converter.convert(c[1]);
            List<SingleValidationMessage> errors = validator.errors(bundle);
            assertThat(errors).as(c[0] + UsCoreValidator.describe(errors)).isEmpty();
        }));
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
