package io.carebus.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** The fast Bundle writer gives the JSON HAPI's JsonParser gives: parsed back, every sample bundle is the same. */
class FhirJsonWriterTest {

    @Test
    void everySampleBundleReadsBackTheSameWithHapi() throws IOException {
        IParser hapi = Conversions.CONVERTER.fhirContext().newJsonParser();
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("edi-samples/hl7v2"))) {
            samples = files.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThan(15);
        for (Path sample : samples) {
            Bundle bundle = Conversions.CONVERTER.convert(Files.readString(sample, StandardCharsets.ISO_8859_1));
            String ours = FhirJsonWriter.write(bundle);
            Bundle back = hapi.parseResource(Bundle.class, ours);
            assertThat(hapi.encodeResourceToString(back)).as(sample.toString())
                    .isEqualTo(hapi.encodeResourceToString(bundle));
        }
    }

    @Test
    void stringsAreEscaped() {
        StringBuilder out = new StringBuilder();
        FhirJsonWriter.string("a\"b\\c\nd\u0001", out);
        assertThat(out).hasToString("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
