package io.carebus.x12.write;

import java.math.BigDecimal;
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
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * 837P (005010X222A1) from a FHIR bundle holding a Claim and what it references: the patient (Patient), the
 * coverage (Coverage, whose subscriber may be another Patient), the billing provider and the payer
 * (Organization), the rendering provider (Practitioner in careTeam). One claim per transaction set.
 */
public class ProfessionalClaimWriter {

    public static final String VERSION = "005010X222A1";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

    public void write(Bundle bundle, Submitter submitter, LocalDateTime now, X12Writer w, String control) {
        FhirBundleIndex index = new FhirBundleIndex(bundle);
        Claim claim = index.first(Claim.class);
        Patient patient = index.resolve(claim.getPatient(), Patient.class, "Claim.patient");
        Organization billing = index.resolve(claim.getProvider(), Organization.class, "Claim.provider");
        Organization payer = index.resolve(claim.getInsurer(), Organization.class, "Claim.insurer");
        if (!claim.hasInsurance()) {
            throw new X12FhirException("Claim.insurance is required for an 837");
        }
        Coverage coverage = index.resolve(claim.getInsuranceFirstRep().getCoverage(), Coverage.class,
                "Claim.insurance.coverage");
        String relationship = coverage.getRelationship().getCodingFirstRep().getCode();
        boolean patientIsSubscriber = relationship == null || relationship.equals("self");
        Patient subscriber = patientIsSubscriber ? patient
                : index.resolveOrNull(coverage.getSubscriber(), Patient.class);
        if (subscriber == null) {
            RelatedPerson related = index.resolveOrNull(coverage.getSubscriber(), RelatedPerson.class);
            if (related == null) {
                throw new X12FhirException("Coverage.subscriber must be a Patient or RelatedPerson in the bundle");
            }
            subscriber = new Patient().setName(related.getName()).setBirthDate(related.getBirthDate())
                    .setGender(related.getGender()).setAddress(related.getAddress());
        }
        String claimId = claim.getIdentifierFirstRep().getValue();
        if (claimId == null) {
            throw new X12FhirException("Claim.identifier (CLM01 patient control number) is required");
        }

        w.segment("ST", "837", control, version());
        w.segment("BHT", "0019", "00", claimId, now.format(DATE), now.format(TIME), "CH");
        // 1000A submitter, 1000B receiver
        FhirNames.organization(w, "41", submitter.name(), "46", submitter.id());
        w.segment("PER", "IC", submitter.contactName(), "TE", submitter.contactPhone());
        FhirNames.organization(w, "40", submitter.receiverName(), "46", submitter.receiverId());
        // 2000A billing provider
        w.segment("HL", "1", null, "20", "1");
        FhirNames.organization(w, "85", billing.getName(), "XX", FhirNames.npi(billing));
        FhirNames.address(w, billing.getAddressFirstRep());
        String taxId = FhirNames.identifier(billing.getIdentifier(), X12Codes.TAX_ID);
        if (taxId == null) {
            throw new X12FhirException("The billing provider needs a tax id (" + X12Codes.TAX_ID + ") for REF*EI");
        }
        w.segment("REF", "EI", taxId.replace("-", ""));
        // 2000B subscriber
        w.segment("HL", "2", "1", "22", patientIsSubscriber ? "0" : "1");
        String group = coverage.getClass_().stream()
                .filter(c -> "group".equals(c.getType().getCodingFirstRep().getCode())).map(c -> c.getValue())
                .findFirst().orElse(null);
        // SBR01 P primary, SBR02 18 self when the patient is the subscriber, SBR09 claim filing indicator
        w.segment("SBR", "P", patientIsSubscriber ? "18" : null, group, null, null, null, null, null,
                filingIndicator(coverage));
        FhirNames.person(w, "IL", subscriber.getNameFirstRep(), "MI", coverage.getSubscriberId());
        if (patientIsSubscriber) {
            FhirNames.address(w, subscriber.getAddressFirstRep());
            FhirNames.demographics(w, subscriber);
        }
        String payerId = FhirNames.identifier(payer.getIdentifier(), X12Codes.PAYER_ID);
        FhirNames.organization(w, "PR", payer.getName(), "PI", payerId);
        int hl = 2;
        if (!patientIsSubscriber) {
            // 2000C patient: PAT01 relationship to the insured (01 spouse, 19 child, G8 other)
            w.segment("HL", String.valueOf(++hl), "2", "23", "0");
            w.segment("PAT", switch (relationship) {
                case "spouse" -> "01";
                case "child" -> "19";
                default -> "G8";
            });
            FhirNames.person(w, "QC", patient.getNameFirstRep(), null, null);
            FhirNames.address(w, patient.getAddressFirstRep());
            FhirNames.demographics(w, patient);
        }
        // 2300 claim
        claimInformation(w, claim, claimId, index);
        // 2400 service lines
        int line = 0;
        for (Claim.ItemComponent item : claim.getItem()) {
            w.segment("LX", String.valueOf(++line));
            serviceLine(w, item);
            if (item.hasServicedDateType()) {
                w.segment("DTP", "472", "D8", X12Codes.d8(item.getServicedDateType().getValue()));
            } else if (claim.hasBillablePeriod()) {
                w.segment("DTP", "472", "D8", X12Codes.d8(claim.getBillablePeriod().getStart()));
            } else {
                throw new X12FhirException("Claim.item.servicedDate or Claim.billablePeriod is required (DTP*472)");
            }
        }
        w.segment("SE", String.valueOf(w.transactionSegments() + 1), control);
    }

    /** 837P 2300: CLM, HI, 2310B rendering provider. */
    protected void claimInformation(X12Writer w, Claim claim, String claimId, FhirBundleIndex index) {
        BigDecimal total = BigDecimal.ZERO;
        for (Claim.ItemComponent item : claim.getItem()) {
            total = total.add(lineCharge(item));
        }
        String placeOfService = claim.getItemFirstRep().getLocationCodeableConcept().getCodingFirstRep().getCode();
        w.segment("CLM", claimId, X12Codes.amount(total), null, null,
                new String[] {placeOfService == null ? "11" : placeOfService, "B", "1"}, "Y", "A", "Y", "Y");
        List<Object> hi = new ArrayList<>();
        for (Claim.DiagnosisComponent dx : claim.getDiagnosis()) {
            String code = dx.getDiagnosisCodeableConcept().getCodingFirstRep().getCode();
            // HI01-1 ABK principal diagnosis (ICD-10-CM), ABF other diagnoses; codes without the dot
            hi.add(new String[] {hi.isEmpty() ? "ABK" : "ABF", code.replace(".", "")});
        }
        if (hi.isEmpty()) {
            throw new X12FhirException("Claim.diagnosis is required for an 837P (HI principal diagnosis)");
        }
        w.segment("HI", hi.subList(0, Math.min(12, hi.size())).toArray());
        Practitioner rendering = claim.getCareTeam().stream()
                .map(ct -> index.resolveOrNull(ct.getProvider(), Practitioner.class)).filter(p -> p != null)
                .findFirst().orElse(null);
        if (rendering != null) {
            // 2310B rendering provider
            FhirNames.person(w, "82", rendering.getNameFirstRep(), "XX",
                    FhirNames.identifier(rendering.getIdentifier(), X12Codes.NPI));
        }
    }

    /** The implementation reference written in ST03 (and expected in GS08). */
    protected String version() {
        return VERSION;
    }

    /** 837P 2400 SV1: procedure, charge, unit, quantity, diagnosis pointers. */
    protected void serviceLine(X12Writer w, Claim.ItemComponent item) {
        String[] pointers = item.getDiagnosisSequence().stream().map(PositiveIntType::getValue)
                .map(String::valueOf).limit(4).toArray(String[]::new);
        String quantity = item.hasQuantity() ? item.getQuantity().getValue().stripTrailingZeros().toPlainString()
                : "1";
        w.segment("SV1", new String[] {"HC", item.getProductOrService().getCodingFirstRep().getCode()},
                X12Codes.amount(lineCharge(item)), "UN", quantity, null, null,
                pointers.length == 0 ? new String[] {"1"} : pointers);
    }

    /** SV102 line charge: Claim.item.net, else unitPrice × quantity. */
    static BigDecimal lineCharge(Claim.ItemComponent item) {
        if (item.hasNet()) {
            return item.getNet().getValue();
        }
        if (item.hasUnitPrice()) {
            BigDecimal quantity = item.hasQuantity() ? item.getQuantity().getValue() : BigDecimal.ONE;
            return item.getUnitPrice().getValue().multiply(quantity);
        }
        throw new X12FhirException("Claim.item " + item.getSequence() + " has no net or unitPrice");
    }

    /** SBR09 claim filing indicator from Coverage.type (v3 ActCode): MC Medicaid, MB Medicare Part B, CI commercial. */
    static String filingIndicator(Coverage coverage) {
        String type = coverage.getType().getCodingFirstRep().getCode();
        if (type == null) {
            return "CI";
        }
        return switch (type) {
            case "MCPOL", "SUBSIDIZ" -> "MC";
            case "RETIRE" -> "MB";
            case "HMO" -> "HM";
            case "PPO" -> "12";
            default -> "CI";
        };
    }
}
