package io.carebus.conversion.mapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.carebus.conversion.er7.Er7Delimiters;
import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7Segment;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** The state of one conversion: the message, the resources made so far, references to fill in at the end. */
public final class ConversionContext {

    private record PendingReference(Reference reference, String resourceType) {
    }

    private final Er7Message message;
    private final MappingSet mappings;
    private final ConversionSettings settings;
    private final String sender;
    private final List<ConvertedEntry> entries = new ArrayList<>(8);
    private final Map<String, ConvertedEntry> byKey = new HashMap<>();
    private final Map<String, ConvertedEntry> latestBySegment = new HashMap<>();
    private final List<PendingReference> pending = new ArrayList<>(8);
    private ConvertedEntry latest;

    ConversionContext(Er7Message message, MappingSet mappings, ConversionSettings settings) {
        this.message = message;
        this.mappings = mappings;
        this.settings = settings;
        this.sender = message.sender();
    }

    public Er7Message message() {
        return message;
    }

    public Er7Delimiters delimiters() {
        return message.delimiters();
    }

    public MappingSet mappings() {
        return mappings;
    }

    public ConversionSettings settings() {
        return settings;
    }

    /** Unescaped text of a leaf value. */
    public String text(String raw) {
        return message.text(raw);
    }

    public String text(V2Value value) {
        return value == null ? "" : message.text(value.leaf(delimiters()));
    }

    public List<ConvertedEntry> entries() {
        return entries;
    }

    /** The most recent resource made from a segment of that name. */
    public ConvertedEntry latestFrom(String segmentName) {
        return latestBySegment.get(segmentName);
    }

    public ConvertedEntry latest() {
        return latest;
    }

    public ConvertedEntry firstOfType(String resourceType) {
        for (ConvertedEntry e : entries) {
            if (e.resource().fhirType().equals(resourceType)) {
                return e;
            }
        }
        return null;
    }

    /**
     * A reference to the latest resource of a type made so far (the order's ServiceRequest for its report);
     * when there is none yet (SIU: SCH comes before PID), to the first one made later, filled in at the end.
     */
    public Reference referenceTo(String resourceType) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).resource().fhirType().equals(resourceType)) {
                return new Reference(entries.get(i).fullUrl());
            }
        }
        Reference ref = new Reference();
        pending.add(new PendingReference(ref, resourceType));
        return ref;
    }

    void resolveReferences() {
        for (PendingReference p : pending) {
            ConvertedEntry target = firstOfType(p.resourceType());
            if (target != null) {
                p.reference().setReference(target.fullUrl());
            }
        }
    }

    /**
     * Adds a resource under a deterministic id: from its business identifier when it has one (the same patient
     * gets the same urn:uuid in every message), otherwise from the sender, MSH-10 and its place in the message.
     * A resource whose key is already in the bundle is merged into the first one (returned). Only resources
     * made from a whole segment become the "latest" that later segments attach to.
     */
    ConvertedEntry add(ConvertedEntry entry, Identifier key, Er7Segment segment, boolean segmentLevel) {
        String type = entry.resource().fhirType();
        String seed;
        if (key != null) {
            String k = type + "|" + key.getSystem() + "|" + key.getValue();
            ConvertedEntry existing = byKey.get(k);
            if (existing != null) {
                return existing;
            }
            seed = k;
        } else {
            seed = sender + "|" + message.controlId() + "|" + type + "|" + segment.index() + "|" + entries.size();
        }
        String fullUrl = "urn:uuid:" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
        entry.identify(fullUrl, key);
        if (key != null) {
            byKey.put(type + "|" + key.getSystem() + "|" + key.getValue(), entry);
        }
        entries.add(entry);
        if (segmentLevel) {
            // what later segments attach to (OBX → the OBR's report): not a Practitioner made from a field
            latestBySegment.put(segment.name(), entry);
            latest = entry;
        }
        return entry;
    }

    /** Identifier.system for a sender that gave no assigning authority: from MSH-4 (else MSH-3). */
    public String senderSystem() {
        char c = delimiters().component();
        String facility = text(Er7Message.piece(message.msh().field(4), c, 1));
        if (facility.isEmpty()) {
            facility = text(Er7Message.piece(message.msh().field(3), c, 1));
        }
        return settings.identifierSystemPrefix() + CodeTable.urlSafe(facility.isEmpty() ? "unknown" : facility);
    }
}
