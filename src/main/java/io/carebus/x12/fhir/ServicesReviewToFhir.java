package io.carebus.x12.fhir;

import java.util.Date;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * 278 response (005010X217) to FHIR: a ClaimResponse with use = preauthorization for the patient event (2000E),
 * HCR01 as the outcome, HCR02 as preAuthRef, one item per service level (2000F) with its own decision; AAA
 * rejections as errors.
 */
public final class ServicesReviewToFhir {

    /** Review outcome code list of the CARIN / Da Vinci PAS guides for HCR01. */
    public static final String REVIEW_ACTION = "https://codesystem.x12.org/005010/306";

    public Bundle bundle(X12Transaction t) {
        X12Loop root = t.root();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Parties parties = new Parties(bundle);
        Date created = X12Codes.date(root.value("BHT", 4));
        X12Loop umo = root.loop("2000A").orElseThrow(() -> new X12FhirException("278 without 2000A"));
        Reference insurer = parties.organization(umo.loop("2010A").orElseThrow(), "NM1");
        Reference requestor = umo.descendants("2010B").stream().findFirst()
                .map(l -> parties.organization(l, "NM1")).orElse(null);
        X12Loop subscriber = umo.descendants("2000C").stream().findFirst().orElse(null);
        X12Loop dependent = umo.descendants("2000D").stream().findFirst().orElse(null);
        X12Loop patientName = dependent != null ? dependent.loop("2010D").orElse(null)
                : subscriber == null ? null : subscriber.loop("2010C").orElse(null);
        Reference patient = patientName == null ? new Reference().setDisplay("not identified")
                : parties.patient(patientName);
        for (X12Loop event : umo.descendants("2000E")) {
            ClaimResponse r = new ClaimResponse();
            r.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
            r.setType(new CodeableConcept(new Coding(X12Codes.CLAIM_TYPE, "professional", null)));
            r.setUse(ClaimResponse.Use.PREAUTHORIZATION);
            r.setPatient(patient);
            r.setCreated(created);
            r.setInsurer(insurer);
            if (requestor != null) {
                r.setRequestor(requestor);
            }
            event.segments("TRN").forEach(trn -> r.addIdentifier().setSystem(X12Codes.TRACE_NUMBER)
                    .setValue(trn.element(2)));
            X12Segment hcr = event.segment("HCR").orElse(null);
            r.setOutcome(hcr == null ? ClaimResponse.RemittanceOutcome.QUEUED : outcome(hcr.element(1)));
            if (hcr != null) {
                r.setDisposition("HCR " + hcr.element(1) + (hcr.element(3).isEmpty() ? "" : " " + hcr.element(3)));
                if (!hcr.element(2).isEmpty()) {
                    r.setPreAuthRef(hcr.element(2));
                }
            }
            for (X12Segment aaa : umo.allSegments()) {
                if (aaa.id().equals("AAA")) {
                    r.addError().setCode(new CodeableConcept(new Coding(X12Codes.AAA_REJECT_REASON,
                            aaa.element(3), null)));
                    r.setOutcome(ClaimResponse.RemittanceOutcome.ERROR);
                }
            }
            int sequence = 0;
            for (X12Loop service : event.loops("2000F")) {
                sequence++;
                X12Segment serviceHcr = service.segment("HCR").orElse(hcr);
                ClaimResponse.ItemComponent item = r.addItem().setItemSequence(sequence);
                item.addAdjudication().setCategory(new CodeableConcept(new Coding(X12Codes.ADJUDICATION,
                        "submitted", null)).setText("review decision"))
                        .setReason(serviceHcr == null ? null : new CodeableConcept(new Coding(REVIEW_ACTION,
                                serviceHcr.element(1), null)));
            }
            parties.add(r);
        }
        return bundle;
    }

    /** HCR01: A1 certified in total, A2 certified partial, A3 not certified, A4 pended, A6 modified, C cancelled. */
    static ClaimResponse.RemittanceOutcome outcome(String action) {
        return switch (action) {
            case "A1", "C", "NA" -> ClaimResponse.RemittanceOutcome.COMPLETE;
            case "A2", "A6" -> ClaimResponse.RemittanceOutcome.PARTIAL;
            case "A3" -> ClaimResponse.RemittanceOutcome.ERROR;
            default -> ClaimResponse.RemittanceOutcome.QUEUED;
        };
    }
}
