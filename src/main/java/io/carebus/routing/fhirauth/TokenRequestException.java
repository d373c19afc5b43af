package io.carebus.routing.fhirauth;

import java.io.IOException;

/**
 * The token endpoint gave no access token: a delivery failure, retried like a server that is down. The message names
 * the endpoint, the HTTP status and the OAuth error code (RFC 6749 §5.2), never the assertion or a token.
 */
public class TokenRequestException extends IOException {

    public TokenRequestException(String message) {
        super(message);
    }

    public TokenRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
