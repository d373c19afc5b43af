package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final AtomicInteger verifications = new AtomicInteger();

    private JwtDecoder verifier(Instant expiresAt) {
        return token -> {
            verifications.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new BadJwtException("signature does not match");
            }
            return Jwt.withTokenValue(token).header("alg", "RS384").subject("client")
                    .issuedAt(expiresAt.minusSeconds(300)).expiresAt(expiresAt).build();
        };
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void aTokenIsVerifiedOnceWhileItLives() {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(300)), at(NOW), 100,
                Duration.ofMinutes(5));
        Jwt first = cache.decode("token-a");
        assertThat(cache.decode("token-a")).isSameAs(first);
        cache.decode("token-b");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void anExpiredTokenGoesBackToTheVerifier() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(10)), clock, 100,
                Duration.ofMinutes(5));
        cache.decode("token-a");
        cache.decode("token-a");
        assertThat(verifications).hasValue(1);
        now[0] = NOW.plusSeconds(11);
        cache.decode("token-a");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenThatFailedIsNeverRemembered() {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(300)), at(NOW), 100,
                Duration.ofMinutes(5));
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }
}
