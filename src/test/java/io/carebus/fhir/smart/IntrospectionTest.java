package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection: for an ENGINEER or a confidential client, nobody else. */
class IntrospectionTest extends SmartHttpTestBase {

    @Test
    void engineerSeesAnActiveTokensClaims() {
        String token = backendToken("system/Patient.rs");
        HttpResponse<String> r = postForm("/auth/introspect", Map.of("token", token), "Authorization", engineer());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("scope").asText()).isEqualTo("system/Patient.rs");
        assertThat(body.get("client_id").asText()).isEqualTo(SmartTestClients.BACKEND);
        assertThat(body.get("exp").asLong()).isPositive();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.has("patient")).isFalse();
    }

    @Test
    void confidentialClientMayIntrospect() {
        String token = backendToken("system/*.rs");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion(SmartTestClients.BACKEND_EC_KEY, JWSAlgorithm.ES384, SmartTestClients.BACKEND));
        HttpResponse<String> r = postForm("/auth/introspect", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("active").asBoolean()).isTrue();
    }

    @Test
    void invalidTokenIsInactive() {
        String token = backendToken("system/*.rs");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        for (String t : new String[] {"garbage", tampered}) {
            HttpResponse<String> r = postForm("/auth/introspect", Map.of("token", t), "Authorization", engineer());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).toString()).isEqualTo("{\"active\":false}");
        }
    }

    @Test
    void aLiveRefreshTokenIsActiveAndAUsedOneIsNot() {
        JsonNode issued = appToken(SmartTestClients.PATIENT_USER, "launch/patient patient/*.rs offline_access", null);
        String refresh = issued.get("refresh_token").asText();

        HttpResponse<String> r = postForm("/auth/introspect", Map.of("token", refresh), "Authorization", engineer());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("token_type").asText()).isEqualTo("refresh_token");
        assertThat(body.get("client_id").asText()).isEqualTo(SmartTestClients.APP);
        assertThat(body.get("scope").asText()).isEqualTo("launch/patient patient/*.rs offline_access");
        assertThat(body.get("exp").asLong()).isGreaterThan(java.time.Instant.now().getEpochSecond());

        // used (rotated): no longer active
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refresh);
        form.put("client_id", SmartTestClients.APP);
        assertThat(postForm("/auth/token", form).statusCode()).isEqualTo(200);
        HttpResponse<String> used = postForm("/auth/introspect", Map.of("token", refresh), "Authorization", engineer());
        assertThat(json(used).toString()).isEqualTo("{\"active\":false}");
    }

    @Test
    void anonymousAndAnalystAreRefused() {
        String token = backendToken("system/*.rs");
        assertThat(postForm("/auth/introspect", Map.of("token", token)).statusCode()).isEqualTo(401);
        assertThat(postForm("/auth/introspect", Map.of("token", token), "Authorization", basic("analyst", ANALYST_PASSWORD))
                .statusCode()).isEqualTo(401);
    }
}
