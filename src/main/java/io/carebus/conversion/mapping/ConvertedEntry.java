package io.carebus.conversion.mapping;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * A resource made from a message, with its bundle identity: a deterministic urn:uuid and, when it has a
 * business identifier, the conditional request keyed on it.
 */
public final class ConvertedEntry {

    private final Resource resource;
    private final ResourceMapping mapping;
    private final String segmentName;
    private String fullUrl;
    private Identifier key;

    ConvertedEntry(Resource resource, ResourceMapping mapping, String segmentName) {
        this.resource = resource;
        this.mapping = mapping;
        this.segmentName = segmentName;
    }

    public Resource resource() {
        return resource;
    }

    public ResourceMapping mapping() {
        return mapping;
    }

    public String segmentName() {
        return segmentName;
    }

    public String fullUrl() {
        return fullUrl;
    }

    void identify(String fullUrl, Identifier key) {
        this.fullUrl = fullUrl;
        this.key = key;
    }

    /** The business identifier the conditional create/update is keyed on, or null. */
    public Identifier key() {
        return key;
    }
}
