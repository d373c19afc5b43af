package io.carebus.conversion;

import static io.carebus.conversion.Conversions.all;
import static io.carebus.conversion.Conversions.convertSample;
import static io.carebus.conversion.Conversions.one;
import static io.carebus.conversion.Conversions.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.hl7.fhir.r4.model.Account;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/** SIU, VXU, DFT, BAR, MDM, RDE/RDS, ORM/OML, REF, PPR, field by field. */
class OtherFamiliesConversionTest {

    @Test
    void siuBookingBecomesAnAppointment() {
        Bundle b = convertSample("siu_s12.hl7");
        Appointment a = one(b, Appointment.class);
        assertThat(a.getIdentifierFirstRep().getValue()).isEqualTo("APT-1001");                      // SCH-1
        assertThat(a.getStatus().toCode()).isEqualTo("booked");                                       // SCH-25 Booked
        assertThat(a.getStartElement().getValueAsString()).isEqualTo("2025-03-10T14:00:00-05:00");  // SCH-11.4
        assertThat(a.getEndElement().getValueAsString()).isEqualTo("2025-03-10T14:30:00-05:00");    // SCH-11.5
        assertThat(a.getMinutesDuration()).isEqualTo(30);                                              // SCH-9
        assertThat(a.getReasonCode()).extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("ROUTINE", "FOLLOWUP");                                               // SCH-6, SCH-7
        assertThat(a.getServiceTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("99213");      // AIS-3
        assertThat(a.getParticipant()).extracting(p -> resolve(b, p.getActor()).fhirType())
                .contains("Patient", "Practitioner", "Location");                                     // PID, AIP-3, AIL-3
        Location room = all(b, Location.class).stream().filter(l -> l.getAlias().stream()
                .anyMatch(x -> x.getValue().equals("ROOM4"))).findFirst().orElseThrow();              // AIL-3.2
        assertThat(room.getName()).isEqualTo("CLINIC1");
        assertThat(one(convertSample("siu_s15.hl7"), Appointment.class).getStatus().toCode()).isEqualTo("cancelled");  // S15
    }

    @Test
    void vxuBecomesAnImmunization() {
        Immunization i = one(convertSample("vxu_v04.hl7"), Immunization.class);
        assertThat(i.getVaccineCode().getCodingFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/cvx");  // RXA-5.3 CVX
        assertThat(i.getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("08");
        assertThat(i.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2025-04-02T10:00:00-05:00");     // RXA-3
        assertThat(i.getDoseQuantity().getValue()).isEqualByComparingTo("0.5");                        // RXA-6
        assertThat(i.getDoseQuantity().getCode()).isEqualTo("mL");                                     // RXA-7
        assertThat(i.getLotNumber()).isEqualTo("LOT-4471");                                            // RXA-15
        assertThat(i.getExpirationDateElement().getValueAsString()).isEqualTo("2026-01-01");           // RXA-16
        assertThat(i.getManufacturer().getDisplay()).isEqualTo("Merck and Co., Inc.");                // RXA-17
        assertThat(i.getStatus().toCode()).isEqualTo("completed");                                     // RXA-20 CP
        assertThat(i.getPrimarySource()).isTrue();                                                     // RXA-9 00
        assertThat(i.getRoute().getCodingFirstRep().getCode()).isEqualTo("IM");                        // RXR-1
        assertThat(i.getProgramEligibilityFirstRep().getCodingFirstRep().getCode()).isEqualTo("V02");  // OBX 64994-7
    }

    @Test
    void dftBecomesChargeItemsOnTheAccount() {
        Bundle b = convertSample("dft_p03.hl7");
        Account account = one(b, Account.class);
        assertThat(account.getIdentifierFirstRep().getValue()).isEqualTo("ACC1001");                  // PID-18
        var charges = all(b, ChargeItem.class);
        assertThat(charges).hasSize(2);
        ChargeItem visit = charges.get(0);
        assertThat(visit.getIdentifierFirstRep().getValue()).isEqualTo("TX-5001");                    // FT1-2
        assertThat(visit.getCode().getCodingFirstRep().getCode()).isEqualTo("99213");                 // FT1-7
        assertThat(visit.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://www.ama-assn.org/go/cpt");
        assertThat(visit.getPriceOverride().getValue()).isEqualByComparingTo("125.00");               // FT1-11.1.1
        assertThat(visit.getPriceOverride().getCurrency()).isEqualTo("USD");                          // FT1-11.1.2
        assertThat(visit.getQuantity().getValue()).isEqualByComparingTo("1");                         // FT1-10
        assertThat(resolve(b, visit.getAccountFirstRep())).isSameAs(account);
        assertThat(visit.getStatus().toCode()).isEqualTo("billable");
    }

    @Test
    void barBecomesAccountCoverageAndDiagnosis() {
        Bundle b = convertSample("bar_p01.hl7");
        Coverage c = one(b, Coverage.class);
        assertThat(c.getSubscriberId()).isEqualTo("MEM-12345");                                        // IN1-36
        assertThat(c.getClass_().get(0).getValue()).isEqualTo("GRP-500");                              // IN1-8
        assertThat(resolve(b, c.getPayorFirstRep()).fhirType()).isEqualTo("Organization");            // IN1-4
        assertThat(one(b, Account.class).getIdentifierFirstRep().getValue()).isEqualTo("ACC1001");   // PID-18
        assertThat(one(b, Condition.class).getCode().getCodingFirstRep().getCode()).isEqualTo("E11.9");  // DG1-3
    }

    @Test
    void mdmCarriesTheDocumentAsTextOrBase64() {
        DocumentReference text = one(convertSample("mdm_t02.hl7"), DocumentReference.class);
        assertThat(text.getIdentifierFirstRep().getValue()).isEqualTo("DOC-9001");                    // TXA-12
        assertThat(text.getDocStatus().toCode()).isEqualTo("final");                                  // TXA-17 AU
        assertThat(text.getType().getText()).isEqualTo("Consultation note");                          // TXA-2.2
        assertThat(new String(text.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8))
                .isEqualTo("Patient seen for follow-up of diabetes.\nA1c improved to 6.9 & weight stable.\n"
                        + "Plan: continue metformin 500 mg BID.");                                   // OBX-5 TX lines
        DocumentReference pdf = one(convertSample("mdm_t06.hl7"), DocumentReference.class);
        assertThat(pdf.getContentFirstRep().getAttachment().getContentType()).isEqualTo("application/pdf");  // OBX-5 ED
        assertThat(new String(pdf.getContentFirstRep().getAttachment().getData(), StandardCharsets.US_ASCII)).startsWith("%PDF");
    }

    @Test
    void pharmacyOrdersAndDispenses() {
        Bundle b = convertSample("rds_o13.hl7");
        MedicationRequest rx = one(b, MedicationRequest.class);
        assertThat(rx.getMedicationCodeableConcept().getCodingFirstRep().getSystem())
                .isEqualTo("http://www.nlm.nih.gov/research/umls/rxnorm");                            // RXE-2.3 RXNORM
        assertThat(rx.getIdentifierFirstRep().getValue()).isEqualTo("RX-5001");                       // ORC-2
        assertThat(rx.getStatus().toCode()).isEqualTo("completed");                                   // ORC-1 RE
        assertThat(rx.getDosageInstructionFirstRep().getText()).isEqualTo("Take one tablet twice daily with meals");  // RXE-7.2
        assertThat(rx.getDosageInstructionFirstRep().getRoute().getCodingFirstRep().getCode()).isEqualTo("PO");     // RXR-1
        assertThat(rx.getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("60");       // RXE-10
        assertThat(rx.getDispenseRequest().getNumberOfRepeatsAllowed()).isEqualTo(3);                  // RXE-12
        assertThat(resolve(b, rx.getRequester()).fhirType()).isEqualTo("Practitioner");               // ORC-12
        MedicationDispense d = one(b, MedicationDispense.class);
        assertThat(d.getWhenHandedOverElement().getValueAsString()).isEqualTo("2025-03-25T10:30:00-05:00");  // RXD-3
        assertThat(d.getQuantity().getValue()).isEqualByComparingTo("60");                            // RXD-4
        assertThat(resolve(b, d.getAuthorizingPrescriptionFirstRep())).isSameAs(rx);
    }

    @Test
    void labOrdersReferralsAndProblems() {
        ServiceRequest order = one(convertSample("oml_o21_ex1.hl7"), ServiceRequest.class);
        assertThat(order.getIdentifierFirstRep().getValue()).isEqualTo("ORD448811");                  // ORC-2
        assertThat(order.getStatus().toCode()).isEqualTo("active");                                   // ORC-1 NW
        assertThat(order.getIntent().toCode()).isEqualTo("order");
        Bundle ref = convertSample("ref_i12.hl7");
        ServiceRequest referral = one(ref, ServiceRequest.class);
        assertThat(referral.getIdentifierFirstRep().getValue()).isEqualTo("REFID-4401");              // RF1-6
        assertThat(referral.getStatus().toCode()).isEqualTo("draft");                                 // RF1-1 P
        assertThat(referral.getPriority().toCode()).isEqualTo("routine");                             // RF1-2 R
        Practitioner referrer = (Practitioner) resolve(ref, referral.getRequester());
        assertThat(referrer.getIdentifierFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/us-npi");  // PRD-7
        Condition problem = one(convertSample("ppr_pc1.hl7"), Condition.class);
        assertThat(problem.getCode().getCodingFirstRep().getCode()).isEqualTo("44054006");            // PRB-3
        assertThat(problem.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("problem-list-item");
        assertThat(problem.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");    // PRB-14 A
        assertThat(problem.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("confirmed");  // PRB-13 C
        assertThat(problem.getOnsetDateTimeType().getValueAsString()).isEqualTo("2020-01-15");        // PRB-16
        assertThat(one(convertSample("ppr_pc1.hl7"), Patient.class).getIdentifierFirstRep().getValue()).isEqualTo("MRN10001");
    }
}
