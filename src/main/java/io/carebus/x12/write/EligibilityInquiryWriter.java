package io.carebus.x12.write;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * 270 (005010X279A1) from a FHIR CoverageEligibilityRequest with its patient, insurer, provider (Organization)
 * and coverage: the patient as the subscriber (2000C), one EQ per item category (X12 service type code), 30 (health
 * benefit plan coverage) when none is given.
 */
public final class EligibilityInquiryWriter {

    public static final String VERSION = "005010X279A1";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

    public void write(Bundle bundle, String originatorId, LocalDateTime now, X12Writer w, String control) {
        FhirBundleIndex index = new FhirBundleIndex(bundle);
        CoverageEligibilityRequest request = index.first(CoverageEligibilityRequest.class);
        Patient patient = index.resolve(request.getPatient(), Patient.class, "CoverageEligibilityRequest.patient");
        Organization payer = index.resolve(request.getInsurer(), Organization.class, "insurer");
        Organization provider = index.resolve(request.getProvider(), Organization.class, "provider");
        Coverage coverage = request.hasInsurance() ? index.resolveOrNull(request.getInsuranceFirstRep().getCoverage(),
                Coverage.class) : null;
        String memberId = coverage != null ? coverage.getSubscriberId()
                : FhirNames.identifier(patient.getIdentifier(), X12Codes.MEMBER_ID);
        if (memberId == null) {
            throw new X12FhirException("A 270 needs the member id (Coverage.subscriberId)");
        }
        String trace = request.getIdentifierFirstRep().getValue() != null ? request.getIdentifierFirstRep().getValue()
                : control;
        w.segment("ST", "270", control, VERSION);
        w.segment("BHT", "0022", "13", trace, now.format(DATE), now.format(TIME));
        w.segment("HL", "1", null, "20", "1");
        FhirNames.organization(w, "PR", payer.getName(), "PI",
                FhirNames.identifier(payer.getIdentifier(), X12Codes.PAYER_ID));
        w.segment("HL", "2", "1", "21", "1");
        FhirNames.organization(w, "1P", provider.getName(), "XX", FhirNames.npi(provider));
        w.segment("HL", "3", "2", "22", "0");
        // TRN02 trace number, TRN03 originating company: 1 followed by its tax id
        w.segment("TRN", "1", trace, originatorId);
        FhirNames.person(w, "IL", patient.getNameFirstRep(), "MI", memberId);
        FhirNames.demographics(w, patient);
        java.util.Date date = request.hasServicedDateType() ? request.getServicedDateType().getValue()
                : request.getCreated();
        if (date != null) {
            w.segment("DTP", "291", "D8", X12Codes.d8(date));
        }
        boolean any = false;
        for (CoverageEligibilityRequest.DetailsComponent item : request.getItem()) {
            String serviceType = item.getCategory().getCodingFirstRep().getCode();
            if (serviceType != null) {
                w.segment("EQ", serviceType);
                any = true;
            }
        }
        if (!any) {
            w.segment("EQ", "30");
        }
        w.segment("SE", String.valueOf(w.transactionSegments() + 1), control);
    }
}
