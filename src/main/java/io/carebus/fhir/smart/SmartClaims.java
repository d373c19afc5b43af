package io.carebus.fhir.smart;

/** Claim names of Carebus access tokens beside the registered JWT ones. */
public final class SmartClaims {

    /** RFC 8693 §4.3 / RFC 9068 §2.2 */
    public static final String CLIENT_ID = "client_id";
    /** space-separated granted scopes (RFC 9068 §2.2.3) */
    public static final String SCOPE = "scope";
    /** the patient in context (SMART App Launch 2.x §Launch context) */
    public static final String PATIENT = "patient";
    /** the user's FHIR resource URL, relative to the FHIR base (SMART App Launch 2.x §fhirUser) */
    public static final String FHIR_USER = "fhirUser";

    private SmartClaims() {
    }
}
