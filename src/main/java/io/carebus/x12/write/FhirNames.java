package io.carebus.x12.write;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/** X12 NM1 / N3 / N4 / DMG segments from FHIR names, identifiers and addresses. */
final class FhirNames {

    private FhirNames() {
    }

    static String identifier(java.util.List<Identifier> identifiers, String system) {
        return identifiers.stream().filter(i -> system.equals(i.getSystem())).map(Identifier::getValue).findFirst()
                .orElse(null);
    }

    static String npi(Organization org) {
        String npi = identifier(org.getIdentifier(), X12Codes.NPI);
        if (npi == null) {
            throw new X12FhirException("Organization " + org.getName() + " has no NPI (" + X12Codes.NPI + ")");
        }
        return npi;
    }

    /** NM1 of a person: NM102 1, NM103 last, NM104 first, NM105 middle, NM108/NM109 id. */
    static void person(X12Writer w, String entity, HumanName name, String idQualifier, String id) {
        String middle = name.getGiven().size() > 1 ? name.getGiven().get(1).getValue() : null;
        w.segment("NM1", entity, "1", name.getFamily(), name.getGivenAsSingleString().isEmpty() ? null
                : name.getGiven().get(0).getValue(), middle, null, null, id == null ? null : idQualifier, id);
    }

    /** NM1 of an organization: NM102 2, NM103 name, NM108/NM109 id. */
    static void organization(X12Writer w, String entity, String name, String idQualifier, String id) {
        w.segment("NM1", entity, "2", name, null, null, null, null, idQualifier, id);
    }

    static void address(X12Writer w, Address a) {
        if (a == null || a.isEmpty()) {
            return;
        }
        w.segment("N3", a.getLine().isEmpty() ? null : a.getLine().get(0).getValue(),
                a.getLine().size() > 1 ? a.getLine().get(1).getValue() : null);
        w.segment("N4", a.getCity(), a.getState(), a.getPostalCode() == null ? null
                : a.getPostalCode().replace("-", ""));
    }

    static void demographics(X12Writer w, Patient p) {
        if (p.hasBirthDate()) {
            w.segment("DMG", "D8", X12Codes.d8(p.getBirthDate()), X12Codes.gender(p.getGender()));
        }
    }
}
