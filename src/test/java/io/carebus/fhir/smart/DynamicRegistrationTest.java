package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;

/** RFC 7591 registration, then the registered client gets a token with its key. */
class DynamicRegistrationTest extends SmartHttpTestBase {

    @Test
    void backendRegisteredWithInlineJwksGetsATokenWithItsKey() {
        ECKey key = SmartTestClients.ec("dyn-ec");
        HttpResponse<String> r = postJson("/auth/register", Map.of(
                "client_name", "Nightly export",
                "token_endpoint_auth_method", "private_key_jwt",
                "grant_types", List.of("client_credentials"),
                "jwks", new JWKSet(key.toPublicJWK()).toJSONObject(true),
                "scope", "system/Patient.rs"), "Authorization", "Bearer " + SmartTestClients.REGISTRATION_TOKEN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode registered = json(r);
        String clientId = registered.get("client_id").asText();
        assertThat(clientId).isNotBlank();
        assertThat(registered.get("client_id_issued_at").asLong()).isPositive();
        assertThat(registered.get("token_endpoint_auth_method").asText()).isEqualTo("private_key_jwt");
        assertThat(registered.get("scope").asText()).isEqualTo("system/Patient.rs");
        assertThat(registered.get("jwks").get("keys").get(0).get("kid").asText()).isEqualTo("dyn-ec");

        HttpResponse<String> token = clientCredentials(assertion(key, JWSAlgorithm.ES384, clientId), "system/Patient.rs");
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        HttpResponse<String> beyond = clientCredentials(assertion(key, JWSAlgorithm.ES384, clientId), "system/Observation.rs");
        assertThat(json(beyond).get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void backendRegisteredWithJwksUriIsMatchedByKid() throws IOException {
        RSAKey other = SmartTestClients.rsa("k-other");
        RSAKey key = SmartTestClients.rsa("k-signing");
        byte[] jwks = new JWKSet(List.of(other.toPublicJWK(), key.toPublicJWK())).toString(true)
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        try {
            HttpResponse<String> r = postJson("/auth/register", Map.of(
                    "client_name", "Lab feed",
                    "token_endpoint_auth_method", "private_key_jwt",
                    "jwks_uri", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json",
                    "scope", "system/*.rs"), "Authorization", engineer());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String clientId = json(r).get("client_id").asText();

            HttpResponse<String> token = clientCredentials(assertion(key, JWSAlgorithm.RS384, clientId), "system/Observation.rs");
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            RSAKey notPublished = SmartTestClients.rsa("k-signing");
            assertThat(clientCredentials(assertion(notPublished, JWSAlgorithm.RS384, clientId), "system/Observation.rs")
                    .statusCode()).isEqualTo(401);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void registrationWithoutInitialAccessTokenIsRefused() {
        Map<String, Object> metadata = Map.of("token_endpoint_auth_method", "none",
                "redirect_uris", List.of("https://app.example.org/cb"), "scope", "launch/patient patient/*.rs");
        HttpResponse<String> anonymous = postJson("/auth/register", metadata);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("error").asText()).isEqualTo("invalid_token");

        HttpResponse<String> wrongToken = postJson("/auth/register", metadata, "Authorization", "Bearer nope");
        assertThat(wrongToken.statusCode()).isEqualTo(401);

        HttpResponse<String> analyst = postJson("/auth/register", metadata, "Authorization", basic("analyst", ANALYST_PASSWORD));
        assertThat(analyst.statusCode()).isEqualTo(401);
    }

    @Test
    void badMetadataIsRefused() {
        String bearer = "Bearer " + SmartTestClients.REGISTRATION_TOKEN;
        HttpResponse<String> noRedirect = postJson("/auth/register", Map.of("token_endpoint_auth_method", "none",
                "scope", "patient/*.rs"), "Authorization", bearer);
        assertThat(noRedirect.statusCode()).isEqualTo(400);
        assertThat(json(noRedirect).get("error").asText()).isEqualTo("invalid_redirect_uri");

        HttpResponse<String> publicBackend = postJson("/auth/register", Map.of("token_endpoint_auth_method", "none",
                "grant_types", List.of("client_credentials"), "scope", "system/*.rs"), "Authorization", bearer);
        assertThat(json(publicBackend).get("error").asText()).isEqualTo("invalid_client_metadata");

        HttpResponse<String> badScope = postJson("/auth/register", Map.of("token_endpoint_auth_method", "none",
                "redirect_uris", List.of("https://app.example.org/cb"), "scope", "patient/*.sr"), "Authorization", bearer);
        assertThat(json(badScope).get("error").asText()).isEqualTo("invalid_client_metadata");

        HttpResponse<String> privateKey = postJson("/auth/register", Map.of("token_endpoint_auth_method", "private_key_jwt",
                "jwks", new JWKSet(SmartTestClients.ec("leak")).toJSONObject(false), "scope", "system/*.rs"),
                "Authorization", bearer);
        assertThat(json(privateKey).get("error").asText()).isEqualTo("invalid_client_metadata");
    }

    @Test
    void publicAppRegisteredByAnEngineerCanStartALaunch() {
        HttpResponse<String> r = postJson("/auth/register", Map.of("client_name", "Portal",
                "token_endpoint_auth_method", "none", "redirect_uris", List.of("https://portal.example.org/cb"),
                "scope", "launch/patient patient/*.rs offline_access"), "Authorization", engineer());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String clientId = json(r).get("client_id").asText();
        HttpResponse<String> page = get("/auth/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + enc("https://portal.example.org/cb") + "&scope=" + enc("launch/patient patient/*.rs")
                + "&state=s1&aud=" + enc(fhirBase()) + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Portal");
    }

    @Test
    void aGrantTypeTheClientDidNotRegisterIsUnauthorizedClient() {
        ECKey key = SmartTestClients.ec("dyn-code-only");
        HttpResponse<String> codeOnly = postJson("/auth/register", Map.of("client_name", "Scheduler",
                "token_endpoint_auth_method", "private_key_jwt", "grant_types", List.of("authorization_code"),
                "redirect_uris", List.of("https://scheduler.example.org/cb"),
                "jwks", new JWKSet(key.toPublicJWK()).toJSONObject(true),
                "scope", "launch/patient patient/*.rs system/Patient.rs"), "Authorization", engineer());
        assertThat(codeOnly.statusCode()).as(codeOnly.body()).isEqualTo(201);
        HttpResponse<String> token = clientCredentials(
                assertion(key, JWSAlgorithm.ES384, json(codeOnly).get("client_id").asText()), "system/Patient.rs");
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(json(token).get("error").asText()).isEqualTo("unauthorized_client");

        ECKey backendKey = SmartTestClients.ec("dyn-backend-only");
        HttpResponse<String> backendOnly = postJson("/auth/register", Map.of("client_name", "Nightly",
                "token_endpoint_auth_method", "private_key_jwt", "grant_types", List.of("client_credentials"),
                "redirect_uris", List.of("https://nightly.example.org/cb"),
                "jwks", new JWKSet(backendKey.toPublicJWK()).toJSONObject(true),
                "scope", "launch/patient patient/*.rs system/Patient.rs"), "Authorization", engineer());
        assertThat(backendOnly.statusCode()).as(backendOnly.body()).isEqualTo(201);
        HttpResponse<String> launch = get("/auth/authorize?response_type=code&client_id="
                + json(backendOnly).get("client_id").asText()
                + "&redirect_uri=" + enc("https://nightly.example.org/cb") + "&scope=" + enc("launch/patient patient/*.rs")
                + "&state=s1&aud=" + enc(fhirBase()) + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256");
        assertThat(launch.headers().firstValue("Location").orElseThrow()).contains("error=unauthorized_client");
    }
}
