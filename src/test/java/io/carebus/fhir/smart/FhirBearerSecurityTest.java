package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;

/** /fhir/** wants a bearer token issued here (or an ENGINEER); discovery and the capability statement are public. */
class FhirBearerSecurityTest extends SmartHttpTestBase {

    @Test
    void noTokenIs401WithABearerChallenge() {
        HttpResponse<String> r = get("/fhir/Patient");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).anySatisfy(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void aValidTokenIsLetThrough() {
        HttpResponse<String> r = get("/fhir/Patient", "Authorization", "Bearer " + backendToken("system/Patient.rs"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void engineerBasicAuthIsLetThrough() {
        assertThat(get("/fhir/Patient", "Authorization", engineer()).statusCode()).isEqualTo(200);
        assertThat(get("/fhir/Patient", "Authorization", basic("engineer", "wrong")).statusCode()).isEqualTo(401);
    }

    @Test
    void tokensNotIssuedHereAreRefused() {
        // signed by a client key, not the server's
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(base()).subject("x").audience(fhirBase())
                .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(60)))
                .claim("scope", "system/*.rs").build();
        String forged = sign(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS256, claims);
        assertThat(get("/fhir/Patient", "Authorization", "Bearer " + forged).statusCode()).isEqualTo(401);
        assertThat(get("/fhir/Patient", "Authorization", "Bearer garbage").statusCode()).isEqualTo(401);
        // a client assertion is not an access token
        String assertion = assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, SmartTestClients.BACKEND);
        assertThat(get("/fhir/Patient", "Authorization", "Bearer " + assertion).statusCode()).isEqualTo(401);
    }

    @Test
    void discoveryIsPublicAtTheRootAndUnderTheFhirBase() {
        for (String path : new String[] {"/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            JsonNode c = json(r);
            assertThat(c.get("token_endpoint").asText()).isEqualTo(tokenEndpoint());
            assertThat(c.get("authorization_endpoint").asText()).isEqualTo(base() + "/auth/authorize");
            assertThat(c.get("registration_endpoint").asText()).isEqualTo(base() + "/auth/register");
            assertThat(c.get("introspection_endpoint").asText()).isEqualTo(base() + "/auth/introspect");
            assertThat(c.get("jwks_uri").asText()).isEqualTo(base() + "/auth/jwks");
            assertThat(c.get("token_endpoint_auth_methods_supported").toString()).isEqualTo("[\"private_key_jwt\",\"none\"]");
            assertThat(c.get("token_endpoint_auth_signing_alg_values_supported").toString()).isEqualTo("[\"RS384\",\"ES384\"]");
            assertThat(c.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
            assertThat(c.get("grant_types_supported").toString()).contains("client_credentials", "authorization_code");
            assertThat(c.get("capabilities").toString()).contains("launch-standalone", "client-confidential-asymmetric",
                    "permission-v2").doesNotContain("sso-openid-connect");
        }
    }

    @Test
    void serverKeysArePublishedWithoutPrivateParts() {
        HttpResponse<String> r = get("/auth/jwks");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode key = json(r).get("keys").get(0);
        assertThat(key.get("kid").asText()).isNotBlank();
        assertThat(key.has("d")).isFalse();
    }
}
