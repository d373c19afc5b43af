package io.carebus.x12.fhir;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;

import org.hl7.fhir.r4.model.Money;

/** Code systems and value conversions shared by the X12 ↔ FHIR mappings. */
public final class X12Codes {

    private X12Codes() {
    }

    /** X12 external code lists, as the Da Vinci and CARIN implementation guides name them. */
    public static final String CARC = "https://x12.org/codes/claim-adjustment-reason-codes";
    public static final String CAS_GROUP = "https://x12.org/codes/claim-adjustment-group-codes";
    public static final String SERVICE_TYPE = "https://x12.org/codes/service-type-codes";
    public static final String CLAIM_STATUS_CATEGORY = "https://x12.org/codes/claim-status-category-codes";
    public static final String CLAIM_STATUS = "https://x12.org/codes/claim-status-codes";
    public static final String AAA_REJECT_REASON = "https://x12.org/codes/reject-reason-codes";
    public static final String ELIGIBILITY_BENEFIT = "https://x12.org/codes/eligibility-or-benefit-information-codes";
    public static final String INSURANCE_TYPE = "https://x12.org/codes/insurance-line-codes";
    public static final String ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication";
    public static final String CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type";
    public static final String PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/payment-type";
    public static final String SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship";
    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    public static final String HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    public static final String TAX_ID = "urn:oid:2.16.840.1.113883.4.4";
    /** Identifiers a payer or a submitter assigns, for which no public system exists. */
    public static final String MEMBER_ID = "urn:carebus:x12:member-id";
    public static final String PAYER_ID = "urn:carebus:x12:payer-id";
    public static final String PATIENT_CONTROL_NUMBER = "urn:carebus:x12:patient-control-number";
    public static final String PAYER_CLAIM_NUMBER = "urn:carebus:x12:payer-claim-control-number";
    public static final String TRACE_NUMBER = "urn:carebus:x12:trace-number";

    private static final DateTimeFormatter D8 = DateTimeFormatter.BASIC_ISO_DATE;

    /** X12 D8 CCYYMMDD to a date, null when empty or malformed. */
    public static Date date(String ccyymmdd) {
        LocalDate d = localDate(ccyymmdd);
        return d == null ? null : Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public static LocalDate localDate(String ccyymmdd) {
        if (ccyymmdd == null || ccyymmdd.length() < 8) {
            return null;
        }
        try {
            return LocalDate.parse(ccyymmdd.substring(0, 8), D8);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public static String d8(Date date) {
        return date.toInstant().atZone(ZoneOffset.UTC).toLocalDate().format(D8);
    }

    public static Money usd(String amount) {
        Money m = new Money();
        m.setCurrency("USD");
        m.setValue(amount == null || amount.isEmpty() ? BigDecimal.ZERO : new BigDecimal(amount));
        return m;
    }

    /** An amount as X12 R: no trailing zeros beyond cents, no exponent. */
    public static String amount(BigDecimal value) {
        return value.setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** X12 DMG03 / 837 gender to FHIR administrative gender. */
    public static org.hl7.fhir.r4.model.Enumerations.AdministrativeGender gender(String code) {
        return switch (code) {
            case "F" -> org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE;
            case "M" -> org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE;
            default -> org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.UNKNOWN;
        };
    }

    public static String gender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender gender) {
        if (gender == null) {
            return "U";
        }
        return switch (gender) {
            case FEMALE -> "F";
            case MALE -> "M";
            default -> "U";
        };
    }
}
