package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** SMART Backend Services: client_credentials with private_key_jwt against the configured backend client. */
class BackendServicesTokenTest extends SmartHttpTestBase {

    private static final String BACKEND = SmartTestClients.BACKEND;

    @Autowired
    private UsedJtiStore usedJti;

    @Test
    void rs384AssertionGetsAShortLivedSignedToken() throws Exception {
        HttpResponse<String> r = clientCredentials(
                assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND), "system/Patient.rs");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode body = json(r);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("scope").asText()).isEqualTo("system/Patient.rs");
        assertThat(body.get("expires_in").asLong()).isBetween(1L, 300L);
        assertThat(body.has("refresh_token")).isFalse();

        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(base());
        assertThat(claims.getAudience()).containsExactly(fhirBase());
        assertThat(claims.getSubject()).isEqualTo(BACKEND);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(BACKEND);
        assertThat(claims.getStringClaim("scope")).isEqualTo("system/Patient.rs");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("patient")).isNull();
        long life = claims.getExpirationTime().getTime() / 1000 - claims.getIssueTime().getTime() / 1000;
        assertThat(life).isBetween(1L, 300L);
    }

    @Test
    void es384AssertionIsAccepted() {
        HttpResponse<String> r = clientCredentials(
                assertion(SmartTestClients.BACKEND_EC_KEY, JWSAlgorithm.ES384, BACKEND), "system/*.rs");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("scope").asText()).isEqualTo("system/*.rs");
    }

    @Test
    void assertionSignedWithAnotherKeyIsRefused() {
        RSAKey impostor = SmartTestClients.rsa(SmartTestClients.BACKEND_RSA_KEY.getKeyID());   // same kid, other key
        assertInvalidClient(clientCredentials(assertion(impostor, JWSAlgorithm.RS384, BACKEND), "system/Patient.rs"));
    }

    @Test
    void reusedJtiIsRefused() {
        String jti = UUID.randomUUID().toString();
        Instant exp = Instant.now().plusSeconds(120);
        HttpResponse<String> first = clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384,
                BACKEND, tokenEndpoint(), exp, jti), "system/Patient.rs");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // a new assertion (new signature) with the same jti
        HttpResponse<String> again = clientCredentials(assertion(SmartTestClients.BACKEND_EC_KEY, JWSAlgorithm.ES384,
                BACKEND, tokenEndpoint(), exp.plusSeconds(1), jti), "system/Patient.rs");
        assertInvalidClient(again);
    }

    @Test
    void reusedJtiOfAnAssertionInItsClockSkewIsRefusedAfterThePurge() {
        // exp just past: still accepted within the clock skew, so its jti must outlive the purge of expired ids
        String jti = UUID.randomUUID().toString();
        Instant exp = Instant.now().minusSeconds(5);
        HttpResponse<String> first = clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384,
                BACKEND, tokenEndpoint(), exp, jti), "system/Patient.rs");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        usedJti.purgeExpired();
        assertInvalidClient(clientCredentials(assertion(SmartTestClients.BACKEND_EC_KEY, JWSAlgorithm.ES384,
                BACKEND, tokenEndpoint(), exp, jti), "system/Patient.rs"));
    }

    @Test
    void expiredAssertionIsRefused() {
        assertInvalidClient(clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND,
                tokenEndpoint(), Instant.now().minusSeconds(120), UUID.randomUUID().toString()), "system/Patient.rs"));
    }

    @Test
    void assertionExpiringMoreThanFiveMinutesAheadIsRefused() {
        assertInvalidClient(clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND,
                tokenEndpoint(), Instant.now().plusSeconds(600), UUID.randomUUID().toString()), "system/Patient.rs"));
    }

    @Test
    void assertionForAnotherAudienceIsRefused() {
        assertInvalidClient(clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND,
                "https://other.example.org/auth/token", Instant.now().plusSeconds(120), UUID.randomUUID().toString()),
                "system/Patient.rs"));
    }

    @Test
    void theRequestsHostHeaderDoesNotChooseTheAudience() throws Exception {
        // carebus.smart.base-url is blank in the tests: the token endpoint is localhost's, whatever Host is sent
        String otherHost = "carebus.attacker.example:" + port;
        String aud = "http://" + otherHost + "/auth/token";
        String body = formBody(Map.of("grant_type", "client_credentials", "scope", "system/Patient.rs",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND, aud,
                        Instant.now().plusSeconds(120), UUID.randomUUID().toString())));
        String response = postWithHost("/auth/token", otherHost, body);
        assertThat(response).startsWith("HTTP/1.1 401").contains("invalid_client");
    }

    /** java.net.http will not send another Host header: a raw HTTP/1.1 request. */
    private String postWithHost(String path, String host, String form) throws Exception {
        byte[] content = form.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + content.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void assertionWithoutKidIsRefused() {
        RSAKey noKid = new RSAKey.Builder(SmartTestClients.BACKEND_RSA_KEY).keyID(null).build();
        assertInvalidClient(clientCredentials(assertion(noKid, JWSAlgorithm.RS384, BACKEND), "system/Patient.rs"));
    }

    @Test
    void assertionWithAJkuIsRefusedForAClientWithAnInlineJwks() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS384).type(JOSEObjectType.JWT)
                .keyID(SmartTestClients.BACKEND_RSA_KEY.getKeyID())
                .jwkURL(URI.create("https://keys.attacker.example/jwks.json")).build();
        assertInvalidClient(clientCredentials(signWithHeader(header), "system/Patient.rs"));
    }

    @Test
    void aKidMatchingTwoKeysIsRefused() {
        RSAKey first = SmartTestClients.rsa("twin");
        RSAKey second = SmartTestClients.rsa("twin");
        HttpResponse<String> registered = postJson("/auth/register", Map.of(
                "token_endpoint_auth_method", "private_key_jwt", "grant_types", List.of("client_credentials"),
                "jwks", new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toJSONObject(true),
                "scope", "system/Patient.rs"), "Authorization", engineer());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String clientId = json(registered).get("client_id").asText();

        assertInvalidClient(clientCredentials(assertion(second, JWSAlgorithm.RS384, clientId), "system/Patient.rs"));
    }

    @Test
    void aJwksWithAKeyWithoutKidIsRefusedAtRegistration() {
        RSAKey noKid = new RSAKey.Builder(SmartTestClients.rsa("x")).keyID(null).build();
        HttpResponse<String> r = postJson("/auth/register", Map.of(
                "token_endpoint_auth_method", "private_key_jwt", "grant_types", List.of("client_credentials"),
                "jwks", new JWKSet(noKid.toPublicJWK()).toJSONObject(true), "scope", "system/Patient.rs"),
                "Authorization", engineer());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_client_metadata");
    }

    private String signWithHeader(JWSHeader header) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(BACKEND).subject(BACKEND).audience(tokenEndpoint())
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(120))).jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(SmartTestClients.BACKEND_RSA_KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownClientIsRefused() {
        assertInvalidClient(clientCredentials(assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384,
                "no-such-client"), "system/Patient.rs"));
    }

    @Test
    void rs256AssertionIsRefused() {
        assertInvalidClient(clientCredentials(
                assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS256, BACKEND), "system/Patient.rs"));
    }

    @Test
    void issuerOtherThanSubjectIsRefused() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(BACKEND).subject("someone-else").audience(tokenEndpoint())
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(120))).jwtID(UUID.randomUUID().toString())
                .build();
        assertInvalidClient(clientCredentials(sign(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, claims),
                "system/Patient.rs"));
    }

    @Test
    void garbageAssertionIsRefused() {
        assertInvalidClient(clientCredentials("not-a-jwt", "system/Patient.rs"));
    }

    @Test
    void scopesBeyondTheRegistrationAreInvalidScope() {
        HttpResponse<String> write = clientCredentials(
                assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND), "system/Patient.cruds");
        assertThat(write.statusCode()).isEqualTo(400);
        assertThat(json(write).get("error").asText()).isEqualTo("invalid_scope");

        HttpResponse<String> patient = clientCredentials(
                assertion(SmartTestClients.BACKEND_RSA_KEY, JWSAlgorithm.RS384, BACKEND), "patient/Patient.rs");
        assertThat(json(patient).get("error").asText()).isEqualTo("invalid_scope");
    }

    private static void assertInvalidClient(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_client");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
    }
}
