package io.carebus.fhir.smart;

/**
 * What an access token is issued for: the client, the user (null for a backend service), the patient in context
 * (null when none) and the granted scopes.
 */
public record SmartGrant(String clientId, String username, String fhirUser, String patient, SmartScopes scopes) {

    /** The token's sub: the user, or the client itself for a backend service. */
    public String subject() {
        return username != null ? username : clientId;
    }
}
