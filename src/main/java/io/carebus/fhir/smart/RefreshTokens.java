package io.carebus.fhir.smart;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Refresh tokens, rotated: each is used once and answered with a new one (RFC 9700 §4.14.2). An offline_access
 * token lives carebus.smart.offline-refresh-lifetime from its last use; an online_access one never outlives the
 * sign-in it came from (carebus.smart.online-refresh-lifetime after the login). A used token or a used authorization
 * code presented again revokes all refresh tokens of that sign-in.
 */
public class RefreshTokens {

    /** @param family the sign-in the token descends from (the authorization code's hash) */
    public record Stored(SmartGrant grant, Instant expiresAt, String family) {
    }

    private static final String COLUMNS = "client_id, scope, username, fhir_user, patient, expires_at, family";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public RefreshTokens(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String issue(SmartGrant grant, Instant expiresAt, String family) {
        String token = OpaqueTokens.generate();
        jdbc.update("INSERT INTO smart_refresh_token (token_hash, client_id, scope, username, fhir_user, patient, expires_at, "
                        + "family) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                OpaqueTokens.sha256(token), grant.clientId(), grant.scopes().toString(), grant.username(),
                grant.fhirUser(), grant.patient(), Timestamp.from(expiresAt), family);
        return token;
    }

    /**
     * A used token presented again means it leaked (or the client misbehaves): every token of its family is revoked
     * (RFC 9700 §4.14.2). Returns true if the token was a used one.
     */
    public boolean revokeFamilyIfReused(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        List<String> families = jdbc.queryForList("SELECT family FROM smart_refresh_token WHERE token_hash = ? "
                + "AND used_at IS NOT NULL AND family IS NOT NULL", String.class, OpaqueTokens.sha256(token));
        families.forEach(this::revokeFamily);
        return !families.isEmpty();
    }

    /** Ends every live refresh token of a sign-in. */
    public void revokeFamily(String family) {
        jdbc.update("UPDATE smart_refresh_token SET used_at = ? WHERE family = ? AND used_at IS NULL",
                Timestamp.from(clock.instant()), family);
    }

    /** The token if it is live (issued here, not used or revoked, not expired), without using it. */
    public Optional<Stored> find(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.query("SELECT " + COLUMNS + " FROM smart_refresh_token WHERE token_hash = ? AND used_at IS NULL "
                + "AND expires_at > ?", RefreshTokens::stored, OpaqueTokens.sha256(token), now).stream().findFirst();
    }

    /** Takes the token if it is valid and not used, marking it used (atomic, so two refreshes cannot both win). */
    public Optional<Stored> use(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Stored> rows = jdbc.query("UPDATE smart_refresh_token SET used_at = ? WHERE token_hash = ? "
                        + "AND used_at IS NULL AND expires_at > ? "
                        + "RETURNING " + COLUMNS,
                RefreshTokens::stored, now, OpaqueTokens.sha256(token), now);
        return rows.stream().findFirst();
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(new SmartGrant(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5),
                SmartScopes.parse(rs.getString(2))), rs.getTimestamp(6).toInstant(), rs.getString(7));
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public void purgeExpired() {
        jdbc.update("DELETE FROM smart_refresh_token WHERE expires_at < ?", Timestamp.from(clock.instant()));
    }
}
