package io.carebus.x12.write;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * 278 request (005010X217) from a FHIR Claim with use = preauthorization: the insurer as the UMO (2010A), the
 * provider as the requester (2010B), the patient as the subscriber (2010C), one patient event (2000E: UM*HS*I,
 * the diagnoses in HI) and one service level (2000F: UM, SV1, DTP*472) per Claim.item.
 */
public final class ServicesReviewRequestWriter {

    public static final String VERSION = "005010X217";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

    public void write(Bundle bundle, String originatorId, LocalDateTime now, X12Writer w, String control) {
        FhirBundleIndex index = new FhirBundleIndex(bundle);
        Claim claim = index.first(Claim.class);
        if (claim.getUse() != Claim.Use.PREAUTHORIZATION) {
            throw new X12FhirException("A 278 is written from a Claim with use = preauthorization");
        }
        Patient patient = index.resolve(claim.getPatient(), Patient.class, "Claim.patient");
        Organization provider = index.resolve(claim.getProvider(), Organization.class, "Claim.provider");
        Organization payer = index.resolve(claim.getInsurer(), Organization.class, "Claim.insurer");
        Coverage coverage = index.resolve(claim.getInsuranceFirstRep().getCoverage(), Coverage.class,
                "Claim.insurance.coverage");
        String reference = claim.getIdentifierFirstRep().getValue();
        if (reference == null) {
            throw new X12FhirException("Claim.identifier is required for a 278 (BHT03, TRN02)");
        }
        w.segment("ST", "278", control, VERSION);
        w.segment("BHT", "0007", "13", reference, now.format(DATE), now.format(TIME));
        w.segment("HL", "1", null, "20", "1");
        FhirNames.organization(w, "X3", payer.getName(), "PI",
                FhirNames.identifier(payer.getIdentifier(), X12Codes.PAYER_ID));
        w.segment("HL", "2", "1", "21", "1");
        FhirNames.organization(w, "1P", provider.getName(), "XX", FhirNames.npi(provider));
        w.segment("HL", "3", "2", "22", "1");
        FhirNames.person(w, "IL", patient.getNameFirstRep(), "MI", coverage.getSubscriberId());
        FhirNames.demographics(w, patient);
        // 2000E patient event: UM01 HS health services review, UM02 I elective, UM03 service type, UM04 place
        w.segment("HL", "4", "3", "EV", claim.getItem().isEmpty() ? "0" : "1");
        w.segment("TRN", "1", reference, originatorId);
        String place = claim.getItemFirstRep().getLocationCodeableConcept().getCodingFirstRep().getCode();
        w.segment("UM", "HS", "I", "1", new String[] {place == null ? "11" : place, "B"});
        if (claim.hasBillablePeriod() && claim.getBillablePeriod().hasStart()) {
            w.segment("DTP", "AAH", "D8", X12Codes.d8(claim.getBillablePeriod().getStart()));
        }
        List<Object> hi = new ArrayList<>();
        for (Claim.DiagnosisComponent dx : claim.getDiagnosis()) {
            String code = dx.getDiagnosisCodeableConcept().getCodingFirstRep().getCode();
            hi.add(new String[] {hi.isEmpty() ? "ABK" : "ABF", code.replace(".", "")});
        }
        if (!hi.isEmpty()) {
            w.segment("HI", hi.subList(0, Math.min(12, hi.size())).toArray());
        }
        int hl = 4;
        for (Claim.ItemComponent item : claim.getItem()) {
            w.segment("HL", String.valueOf(++hl), "4", "SS", "0");
            w.segment("TRN", "1", reference + "-" + item.getSequence(), originatorId);
            w.segment("UM", "HS", "I");
            if (item.hasServicedDateType()) {
                w.segment("DTP", "472", "D8", X12Codes.d8(item.getServicedDateType().getValue()));
            }
            String quantity = item.hasQuantity() ? item.getQuantity().getValue().stripTrailingZeros().toPlainString()
                    : "1";
            w.segment("SV1", new String[] {"HC", item.getProductOrService().getCodingFirstRep().getCode()},
                    item.hasNet() || item.hasUnitPrice() ? X12Codes.amount(ProfessionalClaimWriter.lineCharge(item))
                            : null, "UN", quantity);
        }
        w.segment("SE", String.valueOf(w.transactionSegments() + 1), control);
    }
}
