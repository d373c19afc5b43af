package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SMART discovery (SMART App Launch 2.x §Conformance, {@code /.well-known/smart-configuration}; also answered
 * under the FHIR base) and the server's public keys.
 */
@ConditionalOnFhirServer
@RestController
public class SmartConfigurationEndpoint {

    public static final String WELL_KNOWN = "/.well-known/smart-configuration";
    public static final String FHIR_WELL_KNOWN = SmartUrls.FHIR + WELL_KNOWN;

    /** What is built, no more (no OpenID Connect: no sso-openid-connect, no openid/fhirUser scopes). */
    static final List<String> CAPABILITIES = List.of("launch-standalone", "client-public",
            "client-confidential-asymmetric", "context-standalone-patient", "permission-offline", "permission-online",
            "permission-patient", "permission-user", "permission-v1", "permission-v2");

    private final SmartUrls urls;
    private final SmartSigningKey key;

    public SmartConfigurationEndpoint(SmartUrls urls, SmartSigningKey key) {
        this.urls = urls;
        this.key = key;
    }

    @GetMapping(path = {WELL_KNOWN, FHIR_WELL_KNOWN}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> configuration() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("issuer", urls.issuer());
        c.put("jwks_uri", urls.jwksUri());
        c.put("authorization_endpoint", urls.authorizeEndpoint());
        c.put("token_endpoint", urls.tokenEndpoint());
        c.put("registration_endpoint", urls.registrationEndpoint());
        c.put("introspection_endpoint", urls.introspectionEndpoint());
        c.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
        c.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "none"));
        c.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        c.put("scopes_supported", List.of("launch/patient", "offline_access", "online_access",
                "patient/*.rs", "patient/*.cruds", "patient/*.read", "patient/*.write", "patient/*.*",
                "user/*.rs", "user/*.cruds", "user/*.read", "user/*.write", "user/*.*",
                "system/*.rs", "system/*.cruds", "system/*.read", "system/*.write", "system/*.*"));
        c.put("response_types_supported", List.of("code"));
        c.put("code_challenge_methods_supported", List.of("S256"));
        c.put("capabilities", CAPABILITIES);
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5))).body(c);
    }

    @GetMapping(path = SmartUrls.JWKS, produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> jwks() {
        return key.publicJwks().toJSONObject(true);
    }
}
