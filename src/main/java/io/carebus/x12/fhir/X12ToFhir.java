package io.carebus.x12.fhir;

import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.r4.model.Bundle;

/** Picks the FHIR mapping for a transaction set: 835, 271, 277 / 277CA, 834, 278 response. */
public final class X12ToFhir {

    private final RemittanceToFhir remittance = new RemittanceToFhir();
    private final EligibilityToFhir eligibility = new EligibilityToFhir();
    private final ClaimStatusToFhir claimStatus = new ClaimStatusToFhir();
    private final EnrollmentToFhir enrollment = new EnrollmentToFhir();
    private final ServicesReviewToFhir servicesReview = new ServicesReviewToFhir();

    public boolean supports(String transactionSet) {
        return switch (transactionSet) {
            case "835", "271", "277", "834", "278" -> true;
            default -> false;
        };
    }

    public Bundle bundle(X12Transaction t) {
        return switch (t.transactionSet()) {
            case "835" -> remittance.bundle(t);
            case "271" -> eligibility.bundle(t);
            case "277" -> claimStatus.bundle(t);
            case "834" -> enrollment.bundle(t);
            case "278" -> servicesReview.bundle(t);
            default -> throw new X12FhirException("No FHIR mapping for X12 " + t.transactionSet());
        };
    }

    public RemittanceToFhir remittance() {
        return remittance;
    }
}
