package io.carebus.fhir.smart;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/** Authorization codes (RFC 6749 §4.1.2): single use, short lived, bound to client, redirect_uri and PKCE challenge. */
public class AuthorizationCodes {

    public record Issued(String clientId, String redirectUri, String codeChallenge, SmartGrant grant) {
    }

    private final JdbcTemplate jdbc;
    private final Duration lifetime;
    private final Clock clock;

    public AuthorizationCodes(JdbcTemplate jdbc, Duration lifetime, Clock clock) {
        this.jdbc = jdbc;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String issue(String redirectUri, String codeChallenge, SmartGrant grant) {
        String code = OpaqueTokens.generate();
        jdbc.update("INSERT INTO smart_authorization_code (code_hash, client_id, redirect_uri, code_challenge, scope, "
                        + "username, fhir_user, patient, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                OpaqueTokens.sha256(code), grant.clientId(), redirectUri, codeChallenge, grant.scopes().toString(),
                grant.username(), grant.fhirUser(), grant.patient(), Timestamp.from(clock.instant().plus(lifetime)));
        return code;
    }

    /** Takes the code: atomically marks it used, so it is redeemed at most once, across nodes. */
    public Optional<Issued> redeem(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        List<Issued> rows = jdbc.query("UPDATE smart_authorization_code SET used_at = ? WHERE code_hash = ? "
                        + "AND used_at IS NULL AND expires_at > ? "
                        + "RETURNING client_id, redirect_uri, code_challenge, scope, username, fhir_user, patient",
                (rs, n) -> new Issued(rs.getString(1), rs.getString(2), rs.getString(3),
                        new SmartGrant(rs.getString(1), rs.getString(5), rs.getString(6), rs.getString(7),
                                SmartScopes.parse(rs.getString(4)))),
                Timestamp.from(clock.instant()), OpaqueTokens.sha256(code), Timestamp.from(clock.instant()));
        return rows.stream().findFirst();
    }

    /** True if the code exists and was redeemed before (a replay: RFC 6749 §4.1.2). */
    public boolean wasRedeemed(String code) {
        if (code == null || code.isBlank()) {
            return false;
        }
        Integer n = jdbc.queryForObject("SELECT count(*) FROM smart_authorization_code WHERE code_hash = ? AND used_at IS NOT NULL",
                Integer.class, OpaqueTokens.sha256(code));
        return n != null && n > 0;
    }

    /** The family of the refresh tokens issued for a code: its hash. */
    public static String family(String code) {
        return OpaqueTokens.sha256(code);
    }

    /** RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge. */
    public static boolean verifierMatches(String codeVerifier, String codeChallenge) {
        // RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
        if (codeVerifier == null || !codeVerifier.matches("[A-Za-z0-9\\-._~]{43,128}")) {
            return false;
        }
        String computed = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(OpaqueTokens.digest(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                codeChallenge.getBytes(StandardCharsets.US_ASCII));
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void purgeExpired() {
        jdbc.update("DELETE FROM smart_authorization_code WHERE expires_at < ?", Timestamp.from(clock.instant()));
    }
}
