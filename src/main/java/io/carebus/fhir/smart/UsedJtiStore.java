package io.carebus.fhir.smart;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Client-assertion ids already used, in PostgreSQL so that a replay is refused after a restart and on any node.
 * An id is kept until its assertion can no longer be accepted (its exp plus the allowed clock skew): after that
 * the assertion is refused as expired anyway.
 */
public class UsedJtiStore {

    private static final Logger log = LoggerFactory.getLogger(UsedJtiStore.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public UsedJtiStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the id; false if the client used it before (a replay). Atomic across nodes (primary key). */
    public boolean firstUse(String clientId, String jti, Instant expiresAt) {
        return jdbc.update("INSERT INTO smart_used_jti (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                clientId, jti, Timestamp.from(expiresAt)) == 1;
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void purgeExpired() {
        int purged = jdbc.update("DELETE FROM smart_used_jti WHERE expires_at < ?", Timestamp.from(clock.instant()));
        if (purged > 0) {
            log.debug("purged {} expired client assertion ids", purged);
        }
    }
}
