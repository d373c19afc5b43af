package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.carebus.support.EngineTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A failed statement's values stay out of exception messages, which Hibernate's SqlExceptionHelper logs at ERROR:
 * HAPI's unique search URLs hold identifiers ({@code Patient?identifier=...|MRN}), and PostgreSQL's DETAIL of a
 * unique violation quotes the key.
 */
class DatabaseErrorDetailTest extends EngineTestBase {

    private static final String MARKER = "MRN-SECRET-4711";

    @Autowired
    DataSource dataSource;

    @Test
    void aUniqueViolationNamesTheConstraintButNotTheValues() throws Exception {
        Throwable failure;
        try (Connection connection = dataSource.getConnection()) {
            insertDedupKey(connection);
            failure = catchThrowable(() -> insertDedupKey(connection));
        }
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(messages(failure)).anyMatch(m -> m.contains("hl7_dedup_pkey")).noneMatch(m -> m.contains(MARKER));
    }

    @Test
    void aFailedBatchEntryDoesNotQuoteItsParameters() throws Exception {
        Throwable failure;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO hl7_dedup (sender, control_id, received_at, message_id) VALUES (?, ?, now(), 1)")) {
                for (int i = 0; i < 2; i++) {
                    insert.setString(1, "Patient?identifier=urn:mrn|" + MARKER);
                    insert.setString(2, "batch");
                    insert.addBatch();
                }
                failure = catchThrowable(insert::executeBatch);
            }
            connection.rollback();
        }
        assertThat(failure).isInstanceOf(java.sql.BatchUpdateException.class);
        assertThat(messages(failure)).isNotEmpty().noneMatch(m -> m.contains(MARKER));
    }

    private static void insertDedupKey(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO hl7_dedup (sender, control_id, received_at, message_id) VALUES (?, ?, now(), 1)")) {
            insert.setString(1, "Patient?identifier=urn:mrn|" + MARKER);
            insert.setString(2, "single");
            insert.executeUpdate();
        }
    }

    /** The messages of the exception, its causes and the JDBC chain of next exceptions. */
    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
            if (t instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null; next = next.getNextException()) {
                    messages.add(String.valueOf(next.getMessage()));
                }
            }
        }
        return messages;
    }
}
