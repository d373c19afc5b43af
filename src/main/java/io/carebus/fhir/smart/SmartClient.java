package io.carebus.fhir.smart;

import java.util.List;

/**
 * A registered SMART client, from config/smart.yaml or RFC 7591 dynamic registration.
 *
 * @param jwks    inline JWKS JSON (public keys), or null
 * @param jwksUri where the client publishes its JWKS, or null
 * @param scopes  the most the client may be granted
 * @param grantTypes the OAuth grant types the client registered (RFC 7591 §2 grant_types); empty for clients of
 *                config/smart.yaml, which may use every grant their type allows
 */
public record SmartClient(String clientId, String name, Type type, List<String> redirectUris, String jwks,
                          String jwksUri, SmartScopes scopes, List<String> grantTypes) {

    public enum Type {
        /** no client authentication (token_endpoint_auth_method none): apps that cannot keep a secret */
        PUBLIC("public"),
        /** private_key_jwt: authenticates with an assertion signed by a key of its JWKS */
        CONFIDENTIAL_ASYMMETRIC("confidential-asymmetric");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Type of(String text) {
            for (Type t : values()) {
                if (t.text.equalsIgnoreCase(text) || t.name().equalsIgnoreCase(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("client type must be public or confidential-asymmetric: " + text);
        }
    }

    public SmartClient {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
    }

    /** A client of config/smart.yaml: every grant its type allows. */
    public SmartClient(String clientId, String name, Type type, List<String> redirectUris, String jwks,
                       String jwksUri, SmartScopes scopes) {
        this(clientId, name, type, redirectUris, jwks, jwksUri, scopes, List.of());
    }

    /**
     * True if the client registered {@code grantType}. A refresh token is only ever issued from an authorization
     * code, so a client registered for {@code authorization_code} may also use {@code refresh_token}.
     */
    public boolean allowsGrant(String grantType) {
        if (grantTypes.isEmpty() || grantTypes.contains(grantType)) {
            return true;
        }
        return "refresh_token".equals(grantType) && grantTypes.contains("authorization_code");
    }

    public boolean isPublic() {
        return type == Type.PUBLIC;
    }
}
