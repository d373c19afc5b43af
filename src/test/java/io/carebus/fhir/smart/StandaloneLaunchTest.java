package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;

/**
 * SMART standalone launch as a browser would drive it, with a plain HTTP client following redirects by hand:
 * authorize → login form (CSRF token, session cookie) → redirect with code and state → token with PKCE → refresh.
 */
class StandaloneLaunchTest extends SmartHttpTestBase {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

    private final String verifier = verifier();
    private final String state = "st-" + System.nanoTime();

    @Test
    void patientSignsInAndTheAppGetsTokensForTheirRecord() throws Exception {
        Map<String, String> redirect = signIn(authorizeParams("launch/patient patient/*.rs offline_access openid fhirUser"),
                SmartTestClients.PATIENT_USER, null);
        assertThat(redirect.get("state")).isEqualTo(state);

        HttpResponse<String> r = exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("patient").asText()).isEqualTo(SmartTestClients.PATIENT_ID);
        // openid and fhirUser are not offered (no OpenID Connect): left out of the grant
        assertThat(body.get("scope").asText()).isEqualTo("launch/patient patient/*.rs offline_access");
        assertThat(body.get("refresh_token").asText()).isNotBlank();
        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(SmartTestClients.PATIENT_USER);
        assertThat(claims.getStringClaim("patient")).isEqualTo(SmartTestClients.PATIENT_ID);
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Patient/" + SmartTestClients.PATIENT_ID);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SmartTestClients.APP);

        // refresh: a new access token and a new refresh token; the old one is spent
        String refresh = body.get("refresh_token").asText();
        HttpResponse<String> refreshed = refresh(refresh, null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode again = json(refreshed);
        assertThat(again.get("patient").asText()).isEqualTo(SmartTestClients.PATIENT_ID);
        assertThat(again.get("refresh_token").asText()).isNotEqualTo(refresh);
        assertThat(again.get("access_token").asText()).isNotEqualTo(body.get("access_token").asText());

        // widening on refresh is refused; narrowing is allowed
        HttpResponse<String> widened = refresh(again.get("refresh_token").asText(), "patient/*.cruds");
        assertThat(json(widened).get("error").asText()).isEqualTo("invalid_scope");
        HttpResponse<String> narrowed = refresh(again.get("refresh_token").asText(), "patient/*.rs");
        assertThat(json(narrowed).get("scope").asText()).isEqualTo("patient/*.rs");
    }

    @Test
    void narrowingOnRefreshKeepsARefreshTokenWithTheOriginalScope() throws Exception {
        HttpResponse<String> narrowed = refresh(refreshAfterSignIn(), "patient/*.rs");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        JsonNode body = json(narrowed);
        assertThat(body.get("scope").asText()).isEqualTo("patient/*.rs");
        assertThat(SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("patient/*.rs");
        // RFC 6749 §6: the new refresh token's scope is the original grant's, offline_access included
        String rotated = body.get("refresh_token").asText();
        HttpResponse<String> full = refresh(rotated, null);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
        assertThat(json(full).get("scope").asText()).isEqualTo("launch/patient patient/*.rs offline_access");
        assertThat(json(full).get("refresh_token").asText()).isNotBlank();
    }

    @Test
    void wideningOnRefreshIsInvalidScopeAndLeavesTheRefreshTokenUsable() {
        String refresh = refreshAfterSignIn();
        HttpResponse<String> widened = refresh(refresh, "launch/patient patient/*.cruds offline_access");
        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(json(widened).get("error").asText()).isEqualTo("invalid_scope");

        HttpResponse<String> again = refresh(refresh, null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("scope").asText()).isEqualTo("launch/patient patient/*.rs offline_access");
        assertThat(json(again).get("refresh_token").asText()).isNotBlank();
    }

    @Test
    void aReusedRefreshTokenRevokesItsSignIn() {
        String first = refreshAfterSignIn();
        String second = json(refresh(first, null)).get("refresh_token").asText();

        HttpResponse<String> replayed = refresh(first, null);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(json(replayed).get("error").asText()).isEqualTo("invalid_grant");
        // RFC 9700 §4.14.2: the legitimate holder's current token dies too
        assertThat(json(refresh(second, null)).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aReusedCodeRevokesTheRefreshTokenIssuedForIt() {
        Map<String, String> redirect = signIn(authorizeParams("launch/patient patient/*.rs offline_access"),
                SmartTestClients.PATIENT_USER, null);
        String refresh = json(exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT))
                .get("refresh_token").asText();
        assertThat(json(exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT)).get("error").asText())
                .isEqualTo("invalid_grant");
        assertThat(json(refresh(refresh, null)).get("error").asText()).isEqualTo("invalid_grant");
    }

    private String refreshAfterSignIn() {
        Map<String, String> redirect = signIn(authorizeParams("launch/patient patient/*.rs offline_access"),
                SmartTestClients.PATIENT_USER, null);
        return json(exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT)).get("refresh_token").asText();
    }

    @Test
    void theCodeIsGoodOnceAndOnlyWithItsVerifier() {
        Map<String, String> redirect = signIn(authorizeParams("launch/patient patient/Observation.rs"),
                SmartTestClients.PATIENT_USER, null);
        HttpResponse<String> wrong = exchange(redirect.get("code"), verifier(), SmartTestClients.APP_REDIRECT);
        assertThat(json(wrong).get("error").asText()).isEqualTo("invalid_grant");
        // the failed attempt used the code up
        HttpResponse<String> right = exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT);
        assertThat(json(right).get("error").asText()).isEqualTo("invalid_grant");

        Map<String, String> second = signIn(authorizeParams("launch/patient patient/Observation.rs"),
                SmartTestClients.PATIENT_USER, null);
        assertThat(exchange(second.get("code"), verifier, SmartTestClients.APP_REDIRECT).statusCode()).isEqualTo(200);
        assertThat(json(exchange(second.get("code"), verifier, SmartTestClients.APP_REDIRECT)).get("error").asText())
                .isEqualTo("invalid_grant");
        // no refresh token without offline_access or online_access
    }

    @Test
    void practitionerChoosesThePatient() throws Exception {
        Map<String, String> redirect = signIn(authorizeParams("launch/patient patient/*.rs user/Practitioner.rs online_access"),
                SmartTestClients.PRACTITIONER_USER, "pt-42");
        JsonNode body = json(exchange(redirect.get("code"), verifier, SmartTestClients.APP_REDIRECT));
        assertThat(body.get("patient").asText()).isEqualTo("pt-42");
        assertThat(body.get("scope").asText()).isEqualTo("launch/patient patient/*.rs user/Practitioner.rs online_access");
        assertThat(body.get("refresh_token").asText()).isNotBlank();   // online_access
        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Practitioner/smart-doc-1");
    }

    @Test
    void plainPkceIsRefusedWithARedirectEchoingState() {
        Map<String, String> params = authorizeParams("launch/patient patient/*.rs");
        params.put("code_challenge", verifier);
        params.put("code_challenge_method", "plain");
        HttpResponse<String> r = get("/auth/authorize?" + formBody(params));
        assertThat(r.statusCode()).isEqualTo(302);
        Map<String, String> query = query(r.headers().firstValue("Location").orElseThrow());
        assertThat(query.get("error")).isEqualTo("invalid_request");
        assertThat(query.get("state")).isEqualTo(state);
    }

    @Test
    void unregisteredRedirectUriGetsAPageNotARedirect() {
        Map<String, String> params = authorizeParams("launch/patient patient/*.rs");
        params.put("redirect_uri", SmartTestClients.APP_REDIRECT + "/evil");
        HttpResponse<String> r = get("/auth/authorize?" + formBody(params));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void wrongAudienceIsRefused() {
        Map<String, String> params = authorizeParams("launch/patient patient/*.rs");
        params.put("aud", "https://other.example.org/fhir");
        HttpResponse<String> r = get("/auth/authorize?" + formBody(params));
        assertThat(query(r.headers().firstValue("Location").orElseThrow()).get("error")).isEqualTo("invalid_request");
    }

    @Test
    void wrongPasswordShowsTheFormAgain() {
        Map<String, String> form = loginForm(authorizeParams("launch/patient patient/*.rs"));
        form.put("username", SmartTestClients.PATIENT_USER);
        form.put("password", "wrong");
        form.put("decision", "allow");
        HttpResponse<String> r = postForm("/auth/authorize", form);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong user name or password");
    }

    @Test
    void formPostWithoutCsrfTokenIsForbidden() {
        Map<String, String> form = authorizeParams("launch/patient patient/*.rs");
        form.put("username", SmartTestClients.PATIENT_USER);
        form.put("password", SmartTestClients.USER_PASSWORD);
        assertThat(postForm("/auth/authorize", form).statusCode()).isEqualTo(403);
    }

    @Test
    void denyingRedirectsWithAccessDenied() {
        Map<String, String> form = loginForm(authorizeParams("launch/patient patient/*.rs"));
        form.put("decision", "deny");
        HttpResponse<String> r = postForm("/auth/authorize", form);
        Map<String, String> query = query(r.headers().firstValue("Location").orElseThrow());
        assertThat(query.get("error")).isEqualTo("access_denied");
        assertThat(query.get("state")).isEqualTo(state);
    }

    // --- the browser's part

    private Map<String, String> authorizeParams(String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", SmartTestClients.APP);
        p.put("redirect_uri", SmartTestClients.APP_REDIRECT);
        p.put("scope", scope);
        p.put("state", state);
        p.put("aud", fhirBase());
        p.put("code_challenge", challenge(verifier));
        p.put("code_challenge_method", "S256");
        return p;
    }

    /** GET the authorize URL and read the form's hidden fields (request parameters and the CSRF token). */
    private Map<String, String> loginForm(Map<String, String> params) {
        HttpResponse<String> page = get("/auth/authorize?" + formBody(params));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            form.put(HtmlUtils.htmlUnescape(m.group(1)), HtmlUtils.htmlUnescape(m.group(2)));
        }
        assertThat(form).containsKey("_csrf");
        return form;
    }

    /** Signs in on the form and returns the query of the redirect back to the app. */
    private Map<String, String> signIn(Map<String, String> params, String user, String patient) {
        Map<String, String> form = loginForm(params);
        form.put("username", user);
        form.put("password", SmartTestClients.USER_PASSWORD);
        form.put("decision", "allow");
        if (patient != null) {
            form.put("patient", patient);
        }
        HttpResponse<String> r = postForm("/auth/authorize", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(SmartTestClients.APP_REDIRECT + "?");
        Map<String, String> query = query(location);
        assertThat(query).containsKey("code");
        return query;
    }

    private HttpResponse<String> exchange(String code, String codeVerifier, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", SmartTestClients.APP);
        form.put("code_verifier", codeVerifier);
        return postForm("/auth/token", form);
    }

    private HttpResponse<String> refresh(String refreshToken, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", SmartTestClients.APP);
        if (scope != null) {
            form.put("scope", scope);
        }
        return postForm("/auth/token", form);
    }

    private static Map<String, String> query(String location) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = URI.create(location).getRawQuery();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String verifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
