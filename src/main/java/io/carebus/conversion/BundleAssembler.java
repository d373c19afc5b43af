package io.carebus.conversion;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.mapping.ConversionContext;
import io.carebus.conversion.mapping.ConvertedEntry;
import io.carebus.conversion.mapping.Hl7Timestamps;
import io.carebus.conversion.mapping.ResourceMapping;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * The transaction Bundle: one entry per resource, conditional on its business identifier (PUT
 * {@code Type?identifier=system|value} or POST with ifNoneExist), then the sending organisation (MSH-4) and a
 * Provenance naming every resource, recorded at MSH-7.
 */
final class BundleAssembler {

    static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";
    private static final String PROVENANCE_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    private BundleAssembler() {
    }

    static Bundle assemble(ConversionContext ctx) {
        Er7Message message = ctx.message();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // MSH-10: the bundle is identified by the message it came from
        bundle.setIdentifier(new Identifier().setSystem(ctx.senderSystem() + ":message").setValue(message.controlId()));
        String recorded = Hl7Timestamps.toInstant(message.text(message.msh().field(7)), ctx.settings().defaultZone());
        if (recorded != null) {
            bundle.setTimestampElement(new InstantType(recorded));
        }
        Provenance provenance = new Provenance();
        for (ConvertedEntry e : ctx.entries()) {
            bundle.addEntry(entry(e));
            provenance.addTarget(new Reference(e.fullUrl()));
        }
        ConvertedEntry sender = ctx.latestFrom("MSH");
        String organizationUrl;
        if (sender != null) {
            organizationUrl = sender.fullUrl();
        } else {
            BundleEntryComponent organization = senderOrganization(ctx);
            bundle.addEntry(organization);
            organizationUrl = organization.getFullUrl();
        }
        provenance.getMeta().addProfile(US_CORE + "us-core-provenance");
        provenance.setRecordedElement(recorded != null ? new InstantType(recorded) : InstantType.now());
        provenance.setActivity(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0003",
                message.triggerEvent(), null)).setText(message.messageCode() + "^" + message.triggerEvent()));
        provenance.addAgent()
                .setType(new CodeableConcept(new Coding(PROVENANCE_TYPE, "author", "Author")))
                .setWho(new Reference(organizationUrl));
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference().setIdentifier(bundle.getIdentifier().copy())
                        .setDisplay(message.messageCode() + "^" + message.triggerEvent() + " " + message.controlId()));
        String provenanceUrl = urn("Provenance|" + message.sender() + "|" + message.controlId());
        bundle.addEntry().setFullUrl(provenanceUrl).setResource(provenance).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Provenance");
        return bundle;
    }

    private static BundleEntryComponent entry(ConvertedEntry e) {
        BundleEntryComponent entry = new BundleEntryComponent().setFullUrl(e.fullUrl()).setResource(e.resource());
        String type = e.resource().fhirType();
        Identifier key = e.key();
        if (key == null) {
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type);
        } else if (e.mapping().method() == ResourceMapping.Method.PUT) {
            entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "?" + identifierQuery(key));
        } else {
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type).setIfNoneExist(identifierQuery(key));
        }
        return entry;
    }

    static String identifierQuery(Identifier key) {
        return "identifier=" + encode(key.getSystem()) + "|" + encode(key.getValue());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** MSH-4 (else MSH-3): the organisation that sent the message, the author of the Provenance. */
    private static BundleEntryComponent senderOrganization(ConversionContext ctx) {
        Er7Message message = ctx.message();
        char c = message.delimiters().component();
        String name = message.text(Er7Message.piece(message.msh().field(4), c, 1)).trim();
        if (name.isEmpty()) {
            name = message.text(Er7Message.piece(message.msh().field(3), c, 1)).trim();
        }
        if (name.isEmpty()) {
            name = "unknown sender";
        }
        Organization org = new Organization().setName(name).setActive(true);
        org.getMeta().addProfile(US_CORE + "us-core-organization");
        Identifier id = new Identifier().setSystem(ctx.settings().identifierSystemPrefix() + "facility").setValue(name);
        org.addIdentifier(id);
        BundleEntryComponent entry = new BundleEntryComponent()
                .setFullUrl(urn("Organization|" + id.getSystem() + "|" + name)).setResource(org);
        entry.getRequest().setMethod(HTTPVerb.POST).setUrl("Organization").setIfNoneExist(identifierQuery(id));
        return entry;
    }

    private static String urn(String seed) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }
}
