package io.carebus.fhir.smart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guessing passwords on the SMART login page: after {@link #MAX_FAILURES} failed sign-ins in a row, a user name is
 * refused for {@link #LOCKOUT} without its password being checked (OWASP ASVS 2.2.1). Counted per user name, known
 * or not, so the answer does not tell which names exist; a success resets the count. In memory: a restart clears it.
 */
final class SignInThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    /** Names remembered at most; beyond it the expired ones are forgotten first. */
    private static final int MAX_NAMES = 10_000;

    private record Failures(int count, Instant last) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True while the name is locked out. */
    boolean locked(String username) {
        Failures f = failures.get(username);
        return f != null && f.count() >= MAX_FAILURES && !expired(f);
    }

    void failed(String username) {
        if (failures.size() >= MAX_NAMES) {
            failures.values().removeIf(this::expired);
        }
        failures.compute(username, (name, f) -> new Failures(f == null || expired(f) ? 1 : f.count() + 1,
                clock.instant()));
    }

    void succeeded(String username) {
        failures.remove(username);
    }

    private boolean expired(Failures f) {
        return f.last().plus(LOCKOUT).isBefore(clock.instant());
    }
}
