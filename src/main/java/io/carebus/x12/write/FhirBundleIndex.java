package io.carebus.x12.write;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Resolves references inside a FHIR bundle, by full URL or by {@code Type/id}. */
final class FhirBundleIndex {

    private final Map<String, Resource> byReference = new HashMap<>();
    private final Bundle bundle;

    FhirBundleIndex(Bundle bundle) {
        this.bundle = bundle;
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            Resource r = e.getResource();
            if (r == null) {
                continue;
            }
            if (e.hasFullUrl()) {
                byReference.put(e.getFullUrl(), r);
            }
            if (r.hasIdElement() && r.getIdElement().hasIdPart()) {
                byReference.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
                byReference.put("urn:uuid:" + r.getIdElement().getIdPart(), r);
            }
        }
    }

    <T extends Resource> T first(Class<T> type) {
        return all(type).stream().findFirst()
                .orElseThrow(() -> new X12FhirException("The bundle has no " + type.getSimpleName()));
    }

    <T extends Resource> List<T> all(Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    <T extends Resource> T resolve(Reference reference, Class<T> type, String what) {
        if (reference == null || !reference.hasReference()) {
            throw new X12FhirException(what + " has no reference");
        }
        Resource r = byReference.get(reference.getReference());
        if (!type.isInstance(r)) {
            throw new X12FhirException(what + " " + reference.getReference() + " is not a "
                    + type.getSimpleName() + " in the bundle");
        }
        return type.cast(r);
    }

    <T extends Resource> T resolveOrNull(Reference reference, Class<T> type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        Resource r = byReference.get(reference.getReference());
        return type.isInstance(r) ? type.cast(r) : null;
    }
}
