package io.carebus.fhir.smart;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.MultiValueMap;

/** The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, SMART App Launch 2.x §App Launch). */
record AuthorizeRequest(String responseType, String clientId, String redirectUri, String scope, String state,
                        String aud, String codeChallenge, String codeChallengeMethod) {

    /** The names carried through the login form as hidden fields. */
    static final String[] PARAMETERS = {"response_type", "client_id", "redirect_uri", "scope", "state", "aud",
            "code_challenge", "code_challenge_method"};

    static AuthorizeRequest from(MultiValueMap<String, String> params) {
        return new AuthorizeRequest(params.getFirst("response_type"), params.getFirst("client_id"),
                params.getFirst("redirect_uri"), params.getFirst("scope"), params.getFirst("state"),
                params.getFirst("aud"), params.getFirst("code_challenge"), params.getFirst("code_challenge_method"));
    }

    Map<String, String> asParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", responseType);
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        p.put("scope", scope);
        p.put("state", state);
        p.put("aud", aud);
        p.put("code_challenge", codeChallenge);
        p.put("code_challenge_method", codeChallengeMethod);
        return p;
    }

    /** The redirect back to the app with the given parameters and the state echoed (RFC 6749 §4.1.2). */
    String redirect(Map<String, String> parameters) {
        StringBuilder uri = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        Map<String, String> all = new LinkedHashMap<>(parameters);
        if (state != null) {
            all.put("state", state);
        }
        all.forEach((k, v) -> uri.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        uri.setLength(uri.length() - 1);
        return uri.toString();
    }

    String errorRedirect(String error, String description) {
        return redirect(Map.of("error", error, "error_description", description));
    }
}
