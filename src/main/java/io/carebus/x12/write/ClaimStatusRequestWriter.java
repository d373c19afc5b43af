package io.carebus.x12.write;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * 276 (005010X212) asking the status of a claim already sent, from the same FHIR bundle as its 837: payer (2100A),
 * submitter (2100B), billing provider (2100C), subscriber and claim (2000D / 2200D: TRN, REF*EJ, AMT*T3, DTP*472).
 */
public final class ClaimStatusRequestWriter {

    public static final String VERSION = "005010X212";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

    public void write(Bundle bundle, Submitter submitter, LocalDateTime now, X12Writer w, String control) {
        FhirBundleIndex index = new FhirBundleIndex(bundle);
        Claim claim = index.first(Claim.class);
        Patient patient = index.resolve(claim.getPatient(), Patient.class, "Claim.patient");
        Organization provider = index.resolve(claim.getProvider(), Organization.class, "Claim.provider");
        Organization payer = index.resolve(claim.getInsurer(), Organization.class, "Claim.insurer");
        Coverage coverage = index.resolve(claim.getInsuranceFirstRep().getCoverage(), Coverage.class,
                "Claim.insurance.coverage");
        String claimId = claim.getIdentifierFirstRep().getValue();
        if (claimId == null) {
            throw new X12FhirException("Claim.identifier is required for a 276");
        }
        w.segment("ST", "276", control, VERSION);
        w.segment("BHT", "0010", "13", claimId, now.format(DATE), now.format(TIME));
        w.segment("HL", "1", null, "20", "1");
        FhirNames.organization(w, "PR", payer.getName(), "PI",
                FhirNames.identifier(payer.getIdentifier(), X12Codes.PAYER_ID));
        w.segment("HL", "2", "1", "21", "1");
        FhirNames.organization(w, "41", submitter.name(), "46", submitter.id());
        w.segment("HL", "3", "2", "19", "1");
        FhirNames.organization(w, "1P", provider.getName(), "XX", FhirNames.npi(provider));
        w.segment("HL", "4", "3", "22", "0");
        FhirNames.demographics(w, patient);
        FhirNames.person(w, "IL", patient.getNameFirstRep(), "MI", coverage.getSubscriberId());
        // 2200D: TRN02 our trace number, REF*EJ patient control number (CLM01), AMT*T3 total charge
        w.segment("TRN", "1", claimId);
        w.segment("REF", "EJ", claimId);
        BigDecimal total = BigDecimal.ZERO;
        Date first = null;
        Date last = null;
        for (Claim.ItemComponent item : claim.getItem()) {
            total = total.add(ProfessionalClaimWriter.lineCharge(item));
            Date d = item.hasServicedDateType() ? item.getServicedDateType().getValue() : null;
            if (d != null) {
                first = first == null || d.before(first) ? d : first;
                last = last == null || d.after(last) ? d : last;
            }
        }
        w.segment("AMT", "T3", X12Codes.amount(total));
        if (first != null) {
            if (first.equals(last)) {
                w.segment("DTP", "472", "D8", X12Codes.d8(first));
            } else {
                w.segment("DTP", "472", "RD8", X12Codes.d8(first) + "-" + X12Codes.d8(last));
            }
        }
        w.segment("SE", String.valueOf(w.transactionSegments() + 1), control);
    }
}
