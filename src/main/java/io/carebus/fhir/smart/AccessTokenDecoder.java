package io.carebus.fhir.smart;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Decodes and checks access tokens issued by this server: our signature and algorithm, {@code typ at+jwt}
 * (RFC 9068 §4, so an ID token or client assertion is never taken for an access token), exp/nbf, iss and aud (the
 * FHIR base URL).
 */
final class AccessTokenDecoder {

    private AccessTokenDecoder() {
    }

    static JwtDecoder create(SmartSigningKey key, SmartUrls urls) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(key.algorithm(),
                new ImmutableJWKSet<>(key.publicJwks())));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT));
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            // checked by the validators below
        });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(Duration.ofSeconds(30)), issuerAndAudience(urls)));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> issuerAndAudience(SmartUrls urls) {
        return jwt -> {
            List<String> aud = jwt.getAudience();
            if (!urls.issuer().equals(jwt.getClaimAsString("iss"))) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "token not issued here", null));
            }
            if (aud == null || !aud.contains(urls.fhirBase())) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "token not meant for this FHIR server", null));
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

}
