package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Signing in on the SMART login page, and the lockout after repeated failures. */
class SmartUsersTest {

    private final MovableClock clock = new MovableClock();
    private final SmartUsers users = new SmartUsers(Map.of("alice", user("right password")), new PlainEncoder(),
            clock);

    @Test
    void theRightPasswordSignsIn() {
        assertThat(users.authenticate("alice", "right password")).get()
                .satisfies(u -> assertThat(u.patient()).isEqualTo("p1"));
        assertThat(users.authenticate("alice", "wrong")).isEmpty();
        assertThat(users.authenticate("bob", "right password")).isEmpty();
    }

    @Test
    void repeatedFailuresLockTheNameOutEvenForTheRightPassword() {
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            assertThat(users.locked("alice")).isFalse();
            assertThat(users.authenticate("alice", "guess " + i)).isEmpty();
        }
        assertThat(users.locked("alice")).isTrue();
        assertThat(users.authenticate("alice", "right password")).isEmpty();

        clock.advance(SignInThrottle.LOCKOUT.plusSeconds(1));
        assertThat(users.locked("alice")).isFalse();
        assertThat(users.authenticate("alice", "right password")).isPresent();
    }

    @Test
    void aSuccessResetsTheCountAndUnknownNamesAreCountedAlike() {
        for (int i = 0; i < SignInThrottle.MAX_FAILURES - 1; i++) {
            users.authenticate("alice", "guess " + i);
        }
        assertThat(users.authenticate("alice", "right password")).isPresent();
        users.authenticate("alice", "one more guess");
        assertThat(users.locked("alice")).isFalse();

        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            users.authenticate("nobody", "guess " + i);
        }
        assertThat(users.locked("nobody")).as("the answer does not tell which names exist").isTrue();
    }

    private static SmartProperties.User user(String password) {
        SmartProperties.User u = new SmartProperties.User();
        u.setPassword(password);
        u.setFhirUser("Patient/p1");
        return u;
    }

    /** Enough of an encoder for these tests, without BCrypt's cost. */
    private static final class PlainEncoder implements PasswordEncoder {
        @Override
        public String encode(CharSequence raw) {
            return "{plain}" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return encode(raw).equals(encoded);
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
