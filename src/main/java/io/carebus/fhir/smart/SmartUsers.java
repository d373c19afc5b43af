package io.carebus.fhir.smart;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The people who may sign in on the SMART login page (carebus.smart.users, config/smart.yaml). Passwords only
 * from the environment; a missing one is generated at start-up and logged once, for development. Kept apart
 * from the engine's operator users on purpose: an app user is not an engine operator.
 */
public class SmartUsers {

    /** A signed-in user: the FHIR resource they are, and the patient they stand for when a patient user. */
    public record SmartUser(String username, String fhirUser, String patient) {

        /** A practitioner (or other non-patient) user picks the patient on the login page. */
        public boolean choosesPatient() {
            return patient == null;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SmartUsers.class);
    // an encoded password no input matches, compared against for unknown users so timing does not tell them apart
    private final String unknownUserHash;

    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Map<String, SmartUser> users = new LinkedHashMap<>();
    private final PasswordEncoder encoder;
    private final SignInThrottle throttle;

    public SmartUsers(Map<String, SmartProperties.User> configured, PasswordEncoder encoder) {
        this(configured, encoder, Clock.systemUTC());
    }

    SmartUsers(Map<String, SmartProperties.User> configured, PasswordEncoder encoder, Clock clock) {
        this.encoder = encoder;
        this.throttle = new SignInThrottle(clock);
        this.unknownUserHash = encoder.encode(randomHex());
        configured.forEach((name, u) -> {
            String password = u.getPassword();
            if (password == null || password.isBlank()) {
                password = randomHex();
                log.warn("No password configured for SMART user '{}': generated one for this run: {} "
                        + "(set it from the environment in any real deployment)", name, password);
            }
            passwords.put(name, encoder.encode(password));
            String patient = u.getPatient();
            if ((patient == null || patient.isBlank()) && u.getFhirUser() != null && u.getFhirUser().startsWith("Patient/")) {
                patient = u.getFhirUser().substring("Patient/".length());
            }
            users.put(name, new SmartUser(name, u.getFhirUser(), patient == null || patient.isBlank() ? null : patient));
        });
    }

    /** The user, if the password is theirs; empty otherwise, and while the name is {@link #locked}. */
    public Optional<SmartUser> authenticate(String username, String password) {
        if (username == null || password == null || throttle.locked(username)) {
            return Optional.empty();
        }
        String hash = passwords.get(username);
        boolean matches = encoder.matches(password, hash != null ? hash : unknownUserHash);
        if (matches && hash != null) {
            throttle.succeeded(username);
            return Optional.of(users.get(username));
        }
        throttle.failed(username);
        return Optional.empty();
    }

    /** True while too many failed sign-ins lock the name out ({@link SignInThrottle}). */
    public boolean locked(String username) {
        return username != null && throttle.locked(username);
    }

    private static String randomHex() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
