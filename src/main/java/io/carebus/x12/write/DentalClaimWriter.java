package io.carebus.x12.write;

import io.carebus.x12.fhir.X12Codes;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.PositiveIntType;

/**
 * 837D (005010X224A2) from the same FHIR bundle as an 837P: the service lines are SV3 (ADA CDT procedure, qualifier
 * AD) with TOO (tooth number, JP universal numbering, from Claim.item.bodySite) and surfaces (Claim.item.subSite).
 */
public final class DentalClaimWriter extends ProfessionalClaimWriter {

    public static final String VERSION = "005010X224A2";

    @Override
    protected String version() {
        return VERSION;
    }

    @Override
    protected void serviceLine(X12Writer w, Claim.ItemComponent item) {
        String[] pointers = item.getDiagnosisSequence().stream().map(PositiveIntType::getValue)
                .map(String::valueOf).limit(4).toArray(String[]::new);
        String count = item.hasQuantity() ? item.getQuantity().getValue().stripTrailingZeros().toPlainString() : "1";
        // SV301 AD:<CDT code>, SV302 charge, SV306 procedure count, SV311 diagnosis pointers
        w.segment("SV3", new String[] {"AD", item.getProductOrService().getCodingFirstRep().getCode()},
                X12Codes.amount(lineCharge(item)), null, null, null, count, null, null, null, null,
                pointers.length == 0 ? null : pointers);
        if (item.hasBodySite()) {
            String[] surfaces = item.getSubSite().stream().map(CodeableConcept::getCodingFirstRep)
                    .map(c -> c.getCode()).limit(5).toArray(String[]::new);
            w.segment("TOO", "JP", item.getBodySite().getCodingFirstRep().getCode(),
                    surfaces.length == 0 ? null : surfaces);
        }
    }
}
