package io.carebus.routing.fhirauth;

import java.io.IOException;

/** The {@code Authorization} header a FHIR destination sends on each request to its server. */
public interface DestinationCredentials {

    /** The header's value; may call a token endpoint, whose failure is a delivery failure (retried). */
    String authorization() throws IOException;

    /** The server answered 401 to a request sent with {@code authorization}: a cached token is not used again. */
    default void rejected(String authorization) {
    }
}
