package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token endpoint (RFC 6749 §3.2): client_credentials for backend services (SMART App Launch 2.x §Backend
 * Services), authorization_code with PKCE for apps (§App Launch), refresh_token.
 *
 * <p>Written as a small endpoint rather than on Spring Authorization Server: SMART's specifics (per-client inline
 * JWKS or jwks_uri with RS384/ES384 assertions and a replay store shared by nodes, launch/patient context and the
 * {@code patient} response parameter, scope checking against SMART scope grammar, RFC 7591 with a configurable
 * registration policy) each need a customisation point there, and together they are most of the server.
 */
@ConditionalOnFhirServer
@RestController
public class TokenEndpoint {

    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);

    private final SmartClientRegistry clients;
    private final ClientAssertionVerifier assertions;
    private final AccessTokenIssuer issuer;
    private final AuthorizationCodes codes;
    private final RefreshTokens refreshTokens;
    private final SmartProperties properties;
    private final Clock clock;

    public TokenEndpoint(SmartClientRegistry clients, ClientAssertionVerifier assertions, AccessTokenIssuer issuer,
                         AuthorizationCodes codes, RefreshTokens refreshTokens, SmartProperties properties) {
        this.clients = clients;
        this.assertions = assertions;
        this.issuer = issuer;
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    @PostMapping(path = SmartUrls.TOKEN, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam MultiValueMap<String, String> form) {
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is required");
        }
        SmartClient client = authenticate(form);
        if (!client.allowsGrant(grantType)) {
            // RFC 6749 §5.2 unauthorized_client: the client did not register this grant (RFC 7591 grant_types)
            throw OAuthError.unauthorizedClient("grant_type " + grantType + " is not registered for this client");
        }
        Map<String, Object> body = switch (grantType) {
            case "client_credentials" -> clientCredentials(client, form);
            case "authorization_code" -> authorizationCode(client, form);
            case "refresh_token" -> refresh(client, form);
            default -> throw OAuthError.unsupportedGrantType("grant_type " + grantType + " is not supported");
        };
        log.info("token issued to client {} by {}", client.clientId(), grantType);
        // RFC 6749 §5.1: Cache-Control: no-store, Pragma: no-cache
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
    }

    /** private_key_jwt when an assertion is sent; otherwise a public client names itself by client_id. */
    SmartClient authenticate(MultiValueMap<String, String> form) {
        String assertion = single(form, "client_assertion");
        if (assertion != null) {
            return assertions.verify(single(form, "client_assertion_type"), assertion, single(form, "client_id"));
        }
        String clientId = single(form, "client_id");
        return clients.find(clientId).filter(SmartClient::isPublic)
                .orElseThrow(() -> OAuthError.invalidClient("client authentication failed"));
    }

    private Map<String, Object> clientCredentials(SmartClient client, MultiValueMap<String, String> form) {
        if (client.isPublic()) {
            throw OAuthError.unauthorizedClient("client_credentials needs a private_key_jwt client");
        }
        SmartScopes scopes = ScopePolicy.backend(client, single(form, "scope"));
        return response(new SmartGrant(client.clientId(), null, null, null, scopes), null, null);
    }

    private Map<String, Object> authorizationCode(SmartClient client, MultiValueMap<String, String> form) {
        String code = single(form, "code");
        Optional<AuthorizationCodes.Issued> redeemed = codes.redeem(code);
        if (redeemed.isEmpty()) {
            if (codes.wasRedeemed(code)) {
                // RFC 6749 §4.1.2: a code used twice revokes what was issued for it
                refreshTokens.revokeFamily(AuthorizationCodes.family(code));
                log.warn("authorization code presented again: refresh tokens issued for it revoked");
            }
            throw OAuthError.invalidGrant("authorization code invalid, expired or used");
        }
        AuthorizationCodes.Issued issued = redeemed.get();
        if (!issued.clientId().equals(client.clientId())) {
            throw OAuthError.invalidGrant("authorization code was issued to another client");
        }
        // RFC 6749 §4.1.3: redirect_uri identical to the authorization request's
        if (!issued.redirectUri().equals(single(form, "redirect_uri"))) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
        // RFC 7636 §4.6
        if (!AuthorizationCodes.verifierMatches(single(form, "code_verifier"), issued.codeChallenge())) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
        SmartGrant grant = issued.grant();
        Instant refreshExpiry = null;
        if (grant.scopes().contains(SmartScopes.OFFLINE_ACCESS)) {
            refreshExpiry = clock.instant().plus(properties.getOfflineRefreshLifetime());
        } else if (grant.scopes().contains(SmartScopes.ONLINE_ACCESS)) {
            refreshExpiry = clock.instant().plus(properties.getOnlineRefreshLifetime());
        }
        return response(grant, refreshExpiry, AuthorizationCodes.family(code));
    }

    private Map<String, Object> refresh(SmartClient client, MultiValueMap<String, String> form) {
        String refreshToken = single(form, "refresh_token");
        String scope = single(form, "scope");
        SmartScopes requested = scope == null ? null : SmartScopes.parse(scope);
        // checked before the token is used, so that a refused scope does not spend it
        refreshTokens.find(refreshToken)
                .filter(live -> live.grant().clientId().equals(client.clientId()))
                .ifPresent(live -> checkNarrowing(live.grant(), requested));
        Optional<RefreshTokens.Stored> used = refreshTokens.use(refreshToken);
        if (used.isEmpty()) {
            if (refreshTokens.revokeFamilyIfReused(refreshToken)) {
                log.warn("refresh token presented again by client {}: its sign-in's refresh tokens revoked", client.clientId());
            }
            throw OAuthError.invalidGrant("refresh token invalid, expired or used");
        }
        RefreshTokens.Stored stored = used.get();
        SmartGrant grant = stored.grant();
        if (!grant.clientId().equals(client.clientId())) {
            throw OAuthError.invalidGrant("refresh token was issued to another client");
        }
        checkNarrowing(grant, requested);
        SmartGrant access = requested == null ? grant
                : new SmartGrant(grant.clientId(), grant.username(), grant.fhirUser(), grant.patient(), requested);
        // RFC 6749 §6: a narrower scope applies to the new access token; the new refresh token keeps the scope of the
        // one it replaces, so narrowing once loses nothing for later refreshes
        Instant refreshExpiry = null;
        if (grant.scopes().contains(SmartScopes.OFFLINE_ACCESS)) {
            refreshExpiry = clock.instant().plus(properties.getOfflineRefreshLifetime());
        } else if (grant.scopes().contains(SmartScopes.ONLINE_ACCESS)) {
            refreshExpiry = stored.expiresAt();   // online_access: bounded by the sign-in, never extended
        }
        return response(access, grant, refreshExpiry, stored.family());
    }

    /** RFC 6749 §6: the requested scope must not include any scope not originally granted. */
    private static void checkNarrowing(SmartGrant grant, SmartScopes requested) {
        if (requested != null && !grant.scopes().all().containsAll(requested.all())) {
            throw OAuthError.invalidScope("scope exceeds the original grant");
        }
    }

    private Map<String, Object> response(SmartGrant grant, Instant refreshExpiry, String family) {
        return response(grant, grant, refreshExpiry, family);
    }

    /** @param refreshGrant what the refresh token (if any) is issued for: the access token's grant, or wider */
    private Map<String, Object> response(SmartGrant grant, SmartGrant refreshGrant, Instant refreshExpiry, String family) {
        AccessTokenIssuer.AccessToken token = issuer.issue(grant);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        body.put("scope", grant.scopes().toString());
        if (grant.patient() != null) {
            body.put("patient", grant.patient());
        }
        if (refreshExpiry != null && refreshExpiry.isAfter(clock.instant())) {
            body.put("refresh_token", refreshTokens.issue(refreshGrant, refreshExpiry, family));
        }
        return body;
    }

    static String single(MultiValueMap<String, String> form, String name) {
        java.util.List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            // RFC 6749 §3.1: request parameters MUST NOT be included more than once
            throw OAuthError.invalidRequest(name + " is repeated");
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }
}
