package io.carebus.conversion.spine;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * Makes a converted transaction Bundle safe to apply twice. Its entries are conditional on a business identifier
 * where the message has one; an entry without one (a plain {@code POST}: an Encounter whose PV1 has no visit
 * number, the message's Provenance) would create a second resource when the message is replayed, or redelivered
 * after the server committed but before the delivery was recorded. Each such entry gets a key of its own, a
 * name-based UUID of its {@code urn:uuid} fullUrl and the bundle's timestamp (MSH-7): the same message gives the
 * same keys, and a sender that reuses a control id (MSH-10) for another message at another time does not
 * overwrite the first one's resources.
 * <ul>
 *     <li>{@link #putUnderOwnIds}: the key is the resource id, {@code PUT Type/<key>} (update as create, FHIR R4
 *     http.html#upsert), for servers that accept client-assigned ids (the engine's own server does).</li>
 *     <li>{@link #createConditionally}: the key is carried in the resource, as an identifier {@code
 *     urn:ietf:rfc:3986|urn:uuid:<key>} (FHIR R4 datatypes.html#Identifier: a URI identifier), or a
 *     {@code meta.tag} {@code urn:carebus:entry|<key>} for a type without {@code identifier} (Provenance), and the
 *     entry becomes a conditional create ({@code ifNoneExist}, FHIR R4 http.html#ccreate): works on any server,
 *     also one that assigns its own ids.</li>
 * </ul>
 * Other entries (in a transaction, references to a fullUrl resolve to whatever resource an entry ends up as, FHIR
 * R4 bundle.html#references) are left as they are.
 */
public final class ReplaySafeEntries {

    /** Identifier.system of an identifier whose value is a URI (here {@code urn:uuid:<key>}). */
    public static final String URI_IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986";
    /** meta.tag system of the key of a resource type that has no identifier element. */
    public static final String ENTRY_TAG_SYSTEM = "urn:carebus:entry";
    private static final String URN_UUID = "urn:uuid:";

    private ReplaySafeEntries() {
    }

    /** Turns each unconditional create into {@code PUT Type/<key>}; returns how many entries changed. */
    public static int putUnderOwnIds(Bundle bundle) {
        int changed = 0;
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (isUnconditionalCreate(entry)) {
                entry.getRequest().setMethod(Bundle.HTTPVerb.PUT)
                        .setUrl(entry.getResource().fhirType() + "/" + key(bundle, entry));
                changed++;
            }
        }
        return changed;
    }

    /**
     * Gives each unconditional create its key as an identifier (or a tag) and makes it conditional on it; returns
     * how many entries changed.
     */
    public static int createConditionally(Bundle bundle) {
        int changed = 0;
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (!isUnconditionalCreate(entry)) {
                continue;
            }
            String key = key(bundle, entry);
            Resource resource = entry.getResource();
            BundleEntryRequestComponent request = entry.getRequest();
            if (hasIdentifierElement(resource)) {
                resource.setProperty("identifier", new Identifier().setSystem(URI_IDENTIFIER_SYSTEM)
                        .setValue(URN_UUID + key));
                request.setIfNoneExist("identifier=" + URI_IDENTIFIER_SYSTEM + "|" + URN_UUID + key);
            } else {
                // FHIR R4 search.html#all: _tag is a search parameter of every resource type
                resource.getMeta().addTag(ENTRY_TAG_SYSTEM, key, null);
                request.setIfNoneExist("_tag=" + ENTRY_TAG_SYSTEM + "|" + key);
            }
            changed++;
        }
        return changed;
    }

    private static boolean isUnconditionalCreate(BundleEntryComponent entry) {
        BundleEntryRequestComponent request = entry.getRequest();
        return request.getMethod() == Bundle.HTTPVerb.POST && !request.hasIfNoneExist() && entry.hasResource()
                && entry.getFullUrl() != null && entry.getFullUrl().startsWith(URN_UUID);
    }

    private static String key(Bundle bundle, BundleEntryComponent entry) {
        String timestamp = bundle.hasTimestamp() ? bundle.getTimestampElement().getValueAsString() : "";
        return UUID.nameUUIDFromBytes((entry.getFullUrl() + "|" + timestamp).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static boolean hasIdentifierElement(Base resource) {
        Property identifier = resource.getNamedProperty("identifier");
        return identifier != null && "Identifier".equals(identifier.getTypeCode());
    }
}
