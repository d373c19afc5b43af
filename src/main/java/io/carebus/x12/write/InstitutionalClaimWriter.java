package io.carebus.x12.write;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12FhirException;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Practitioner;

/**
 * 837I (005010X223A2) from the same FHIR bundle as an 837P: CLM05 is the facility type (Claim.subType, first two
 * digits of the bill type, default 13 hospital outpatient) with qualifier A, the statement period (DTP*434 RD8)
 * comes from Claim.billablePeriod or the service dates, CL1 carries the patient status (01 discharged home), the
 * principal diagnosis (HI ABK) and the others (HI ABF) are separate segments, the attending provider is 2310A and
 * the lines are SV2 (revenue code from Claim.item.revenue, default 0510 clinic).
 */
public final class InstitutionalClaimWriter extends ProfessionalClaimWriter {

    public static final String VERSION = "005010X223A2";

    @Override
    protected String version() {
        return VERSION;
    }

    @Override
    protected void claimInformation(X12Writer w, Claim claim, String claimId, FhirBundleIndex index) {
        BigDecimal total = BigDecimal.ZERO;
        Date first = null;
        Date last = null;
        for (Claim.ItemComponent item : claim.getItem()) {
            total = total.add(lineCharge(item));
            Date d = item.hasServicedDateType() ? item.getServicedDateType().getValue() : null;
            if (d != null) {
                first = first == null || d.before(first) ? d : first;
                last = last == null || d.after(last) ? d : last;
            }
        }
        if (claim.hasBillablePeriod() && claim.getBillablePeriod().hasStart()) {
            first = claim.getBillablePeriod().getStart();
            last = claim.getBillablePeriod().hasEnd() ? claim.getBillablePeriod().getEnd() : first;
        }
        if (first == null) {
            throw new X12FhirException("An 837I needs the statement period (Claim.billablePeriod or service dates)");
        }
        String facility = claim.getSubType().getCodingFirstRep().getCode();
        // CLM05: facility type code : A (uniform billing claim form bill type) : claim frequency; CLM06 not used
        w.segment("CLM", claimId, X12Codes.amount(total), null, null,
                new String[] {facility == null ? "13" : facility, "A", "1"}, null, "A", "Y", "Y");
        w.segment("DTP", "434", "RD8", X12Codes.d8(first) + "-" + X12Codes.d8(last));
        // CL1 institutional claim code: CL103 patient status 01 discharged to home or self care
        w.segment("CL1", null, null, "01");
        List<String> codes = new ArrayList<>();
        for (Claim.DiagnosisComponent dx : claim.getDiagnosis()) {
            codes.add(dx.getDiagnosisCodeableConcept().getCodingFirstRep().getCode().replace(".", ""));
        }
        if (codes.isEmpty()) {
            throw new X12FhirException("Claim.diagnosis is required for an 837I (HI principal diagnosis)");
        }
        w.segment("HI", (Object) new String[] {"ABK", codes.get(0)});
        if (codes.size() > 1) {
            List<Object> others = new ArrayList<>();
            for (String code : codes.subList(1, Math.min(13, codes.size()))) {
                others.add(new String[] {"ABF", code});
            }
            w.segment("HI", others.toArray());
        }
        Practitioner attending = claim.getCareTeam().stream()
                .map(ct -> index.resolveOrNull(ct.getProvider(), Practitioner.class)).filter(p -> p != null)
                .findFirst().orElse(null);
        if (attending != null) {
            // 2310A attending provider
            FhirNames.person(w, "71", attending.getNameFirstRep(), "XX",
                    FhirNames.identifier(attending.getIdentifier(), X12Codes.NPI));
        }
    }

    @Override
    protected void serviceLine(X12Writer w, Claim.ItemComponent item) {
        String revenue = item.getRevenue().getCodingFirstRep().getCode();
        String units = item.hasQuantity() ? item.getQuantity().getValue().stripTrailingZeros().toPlainString() : "1";
        // SV201 revenue code, SV202 HC:<procedure>, SV203 charge, SV204 UN, SV205 units
        w.segment("SV2", revenue == null ? "0510" : revenue,
                new String[] {"HC", item.getProductOrService().getCodingFirstRep().getCode()},
                X12Codes.amount(lineCharge(item)), "UN", units);
    }
}
