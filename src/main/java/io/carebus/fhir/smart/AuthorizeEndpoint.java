package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The authorization endpoint for a standalone launch (SMART App Launch 2.x §App Launch, RFC 6749 §4.1 with PKCE,
 * RFC 7636): GET shows the sign-in page, POST signs the user in and redirects back with a code. The form is
 * protected by Spring Security's CSRF token (session bound).
 */
@ConditionalOnFhirServer
@Controller
public class AuthorizeEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AuthorizeEndpoint.class);
    private static final String FHIR_ID = "[A-Za-z0-9\\-.]{1,64}";

    private final SmartClientRegistry clients;
    private final SmartUsers users;
    private final AuthorizationCodes codes;
    private final SmartUrls urls;

    public AuthorizeEndpoint(SmartClientRegistry clients, SmartUsers users, AuthorizationCodes codes, SmartUrls urls) {
        this.clients = clients;
        this.users = users;
        this.codes = codes;
        this.urls = urls;
    }

    @GetMapping(SmartUrls.AUTHORIZE)
    public ResponseEntity<String> show(@RequestParam MultiValueMap<String, String> params, HttpServletRequest http) {
        AuthorizeRequest request = AuthorizeRequest.from(params);
        Optional<SmartClient> client = clients.find(request.clientId());
        Optional<ResponseEntity<String>> refused = check(client, request);
        if (refused.isPresent()) {
            return refused.get();
        }
        return page(HttpStatus.OK, LoginPage.render(client.get(), request, csrf(http), null));
    }

    @PostMapping(path = SmartUrls.AUTHORIZE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<String> signIn(@RequestParam MultiValueMap<String, String> params, HttpServletRequest http) {
        AuthorizeRequest request = AuthorizeRequest.from(params);
        Optional<SmartClient> client = clients.find(request.clientId());
        Optional<ResponseEntity<String>> refused = check(client, request);
        if (refused.isPresent()) {
            return refused.get();
        }
        if ("deny".equals(params.getFirst("decision"))) {
            return redirect(request.errorRedirect("access_denied", "the user denied the request"));
        }
        if (users.locked(params.getFirst("username"))) {
            log.info("SMART sign-in refused for client {}: too many failed sign-ins for the user name",
                    request.clientId());
            return page(HttpStatus.TOO_MANY_REQUESTS, LoginPage.render(client.get(), request, csrf(http),
                    "Too many failed sign-ins. Try again later."));
        }
        Optional<SmartUsers.SmartUser> user = users.authenticate(params.getFirst("username"), params.getFirst("password"));
        if (user.isEmpty()) {
            log.info("SMART sign-in failed for client {}", request.clientId());
            return page(HttpStatus.UNAUTHORIZED,
                    LoginPage.render(client.get(), request, csrf(http), "Wrong user name or password."));
        }
        SmartScopes granted;
        try {
            granted = ScopePolicy.launch(client.get(), user.get(), request.scope());
        } catch (OAuthError e) {
            return redirect(request.errorRedirect(e.error(), e.getMessage()));
        }
        String patient = null;
        if (ScopePolicy.needsPatient(granted)) {
            patient = user.get().patient();
            if (user.get().choosesPatient()) {
                patient = params.getFirst("patient");
                if (patient == null || !patient.matches(FHIR_ID)) {
                    return page(HttpStatus.BAD_REQUEST, LoginPage.render(client.get(), request, csrf(http),
                            "Enter the id of the patient to open."));
                }
            }
        }
        SmartGrant grant = new SmartGrant(client.get().clientId(), user.get().username(), user.get().fhirUser(), patient,
                granted);
        String code = codes.issue(request.redirectUri(), request.codeChallenge(), grant);
        log.info("SMART sign-in: authorization code issued to client {}", request.clientId());
        return redirect(request.redirect(Map.of("code", code)));
    }

    /** The checks of RFC 6749 §4.1.2.1: an unknown client or redirect_uri gets a page, never a redirect. */
    private Optional<ResponseEntity<String>> check(Optional<SmartClient> client, AuthorizeRequest request) {
        if (client.isEmpty()) {
            return Optional.of(page(HttpStatus.BAD_REQUEST, LoginPage.error("Unknown client.")));
        }
        // exact string match against the registration (no prefix or pattern matching)
        if (request.redirectUri() == null || !client.get().redirectUris().contains(request.redirectUri())) {
            return Optional.of(page(HttpStatus.BAD_REQUEST, LoginPage.error("redirect_uri is not registered for this client.")));
        }
        if (!"code".equals(request.responseType())) {
            return Optional.of(redirect(request.errorRedirect("unsupported_response_type", "response_type must be code")));
        }
        if (!client.get().allowsGrant("authorization_code")) {
            // RFC 6749 §4.1.2.1 unauthorized_client; RFC 7591 grant_types
            return Optional.of(redirect(request.errorRedirect("unauthorized_client",
                    "authorization_code is not registered for this client")));
        }
        if (request.state() == null || request.state().isEmpty()) {
            return Optional.of(redirect(request.errorRedirect("invalid_request", "state is required")));
        }
        // SMART App Launch 2.x: PKCE with S256 is required; RFC 7636 §4.4.1: plain is refused here
        if (request.codeChallenge() == null || !"S256".equals(request.codeChallengeMethod())) {
            return Optional.of(redirect(request.errorRedirect("invalid_request",
                    "code_challenge with code_challenge_method S256 is required")));
        }
        if (!request.codeChallenge().matches("[A-Za-z0-9\\-_]{43}")) {
            return Optional.of(redirect(request.errorRedirect("invalid_request", "code_challenge is not a S256 challenge")));
        }
        // SMART App Launch 2.x §App Launch: aud names the FHIR server the app wants to use
        if (!urls.fhirBase().equals(stripSlash(request.aud()))) {
            return Optional.of(redirect(request.errorRedirect("invalid_request", "aud must be " + urls.fhirBase())));
        }
        return Optional.empty();
    }

    private static String stripSlash(String s) {
        return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static CsrfToken csrf(HttpServletRequest http) {
        return (CsrfToken) http.getAttribute(CsrfToken.class.getName());
    }

    private static ResponseEntity<String> page(HttpStatus status, String html) {
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                // the page must not be framed (clickjacking on the consent buttons)
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(html);
    }

    private static ResponseEntity<String> redirect(String location) {
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location)
                .cacheControl(CacheControl.noStore()).build();
    }
}
