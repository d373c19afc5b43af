package io.carebus.x12.fhir;

import java.util.UUID;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** People and organizations named in X12 NM1 / N1 loops, as FHIR resources in a bundle. */
final class Parties {

    private final Bundle bundle;

    Parties(Bundle bundle) {
        this.bundle = bundle;
    }

    /** Adds a resource with a urn:uuid full URL and returns a reference to it. */
    Reference add(Resource resource) {
        String id = UUID.randomUUID().toString();
        resource.setId(id);
        bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(resource);
        return new Reference("urn:uuid:" + id);
    }

    /** X12 NM1 (NM103 last or organization name, NM104 first, NM105 middle, NM108/NM109 id) as a Patient. */
    Reference patient(X12Loop nameLoop) {
        X12Segment nm1 = nameLoop.segment("NM1").orElseThrow();
        Patient patient = new Patient();
        HumanName name = patient.addName().setFamily(nm1.element(3));
        if (!nm1.element(4).isEmpty()) {
            name.addGiven(nm1.element(4));
        }
        if (!nm1.element(5).isEmpty()) {
            name.addGiven(nm1.element(5));
        }
        if (!nm1.element(9).isEmpty()) {
            patient.addIdentifier().setSystem(X12Codes.MEMBER_ID).setValue(nm1.element(9));
        }
        address(nameLoop, patient.addAddress());
        nameLoop.segment("DMG").ifPresent(dmg -> {
            patient.setBirthDate(X12Codes.date(dmg.element(2)));
            patient.setGender(X12Codes.gender(dmg.element(3)));
        });
        if (patient.getAddressFirstRep().isEmpty()) {
            patient.setAddress(null);
        }
        return add(patient);
    }

    /** X12 NM1 or N1 of an organization (payer, provider) as an Organization. */
    Reference organization(X12Loop loop, String segmentId) {
        X12Segment s = loop.segment(segmentId).orElseThrow();
        Organization org = new Organization();
        boolean n1 = segmentId.equals("N1");
        String name = n1 ? s.element(2) : s.element(3);
        String qualifier = n1 ? s.element(3) : s.element(8);
        String id = n1 ? s.element(4) : s.element(9);
        org.setName(name.isEmpty() ? null : name);
        if (!id.isEmpty()) {
            org.addIdentifier().setSystem(qualifier.equals("XX") ? X12Codes.NPI
                    : qualifier.equals("FI") ? X12Codes.TAX_ID : X12Codes.PAYER_ID).setValue(id);
        }
        Address address = new Address();
        address(loop, address);
        if (!address.isEmpty()) {
            org.addAddress(address);
        }
        return add(org);
    }

    /** X12 N3 (street) and N4 (city, state, postal code, country). */
    static void address(X12Loop loop, Address address) {
        loop.segment("N3").ifPresent(n3 -> {
            address.addLine(n3.element(1));
            if (!n3.element(2).isEmpty()) {
                address.addLine(n3.element(2));
            }
        });
        loop.segment("N4").ifPresent(n4 -> {
            address.setCity(n4.element(1));
            address.setState(n4.element(2).isEmpty() ? null : n4.element(2));
            address.setPostalCode(n4.element(3).isEmpty() ? null : n4.element(3));
            address.setCountry(n4.element(4).isEmpty() ? null : n4.element(4));
        });
    }
}
