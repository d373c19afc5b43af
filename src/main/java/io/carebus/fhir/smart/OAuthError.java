package io.carebus.fhir.smart;

import org.springframework.http.HttpStatus;

/**
 * An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7591 §3.2.2): the error code, a description for the client
 * (never secrets, tokens or PHI) and the HTTP status.
 */
public class OAuthError extends RuntimeException {

    private final String error;
    private final HttpStatus status;

    public OAuthError(String error, String description, HttpStatus status) {
        super(description);
        this.error = error;
        this.status = status;
    }

    /** RFC 6749 §5.2: client authentication failed; 401. */
    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, HttpStatus.UNAUTHORIZED);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, HttpStatus.BAD_REQUEST);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, HttpStatus.BAD_REQUEST);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description, HttpStatus.BAD_REQUEST);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description, HttpStatus.BAD_REQUEST);
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", description, HttpStatus.BAD_REQUEST);
    }

    public String error() { return error; }
    public HttpStatus status() { return status; }
}
