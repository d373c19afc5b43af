package io.carebus.fhir.smart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers access tokens already decoded and verified, so a client's next requests with the same token skip the
 * signature check (an RSA or ECDSA verification per request was a tenth of a FHIR search's cost). The key is the
 * whole token, signature included, so only the very token that passed is ever taken from here, and only until it
 * expires; a token that failed is never remembered.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    VerifiedTokenCache(JwtDecoder delegate, Clock clock, int maxTokens, Duration maxAge) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.getIfPresent(token);
        if (jwt != null && stillValid(jwt)) {
            return jwt;
        }
        jwt = delegate.decode(token);
        verified.put(token, jwt);
        return jwt;
    }

    private boolean stillValid(Jwt jwt) {
        Instant now = clock.instant();
        return jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())
                && (jwt.getNotBefore() == null || !now.isBefore(jwt.getNotBefore()));
    }
}
