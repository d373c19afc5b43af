package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carebus.security.OutboundUrlPolicy;
import io.carebus.security.SecurityConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 7591 dynamic client registration. Who may register (carebus.smart.registration):
 * <ul>
 *   <li>a caller with the initial access token (RFC 7591 §3, {@code Authorization: Bearer}, CAREBUS_SMART_REGISTRATION_TOKEN)
 *       or an ENGINEER (basic auth): any SMART scopes, including system/ for backend services;</li>
 *   <li>anyone, only when open registration is switched on, and then only within open-scopes (no system/ or user/
 *       scopes by default: such an app still needs a user to sign in and consent);</li>
 *   <li>nobody else (401).</li>
 * </ul>
 * Registered clients are kept in PostgreSQL (smart_client).
 */
@ConditionalOnFhirServer
@RestController
public class RegistrationEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RegistrationEndpoint.class);

    private final SmartClientRegistry clients;
    private final SmartProperties properties;
    private final ObjectMapper json;
    private final OutboundUrlPolicy outboundUrls;
    private final Clock clock;

    public RegistrationEndpoint(SmartClientRegistry clients, SmartProperties properties, ObjectMapper json,
                                OutboundUrlPolicy outboundUrls) {
        this.clients = clients;
        this.properties = properties;
        this.json = json;
        this.outboundUrls = outboundUrls;
        this.clock = Clock.systemUTC();
    }

    @PostMapping(path = SmartUrls.REGISTER, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> register(@RequestBody Map<String, Object> metadata,
                                                        @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                        Authentication authentication) {
        String registeredBy = registrant(authorization, authentication);
        boolean trusted = !"open".equals(registeredBy);

        String authMethod = string(metadata, "token_endpoint_auth_method");
        Object jwks = metadata.get("jwks");
        String jwksUri = string(metadata, "jwks_uri");
        if (authMethod == null) {
            authMethod = jwks != null || jwksUri != null ? "private_key_jwt" : "none";
        }
        SmartClient.Type type = switch (authMethod) {
            case "private_key_jwt" -> SmartClient.Type.CONFIDENTIAL_ASYMMETRIC;
            case "none" -> SmartClient.Type.PUBLIC;
            default -> throw metadataError("token_endpoint_auth_method must be private_key_jwt or none");
        };
        List<String> grantTypes = strings(metadata, "grant_types");
        if (grantTypes.isEmpty()) {
            grantTypes = type == SmartClient.Type.PUBLIC ? List.of("authorization_code") : List.of("client_credentials");
        }
        for (String g : grantTypes) {
            if (!List.of("authorization_code", "client_credentials", "refresh_token").contains(g)
                    || (g.equals("client_credentials") && type == SmartClient.Type.PUBLIC)) {
                throw metadataError("grant_type " + g + " is not available to this client");
            }
        }
        List<String> redirectUris = strings(metadata, "redirect_uris");
        for (String uri : redirectUris) {
            checkUri(uri, "invalid_redirect_uri", "redirect_uris");
        }
        if (grantTypes.contains("authorization_code") && redirectUris.isEmpty()) {
            throw new OAuthError("invalid_redirect_uri", "redirect_uris are required for authorization_code",
                    HttpStatus.BAD_REQUEST);
        }
        if (jwksUri != null) {
            checkUri(jwksUri, "invalid_client_metadata", "jwks_uri");
            // the engine fetches it when anyone presents an assertion naming this client: SMART App Launch 2.x
            // client-confidential-asymmetric has the JWK Set URL a TLS-protected endpoint; never one of the engine's
            // own network (carebus.security.outbound-urls). ClientKeys checks again before each fetch.
            try {
                outboundUrls.check(jwksUri);
            } catch (OutboundUrlPolicy.RefusedUrlException e) {
                throw metadataError("jwks_uri " + e.getMessage());
            }
        }
        String scope = string(metadata, "scope");
        SmartScopes scopes = SmartScopes.parse(scope);
        if (scopes.isEmpty() || !scopes.malformed().isEmpty()) {
            throw metadataError("scope is required and must be SMART scopes");
        }
        if (!trusted) {
            SmartScopes open = SmartScopes.of(properties.getRegistration().getOpenScopes());
            List<String> beyond = scopes.all().stream().filter(s -> !open.allows(s)).toList();
            if (!beyond.isEmpty()) {
                throw metadataError("open registration cannot ask for " + String.join(" ", beyond));
            }
        }
        String jwksJson;
        try {
            jwksJson = jwks == null ? null : json.writeValueAsString(jwks);
        } catch (JsonProcessingException e) {
            throw metadataError("jwks is not JSON");
        }
        String clientId = UUID.randomUUID().toString();
        String name = string(metadata, "client_name");
        SmartClient client = new SmartClient(clientId, name == null ? clientId : name, type, redirectUris, jwksJson,
                jwksUri, scopes, grantTypes);

        // RFC 7591 §3.2.1: the registered metadata, with client_id and client_id_issued_at
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("client_id", clientId);
        response.put("client_id_issued_at", clock.instant().getEpochSecond());
        response.put("client_name", client.name());
        response.put("token_endpoint_auth_method", authMethod);
        response.put("grant_types", grantTypes);
        if (!redirectUris.isEmpty()) {
            response.put("redirect_uris", redirectUris);
        }
        if (jwks != null) {
            response.put("jwks", jwks);
        }
        if (jwksUri != null) {
            response.put("jwks_uri", jwksUri);
        }
        response.put("scope", scopes.toString());
        try {
            clients.register(client, json.writeValueAsString(response), registeredBy);
        } catch (IllegalArgumentException e) {
            throw metadataError(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        log.info("SMART client {} registered ({}, by {})", clientId, type.text(), registeredBy);
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore()).body(response);
    }

    private String registrant(String authorization, Authentication authentication) {
        String initial = properties.getRegistration().getInitialAccessToken();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String presented = authorization.substring(7).trim();
            if (initial != null && !initial.isBlank() && MessageDigest.isEqual(
                    presented.getBytes(StandardCharsets.UTF_8), initial.getBytes(StandardCharsets.UTF_8))) {
                return "initial-access-token";
            }
            throw new OAuthError("invalid_token", "the initial access token is not valid", HttpStatus.UNAUTHORIZED);
        }
        if (authentication != null && authentication.isAuthenticated() && authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + SecurityConfig.ENGINEER))) {
            return authentication.getName();
        }
        if (properties.getRegistration().isOpen()) {
            return "open";
        }
        throw new OAuthError("invalid_token", "registration needs an initial access token", HttpStatus.UNAUTHORIZED);
    }

    /** Absolute https URI without fragment; http only on the loopback interface (RFC 8252 §7.3, development). */
    private static void checkUri(String uri, String error, String field) {
        try {
            URI u = URI.create(uri);
            boolean loopback = "localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost()) || "[::1]".equals(u.getHost());
            boolean schemeOk = "https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback)
                    || (field.equals("redirect_uris") && u.getScheme() != null && u.getScheme().contains("."));  // RFC 8252 §7.1 private-use scheme
            if (!u.isAbsolute() || u.getFragment() != null || !schemeOk) {
                throw new OAuthError(error, field + " must be absolute https URIs without fragment", HttpStatus.BAD_REQUEST);
            }
        } catch (IllegalArgumentException e) {
            throw new OAuthError(error, field + " holds an invalid URI", HttpStatus.BAD_REQUEST);
        }
    }

    private static OAuthError metadataError(String description) {
        return new OAuthError("invalid_client_metadata", description, HttpStatus.BAD_REQUEST);
    }

    private static String string(Map<String, Object> metadata, String name) {
        Object v = metadata.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw metadataError(name + " must be a string");
        }
        return s.isBlank() ? null : s;
    }

    private static List<String> strings(Map<String, Object> metadata, String name) {
        Object v = metadata.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw metadataError(name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw metadataError(name + " must be an array of strings");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
