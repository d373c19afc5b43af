package io.carebus.routing.fhirauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMART App Launch 2.x Backend Services: a client_credentials access token (RFC 6749 §4.4) obtained with a
 * private_key_jwt client assertion (RFC 7523 §2.2), kept until shortly before it expires and shared by the
 * destination's consumers. A 401 from the FHIR server drops it, so the next attempt asks for a new one.
 */
final class SmartBackendCredentials implements DestinationCredentials {

    private static final Logger log = LoggerFactory.getLogger(SmartBackendCredentials.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A token is renewed this long before its expires_in runs out, so none expires in flight. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(30);
    /** expires_in is only RECOMMENDED (RFC 6749 §5.1): without it a token is kept this long. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String destination;
    private final URI tokenUrl;
    private final String scope;
    private final ClientAssertionSigner assertions;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private String cachedHeader;
    private Instant renewAt = Instant.MIN;

    SmartBackendCredentials(String destination, URI tokenUrl, String scope, ClientAssertionSigner assertions,
                            Clock clock) {
        this.destination = destination;
        this.tokenUrl = tokenUrl;
        this.scope = scope;
        this.assertions = assertions;
        this.clock = clock;
    }

    @Override
    public synchronized String authorization() throws IOException {
        if (cachedHeader == null || !clock.instant().isBefore(renewAt)) {
            cachedHeader = null;
            requestToken();
        }
        return cachedHeader;
    }

    @Override
    public synchronized void rejected(String authorization) {
        // only the token that was refused: another consumer may already hold a new one
        if (authorization != null && authorization.equals(cachedHeader)) {
            log.info("Destination {}: the FHIR server refused the access token (401), a new one is requested",
                    destination);
            cachedHeader = null;
        }
    }

    private void requestToken() throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        // RFC 7523 §2.2 client authentication, SMART Backend Services' token request
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        try {
            form.put("client_assertion", assertions.sign());
        } catch (JOSEException e) {
            throw new TokenRequestException("Destination " + destination + ": the client assertion cannot be signed: "
                    + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestException("Destination " + destination + ": token request to " + tokenUrl
                    + " interrupted", e);
        } catch (IOException e) {
            throw new TokenRequestException("Destination " + destination + ": token endpoint " + tokenUrl
                    + " unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || !body.path("access_token").isTextual()) {
            // RFC 6749 §5.2: the error code alone; its description may echo what was sent
            throw new TokenRequestException("Destination " + destination + ": token endpoint " + tokenUrl
                    + " answered " + response.statusCode() + " " + body.path("error").asText("without access_token"));
        }
        String tokenType = body.path("token_type").asText("Bearer");
        if (!"bearer".equalsIgnoreCase(tokenType)) {
            throw new TokenRequestException("Destination " + destination + ": token endpoint " + tokenUrl
                    + " issued a " + tokenType + " token, not a Bearer token");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.path("expires_in").asLong()) : DEFAULT_LIFETIME;
        // renew RENEW_BEFORE ahead, but at most half way through a short-lived token
        Duration margin = RENEW_BEFORE.compareTo(lifetime.dividedBy(2)) < 0 ? RENEW_BEFORE : lifetime.dividedBy(2);
        cachedHeader = "Bearer " + body.path("access_token").asText();
        renewAt = clock.instant().plus(lifetime).minus(margin);
        log.debug("Destination {}: access token obtained from {}, valid {}s", destination, tokenUrl,
                lifetime.toSeconds());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public String toString() {
        return "SmartBackendCredentials[" + destination + ", " + tokenUrl + "]";
    }
}
