package io.carebus.conversion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.carebus.conversion.mapping.ConversionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The converter over the working tree's mappings (compiled once per JVM), and helpers to read a bundle. */
final class Conversions {

    static final Hl7v2ToFhirConverter CONVERTER =
            Hl7v2ToFhirConverters.fromDirectory(Path.of("mappings"), ConversionSettings.defaults());

    private Conversions() {
    }

    static Bundle convert(String... segments) {
        return CONVERTER.convert(String.join("\r", segments) + "\r");
    }

    static Bundle convertSample(String file) {
        try {
            return CONVERTER.convert(Files.readString(Path.of("edi-samples/hl7v2", file), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    static <T extends Resource> T one(Bundle bundle, Class<T> type) {
        List<T> found = all(bundle, type);
        if (found.isEmpty()) {
            throw new AssertionError("No " + type.getSimpleName() + " in the bundle");
        }
        return found.get(0);
    }

    static Bundle.BundleEntryComponent entryOf(Bundle bundle, Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow();
    }

    /** The resource a reference points to in the bundle (by its urn:uuid fullUrl). */
    static Resource resolve(Bundle bundle, org.hl7.fhir.r4.model.Reference ref) {
        return bundle.getEntry().stream().filter(e -> e.getFullUrl().equals(ref.getReference())).findFirst()
                .map(Bundle.BundleEntryComponent::getResource).orElseThrow(() -> new AssertionError("Unresolved " + ref.getReference()));
    }
}
