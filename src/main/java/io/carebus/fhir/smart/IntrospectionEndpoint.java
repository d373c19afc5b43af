package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.LinkedHashMap;
import java.util.Map;

import io.carebus.security.SecurityConfig;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 7662 token introspection. The caller must be a registered confidential client (private_key_jwt assertion
 * in the form, RFC 7662 §2.1) or an ENGINEER (basic auth); anyone else gets 401 (RFC 7662 §4: not an oracle for
 * token scanning). The token may be an access token or a refresh token issued here.
 */
@ConditionalOnFhirServer
@RestController
public class IntrospectionEndpoint {

    private final JwtDecoder decoder;
    private final ClientAssertionVerifier assertions;
    private final RefreshTokens refreshTokens;

    public IntrospectionEndpoint(JwtDecoder smartAccessTokenDecoder, ClientAssertionVerifier assertions,
                                 RefreshTokens refreshTokens) {
        this.decoder = smartAccessTokenDecoder;
        this.assertions = assertions;
        this.refreshTokens = refreshTokens;
    }

    @PostMapping(path = SmartUrls.INTROSPECT, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> introspect(@RequestParam MultiValueMap<String, String> form,
                                                          Authentication authentication) {
        boolean engineer = authentication != null && authentication.isAuthenticated() && authentication.getAuthorities()
                .stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + SecurityConfig.ENGINEER));
        if (!engineer) {
            String assertion = TokenEndpoint.single(form, "client_assertion");
            if (assertion == null) {
                throw OAuthError.invalidClient("introspection needs client authentication");
            }
            assertions.verify(TokenEndpoint.single(form, "client_assertion_type"), assertion,
                    TokenEndpoint.single(form, "client_id"));
        }
        String token = TokenEndpoint.single(form, "token");
        if (token == null) {
            throw OAuthError.invalidRequest("token is required");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            Jwt jwt = decoder.decode(token);
            body.put("active", true);
            body.put("scope", jwt.getClaimAsString(SmartClaims.SCOPE));
            body.put("client_id", jwt.getClaimAsString(SmartClaims.CLIENT_ID));
            body.put("sub", jwt.getSubject());
            body.put("token_type", "Bearer");
            body.put("exp", jwt.getExpiresAt().getEpochSecond());
            body.put("iat", jwt.getIssuedAt().getEpochSecond());
            body.put("iss", jwt.getClaimAsString("iss"));
            body.put("aud", jwt.getAudience());
            body.put("jti", jwt.getId());
            if (jwt.hasClaim(SmartClaims.PATIENT)) {
                body.put("patient", jwt.getClaimAsString(SmartClaims.PATIENT));
            }
            if (jwt.hasClaim(SmartClaims.FHIR_USER)) {
                body.put("fhirUser", jwt.getClaimAsString(SmartClaims.FHIR_USER));
            }
        } catch (JwtException e) {
            body.clear();
            refreshTokens.find(token).ifPresentOrElse(refresh -> {
                // RFC 7662 §2.2: a refresh token issued here is active while unused, unrevoked and unexpired
                body.put("active", true);
                body.put("scope", refresh.grant().scopes().toString());
                body.put("client_id", refresh.grant().clientId());
                body.put("token_type", "refresh_token");
                body.put("exp", refresh.expiresAt().getEpochSecond());
            }, () -> body.put("active", false));   // RFC 7662 §2.2: nothing more for a token that is not valid
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
