package io.carebus.x12.fhir;

import java.util.Date;
import java.util.List;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * 277 (005010X212) and 277CA (005010X214) to FHIR: a ClaimResponse per claim status (2200D / 2200E), with the STC
 * category and status codes, the payer's claim number and the trace number of the 276 or the 837 it answers.
 */
public final class ClaimStatusToFhir {

    public Bundle bundle(X12Transaction t) {
        X12Loop root = t.root();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Parties parties = new Parties(bundle);
        Date created = X12Codes.date(root.value("BHT", 4));
        List<X12Loop> sources = root.descendants("2000A");
        Reference insurer = sources.isEmpty() ? new Reference().setDisplay("payer")
                : parties.organization(sources.get(0).loop("2100A").orElseThrow(), "NM1");
        for (String level : new String[] {"2000D", "2000E"}) {
            String suffix = level.substring(4);
            for (X12Loop patientLevel : root.descendants(level)) {
                X12Loop name = patientLevel.loop("2100" + suffix).orElse(null);
                if (name == null) {
                    continue;
                }
                Reference patient = parties.patient(name);
                for (X12Loop claim : patientLevel.loops("2200" + suffix)) {
                    parties.add(claimResponse(claim, patient, insurer, created));
                }
            }
        }
        return bundle;
    }

    private ClaimResponse claimResponse(X12Loop claim, Reference patient, Reference insurer, Date created) {
        ClaimResponse r = new ClaimResponse();
        r.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
        r.setType(new CodeableConcept(new Coding(X12Codes.CLAIM_TYPE, "professional", null)));
        r.setUse(ClaimResponse.Use.CLAIM);
        r.setPatient(patient);
        r.setCreated(created);
        r.setInsurer(insurer);
        claim.segment("TRN").ifPresent(trn -> r.addIdentifier().setSystem(X12Codes.TRACE_NUMBER)
                .setValue(trn.element(2)));
        // REF*1K payer claim control number, REF*BLT bill type, REF*EJ patient account number
        claim.segment("REF", "1K").ifPresent(ref -> r.addIdentifier().setSystem(X12Codes.PAYER_CLAIM_NUMBER)
                .setValue(ref.element(2)));
        claim.segment("REF", "EJ").ifPresent(ref -> r.addIdentifier().setSystem(X12Codes.PATIENT_CONTROL_NUMBER)
                .setValue(ref.element(2)));
        ClaimResponse.RemittanceOutcome outcome = ClaimResponse.RemittanceOutcome.QUEUED;
        StringBuilder disposition = new StringBuilder();
        for (X12Segment stc : claim.segments("STC")) {
            // STC01-1 claim status category (A* acknowledgement, P* pending, F* finalized, E* error), STC01-2 status
            String category = stc.component(1, 1);
            String status = stc.component(1, 2);
            outcome = outcome(category, outcome);
            r.addProcessNote().setText("STC " + category + ":" + status + " on " + stc.element(2));
            if (disposition.length() > 0) {
                disposition.append("; ");
            }
            disposition.append(category).append(':').append(status);
            if (!stc.element(4).isEmpty()) {
                r.addTotal().setCategory(new CodeableConcept(new Coding(X12Codes.ADJUDICATION, "submitted", null)))
                        .setAmount(X12Codes.usd(stc.element(4)));
            }
            if (!stc.element(5).isEmpty()) {
                r.addTotal().setCategory(new CodeableConcept(new Coding(X12Codes.ADJUDICATION, "benefit", null)))
                        .setAmount(X12Codes.usd(stc.element(5)));
            }
        }
        r.setOutcome(outcome);
        r.setDisposition(disposition.toString());
        return r;
    }

    /** Claim status category code to FHIR outcome: F finalized → complete, A3/A6/A7/A8/E rejected → error. */
    static ClaimResponse.RemittanceOutcome outcome(String category, ClaimResponse.RemittanceOutcome current) {
        if (category.startsWith("F")) {
            return ClaimResponse.RemittanceOutcome.COMPLETE;
        }
        if (category.equals("A3") || category.equals("A6") || category.equals("A7") || category.equals("A8")
                || category.startsWith("E") || category.equals("R")) {
            return ClaimResponse.RemittanceOutcome.ERROR;
        }
        if (category.startsWith("P") || category.equals("A1") || category.equals("A2")) {
            return current == ClaimResponse.RemittanceOutcome.COMPLETE ? current
                    : ClaimResponse.RemittanceOutcome.QUEUED;
        }
        return current;
    }
}
