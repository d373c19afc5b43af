package io.carebus.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The load tools' credentials: a SMART backend service, as a real integration would call the FHIR server. It
 * registers itself once (RFC 7591, as the engineer), then gets access tokens by client_credentials with an RS384
 * client assertion, a new one before the current one expires (they live 5 minutes).
 */
final class SmartBackendToken implements Supplier<String> {

    private static final Pattern FIELD = Pattern.compile("\"(client_id|access_token|expires_in)\"\\s*:\\s*\"?([^\",}]+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String root;
    private final String scope;
    private final RSAKey key;
    private final String clientId;
    private String token;
    private Instant renewAt = Instant.EPOCH;

    SmartBackendToken(String fhirBase, String engineerPassword, String scope) throws Exception {
        this.root = fhirBase.replaceFirst("/fhir/?$", "");
        this.scope = scope;
        this.key = new RSAKeyGenerator(2048).keyID("bench").generate();
        String registration = "{\"client_name\":\"bench\",\"token_endpoint_auth_method\":\"private_key_jwt\","
                + "\"grant_types\":[\"client_credentials\"],\"scope\":\"" + scope + "\",\"jwks\":"
                + new JWKSet(key.toPublicJWK()).toString(true) + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "/auth/register"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("engineer:" + engineerPassword).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(registration)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registration refused: " + r.statusCode() + " " + r.body());
        }
        this.clientId = field(r.body(), "client_id");
    }

    @Override
    public synchronized String get() {
        if (Instant.now().isAfter(renewAt)) {
            try {
                String tokenUrl = root + "/auth/token";
                JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenUrl)
                        .expirationTime(Date.from(Instant.now().plusSeconds(120))).jwtID(UUID.randomUUID().toString())
                        .build();
                SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT).build(), claims);
                assertion.sign(new RSASSASigner(key));
                String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                        + "&client_assertion_type=" + URLEncoder.encode(
                                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&client_assertion=" + assertion.serialize();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("token refused: " + r.statusCode() + " " + r.body());
                }
                token = "Bearer " + field(r.body(), "access_token");
                long lifetime = Long.parseLong(field(r.body(), "expires_in"));
                renewAt = Instant.now().plus(Duration.ofSeconds(Math.max(10, lifetime - 60)));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return token;
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }
}
