package io.carebus.x12.intake;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * X12 control numbers per trading partner, durable in the database (table x12_control_number): ISA13
 * (interchange), GS06 (group) and ST02 (transaction) never repeat for a partner, across restarts and engines
 * sharing the database.
 */
public class ControlNumbers {

    /** ISA13 is nine digits. */
    static final long MAX = 999_999_999L;

    public enum Kind {
        INTERCHANGE, GROUP, TRANSACTION
    }

    private final JdbcTemplate jdbc;

    public ControlNumbers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The next number for this partner and kind, starting at 1; one atomic statement. */
    public long next(String partner, Kind kind) {
        Long value = jdbc.queryForObject("""
                INSERT INTO x12_control_number (partner, kind, last_value) VALUES (?, ?, 1)
                ON CONFLICT (partner, kind) DO UPDATE SET
                    last_value = CASE WHEN x12_control_number.last_value >= ? THEN 1
                                      ELSE x12_control_number.last_value + 1 END,
                    updated_at = now()
                RETURNING last_value""", Long.class, partner, kind.name().toLowerCase(), MAX);
        return value == null ? 1 : value;
    }
}
