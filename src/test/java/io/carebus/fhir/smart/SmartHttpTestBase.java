package io.carebus.fhir.smart;

import java.io.IOException;
import java.net.CookieManager;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.carebus.support.EngineTestBase;
import io.carebus.support.SmartTestClients;
import org.springframework.boot.test.web.server.LocalServerPort;

/** HTTP helpers for the SMART tests: a plain java.net.http client (redirects not followed), signed client assertions. */
public abstract class SmartHttpTestBase extends EngineTestBase {

    protected static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    protected int port;

    /** Per test: its own cookie jar (the login form's session). */
    protected final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();

    protected String base() {
        return "http://localhost:" + port;
    }

    protected String tokenEndpoint() {
        return base() + "/auth/token";
    }

    protected String fhirBase() {
        return base() + "/fhir";
    }

    protected HttpResponse<String> get(String pathOrUrl, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).GET().timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    protected HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    protected HttpResponse<String> postJson(String path, Object body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (headers.length > 0) {
                b.headers(headers);
            }
            return send(b.build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    protected static String engineer() {
        return basic("engineer", ENGINEER_PASSWORD);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    /** A client assertion (RFC 7523) as SMART Backend Services asks for: iss = sub = client, aud = token endpoint. */
    protected String assertion(JWK key, JWSAlgorithm alg, String clientId, String aud, Instant exp, String jti) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(aud)
                .expirationTime(Date.from(exp)).jwtID(jti).build();
        return sign(key, alg, claims);
    }

    protected static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                    .build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh, valid assertion for the client. */
    protected String assertion(JWK key, JWSAlgorithm alg, String clientId) {
        return assertion(key, alg, clientId, tokenEndpoint(), Instant.now().plusSeconds(120), UUID.randomUUID().toString());
    }

    protected HttpResponse<String> clientCredentials(String assertion, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        return postForm("/auth/token", form);
    }

    /** An access token for the configured backend client (system/*.rs at most). */
    protected String backendToken(String scope) {
        return backendToken(SmartTestClients.BACKEND, SmartTestClients.BACKEND_RSA_KEY, scope);
    }

    /** An access token for a configured backend client, with an RS384 assertion signed by its key. */
    protected String backendToken(String clientId, RSAKey key, String scope) {
        HttpResponse<String> r = clientCredentials(assertion(key, JWSAlgorithm.RS384, clientId), scope);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token refused: " + r.body());
        }
        return json(r).get("access_token").asText();
    }

    /**
     * An app's token response for a user, through the whole standalone launch (authorize page, sign-in form,
     * redirect, code exchange with PKCE).
     */
    protected JsonNode appToken(String user, String scope, String chosenPatient) {
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(
                UUID.randomUUID().toString().concat(UUID.randomUUID().toString()).getBytes(StandardCharsets.US_ASCII));
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                    .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", SmartTestClients.APP);
        params.put("redirect_uri", SmartTestClients.APP_REDIRECT);
        params.put("scope", scope);
        params.put("state", "s");
        params.put("aud", fhirBase());
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        HttpResponse<String> page = get("/auth/authorize?" + formBody(params));
        java.util.regex.Matcher csrf = java.util.regex.Pattern
                .compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]*)\">").matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new IllegalStateException("no sign-in form: " + page.statusCode());
        }
        Map<String, String> form = new LinkedHashMap<>(params);
        form.put("_csrf", org.springframework.web.util.HtmlUtils.htmlUnescape(csrf.group(1)));
        form.put("username", user);
        form.put("password", SmartTestClients.USER_PASSWORD);
        form.put("decision", "allow");
        if (chosenPatient != null) {
            form.put("patient", chosenPatient);
        }
        HttpResponse<String> signedIn = postForm("/auth/authorize", form);
        String location = signedIn.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("no redirect: " + signedIn.statusCode()));
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("[?&]code=([^&]+)").matcher(location);
        if (!code.find()) {
            throw new IllegalStateException("no code in the redirect");
        }
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
        exchange.put("redirect_uri", SmartTestClients.APP_REDIRECT);
        exchange.put("client_id", SmartTestClients.APP);
        exchange.put("code_verifier", verifier);
        HttpResponse<String> token = postForm("/auth/token", exchange);
        if (token.statusCode() != 200) {
            throw new IllegalStateException("token refused: " + token.body());
        }
        return json(token);
    }

    protected static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    protected static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl);
    }

    /** A FHIR request on {@code path} under the FHIR base, with this Authorization header and a JSON body or none. */
    protected HttpResponse<String> send(String method, String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fhirBase() + (path.isEmpty() ? "" : "/") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Accept", "application/fhir+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/fhir+json");
        }
        return send(b.build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
