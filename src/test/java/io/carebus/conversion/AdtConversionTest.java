package io.carebus.conversion;

import static io.carebus.conversion.Conversions.all;
import static io.carebus.conversion.Conversions.convert;
import static io.carebus.conversion.Conversions.convertSample;
import static io.carebus.conversion.Conversions.entryOf;
import static io.carebus.conversion.Conversions.one;
import static io.carebus.conversion.Conversions.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

/** ADT → Patient, Encounter and the rest, field by field. */
class AdtConversionTest {

    private static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";

    @Test
    void patientDemographics() {
        Bundle b = convertSample("adt_a03.hl7");
        Patient p = one(b, Patient.class);
        assertThat(p.getMeta().getProfile().get(0).getValue()).isEqualTo(US_CORE + "us-core-patient");
        assertThat(p.getIdentifier().get(0).getValue()).isEqualTo("MRN10003");                       // PID-3.1
        assertThat(p.getIdentifier().get(0).getSystem()).isEqualTo("urn:carebus:id:NORTHCLINIC");     // PID-3.4
        assertThat(p.getIdentifier().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("MR"); // PID-3.5
        assertThat(p.getIdentifier().get(1).getSystem()).isEqualTo("http://hl7.org/fhir/sid/us-ssn"); // PID-3.4 USSSA
        assertThat(p.getNameFirstRep().getFamily()).isEqualTo("O^BRIEN");                             // PID-5.1 with \S\
        assertThat(p.getNameFirstRep().getGivenAsSingleString()).isEqualTo("PATRICK");                // PID-5.2
        assertThat(p.getNameFirstRep().getSuffixAsSingleString()).isEqualTo("JR");                    // PID-5.4
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1960-07-04");               // PID-7
        assertThat(p.getGender().toCode()).isEqualTo("male");                                         // PID-8
        assertThat(p.getAddressFirstRep().getLine()).extracting(Object::toString)
                .containsExactly("9 PINE RD", "APT 2");                                               // PID-11.1, .2
        assertThat(p.getAddressFirstRep().getState()).isEqualTo("IL");                                // PID-11.4
        assertThat(p.getAddressFirstRep().getUse().toCode()).isEqualTo("home");                       // PID-11.7
        assertThat(p.getTelecom()).extracting(t -> t.getSystem().toCode() + ":" + t.getValue())
                .containsExactly("phone:(217)555-0303", "email:pat@example.org");                     // PID-13 repetitions
        assertThat(p.getCommunicationFirstRep().getLanguage().getCodingFirstRep().getCode()).isEqualTo("en");  // PID-15
        assertThat(p.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("W");               // PID-16
        assertThat(p.getDeceasedBooleanType().getValue()).isFalse();                                  // PID-30
    }

    @Test
    void raceAndEthnicityUseTheUsCoreExtensions() {
        Patient p = one(convertSample("adt_a03.hl7"), Patient.class);
        Extension race = p.getExtensionByUrl(US_CORE + "us-core-race");                               // PID-10
        assertThat(((Coding) race.getExtensionByUrl("ombCategory").getValue()).getCode()).isEqualTo("2054-5");
        assertThat(race.getExtensionByUrl("text").getValue().primitiveValue()).isEqualTo("Black or African American");
        Extension ethnicity = p.getExtensionByUrl(US_CORE + "us-core-ethnicity");                     // PID-22
        assertThat(((Coding) ethnicity.getExtensionByUrl("ombCategory").getValue()).getCode()).isEqualTo("2186-5");
    }

    @Test
    void theVisit() {
        Bundle b = convertSample("adt_a03.hl7");
        Encounter e = one(b, Encounter.class);
        assertThat(e.getStatus().toCode()).isEqualTo("finished");                                     // A03, PV1-45
        assertThat(e.getClass_().getCode()).isEqualTo("IMP");                                         // PV1-2 I
        assertThat(e.getIdentifierFirstRep().getValue()).isEqualTo("V1003");                          // PV1-19
        assertThat(e.getPeriod().getStartElement().getValueAsString()).isEqualTo("2025-03-18T08:30:00Z");  // PV1-44, UTC default
        assertThat(e.getPeriod().getEndElement().getValueAsString()).isEqualTo("2025-03-21T16:30:00Z");    // PV1-45
        assertThat(e.getHospitalization().getDischargeDisposition().getCodingFirstRep().getCode()).isEqualTo("01");  // PV1-36
        Practitioner attending = (Practitioner) resolve(b, e.getParticipantFirstRep().getIndividual());  // PV1-7
        assertThat(attending.getIdentifierFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/us-npi");
        assertThat(attending.getNameFirstRep().getFamily()).isEqualTo("PRIMARY");
        assertThat(e.getParticipant()).extracting(x -> x.getTypeFirstRep().getCodingFirstRep().getCode())
                .containsExactly("ATND", "ADM");                                                      // PV1-7, PV1-17
        assertThat(all(b, Practitioner.class)).hasSize(1);                                            // the same NPI once
        assertThat(resolve(b, e.getSubject())).isSameAs(one(b, Patient.class));
        assertThat(entryOf(b, e).getRequest().getUrl()).isEqualTo("Encounter?identifier=urn%3Acarebus%3Aid%3ANORTHCLINIC|V1003");
    }

    @Test
    void allergiesDiagnosesProceduresAndZSegments() {
        Bundle b = convertSample("adt_a03.hl7");
        AllergyIntolerance a = one(b, AllergyIntolerance.class);
        assertThat(a.getCategory().get(0).getValue().toCode()).isEqualTo("medication");             // AL1-2 DA
        assertThat(a.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://www.nlm.nih.gov/research/umls/rxnorm");  // AL1-3.3 RXNORM
        assertThat(a.getCriticality().toCode()).isEqualTo("high");                                    // AL1-4 SV
        assertThat(a.getReactionFirstRep().getManifestationFirstRep().getText()).isEqualTo("Hives"); // AL1-5
        Condition c = one(b, Condition.class);
        assertThat(c.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/icd-10-cm");  // DG1-3.3 I10
        assertThat(c.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("confirmed");   // DG1-6 F
        Procedure pr = one(b, Procedure.class);
        assertThat(pr.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://www.ama-assn.org/go/cpt");  // PR1-3.3 C4
        assertThat(pr.getPerformedDateTimeType().getValueAsString()).isEqualTo("2025-03-18T12:00:00Z");         // PR1-5
        Extension z = c.getExtensionByUrl("http://carebus.io/fhir/StructureDefinition/hl7v2-z-segment");
        assertThat(z).isNull();
        assertThat(pr.getExtensionByUrl("http://carebus.io/fhir/StructureDefinition/hl7v2-z-segment").getValue()
                .primitiveValue()).isEqualTo("ZPV|1|VIP^Very important");                              // ZPV kept whole
    }

    @Test
    void relatedPersonFromNk1() {
        RelatedPerson r = one(convertSample("vxu_v04.hl7"), RelatedPerson.class);
        assertThat(r.getNameFirstRep().getFamily()).isEqualTo("NGUYEN");                             // NK1-2
        assertThat(r.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");      // NK1-3
        assertThat(r.getRelationshipFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0063");                          // HL70063
    }

    @Test
    void aMergeLinksTheOldRecordToTheSurvivor() {
        Bundle b = convertSample("adt_a40.hl7");
        var patients = all(b, Patient.class);
        assertThat(patients).hasSize(2);
        Patient survivor = patients.get(0);
        Patient merged = patients.get(1);
        assertThat(survivor.getIdentifierFirstRep().getValue()).isEqualTo("MRN10001");                // PID-3
        assertThat(merged.getIdentifierFirstRep().getValue()).isEqualTo("MRN99999");                  // MRG-1
        assertThat(merged.getActive()).isFalse();
        assertThat(merged.getLinkFirstRep().getType().toCode()).isEqualTo("replaced-by");
        assertThat(resolve(b, merged.getLinkFirstRep().getOther())).isSameAs(survivor);
    }

    @Test
    void idsAreDeterministicAndEntriesConditional() {
        Bundle first = convertSample("adt_a01_ex1.hl7");
        Bundle second = convertSample("adt_a01_ex1.hl7");
        assertThat(first.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
                .isEqualTo(second.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
        Patient p = one(first, Patient.class);
        assertThat(entryOf(first, p).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entryOf(first, p).getRequest().getUrl()).isEqualTo("Patient?identifier=urn%3Acarebus%3Aid%3AADT1|PATID1234");
        Provenance prov = one(first, Provenance.class);
        assertThat(prov.getTarget()).hasSize(first.getEntry().size() - 1);
        assertThat(prov.getRecordedElement().getValueAsString()).isEqualTo("1988-08-18T11:26:00Z");  // MSH-7
        assertThat(first.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    }

    @Test
    void emptyAndDeleteFieldsAndUnknownSegments() {
        Bundle b = convert("MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A08^ADT_A01|C0-1|P|2.5.1",
                "EVN|A08|20250101120000", "PID|1||P0-1^^^HOSP^MR||DOE^JANE||\"\"|F||||||||\"\"",
                "XYZ|whatever", "PV1|1|O");
        Patient p = one(b, Patient.class);
        assertThat(p.hasBirthDate()).isFalse();                     // PID-7 "" (delete): nothing, the PUT clears it
        assertThat(p.hasMaritalStatus()).isFalse();                 // PID-16 ""
        assertThat(p.getGender().toCode()).isEqualTo("female");
        assertThat(one(b, Encounter.class).getClass_().getCode()).isEqualTo("AMB");   // PV1-2 O; XYZ skipped
    }

    @Test
    void unconvertibleMessagesSayWhy() {
        assertThatThrownBy(() -> Conversions.CONVERTER.convert("not hl7")).isInstanceOf(UnconvertibleMessageException.class)
                .hasMessageContaining("no MSH");
        assertThatThrownBy(() -> convert("MSH|^~\\&|A|B|C|D|20250101||QRY^A19|1|P|2.5"))
                .isInstanceOf(UnconvertibleMessageException.class).hasMessageContaining("No HL7 v2 → FHIR mapping for QRY^A19");
        assertThatThrownBy(() -> convert("MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5", "EVN|A01"))
                .isInstanceOf(UnconvertibleMessageException.class).hasMessageContaining("nothing to convert");
    }
}
