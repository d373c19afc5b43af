package io.carebus.routing.fhirauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic (RFC 7617 §2): user-id and password, UTF-8. */
final class BasicCredentials implements DestinationCredentials {

    private final String header;

    BasicCredentials(String username, String password) {
        this.header = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String authorization() {
        return header;
    }

    @Override
    public String toString() {
        return "BasicCredentials";
    }
}
